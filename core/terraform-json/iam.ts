import { isJsonObject, type JsonObject } from "../json";
import { UNKNOWN, Unknown, readBlocks, readString, readStrings } from "./values";

/** One statement of an IAM policy, as far as the JSON tells. */
export interface PolicyStatement {
  /** Where it is, for messages: `Statement[2] (Sid "Tracing")` or `statement[0]`. */
  readonly label: string;
  readonly effect: "Allow" | "Deny" | Unknown;
  /** `undefined` when the statement has no such element; items may be unknown. */
  readonly actions: readonly (string | Unknown)[] | undefined | Unknown;
  readonly notActions: readonly (string | Unknown)[] | undefined | Unknown;
  readonly resources: readonly (string | Unknown)[] | undefined | Unknown;
  readonly notResources: readonly (string | Unknown)[] | undefined | Unknown;
  /** The resources as written, expressions included (`${aws_dynamodb_table.x.arn}`): what a reference names. */
  readonly resourceTexts: readonly string[];
  /** Its conditions, one per operator and key; `undefined` when it has none. */
  readonly conditions: readonly PolicyCondition[] | undefined | Unknown;
}

/** One condition of a statement: `"<test>": { "<variable>": [<values>] }`. */
export interface PolicyCondition {
  /** The operator, e.g. `ForAllValues:StringLike`. */
  readonly test: string;
  /** The condition key, e.g. `dynamodb:LeadingKeys`. */
  readonly variable: string;
  /** The values (an item may be unknown). */
  readonly values: readonly (string | Unknown)[];
}

/**
 * The statements of a policy JSON string as cdktf writes it: JSON whose string values may hold
 * `${…}` interpolations. A policy that is one interpolation (`${data.….json}`,
 * `${jsonencode(…)}`) or not JSON at all is unknown.
 */
export function statementsOfPolicyJson(value: unknown): readonly PolicyStatement[] | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return UNKNOWN;
  let document: unknown;
  try {
    document = JSON.parse(value);
  } catch {
    return UNKNOWN;
  }
  if (!isJsonObject(document)) return UNKNOWN;
  const raw = document.Statement;
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((statement, index) => {
    const s: JsonObject = isJsonObject(statement) ? statement : {};
    const sid = typeof s.Sid === "string" && s.Sid !== "" ? ` (Sid ${JSON.stringify(s.Sid)})` : "";
    return {
      label: `Statement[${index}]${sid}`,
      effect: effectOf(s.Effect),
      actions: stringOrList(s.Action),
      notActions: stringOrList(s.NotAction),
      resources: stringOrList(s.Resource),
      notResources: stringOrList(s.NotResource),
      resourceTexts: texts(s.Resource),
      conditions: conditionsOfJson(s.Condition),
    };
  });
}

/** The statements of a `data "aws_iam_policy_document"` (`statement` blocks; effect defaults to Allow). */
export function statementsOfPolicyDocumentData(body: JsonObject): readonly PolicyStatement[] | Unknown {
  const blocks = readBlocks(body.statement);
  if (blocks === UNKNOWN) return UNKNOWN;
  return (blocks ?? []).map((s, index) => {
    const sid = readString(s.sid);
    return {
      label: `statement[${index}]${typeof sid === "string" && sid !== "" ? ` (sid ${JSON.stringify(sid)})` : ""}`,
      effect: s.effect === undefined || s.effect === null ? "Allow" : effectOf(s.effect),
      actions: readStrings(s.actions),
      notActions: readStrings(s.not_actions),
      resources: readStrings(s.resources),
      notResources: readStrings(s.not_resources),
      resourceTexts: texts(s.resources),
      conditions: conditionsOfBlocks(s.condition),
    };
  });
}

/** The strings of a string or list, as written. */
function texts(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === "string");
}

/** `Condition` of a policy JSON: `{ "<test>": { "<variable>": value or [values] } }`. */
function conditionsOfJson(value: unknown): readonly PolicyCondition[] | undefined | Unknown {
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) return UNKNOWN;
  const conditions: PolicyCondition[] = [];
  for (const [test, keys] of Object.entries(value)) {
    if (!isJsonObject(keys)) return UNKNOWN;
    for (const [variable, values] of Object.entries(keys)) {
      const list = stringOrList(values);
      if (list === UNKNOWN || list === undefined) return UNKNOWN;
      conditions.push({ test, variable, values: list });
    }
  }
  return conditions;
}

/** `condition` blocks of a policy document data source: `{ test, variable, values }`. */
function conditionsOfBlocks(value: unknown): readonly PolicyCondition[] | undefined | Unknown {
  const blocks = readBlocks(value);
  if (blocks === UNKNOWN) return UNKNOWN;
  if (blocks === undefined) return undefined;
  const conditions: PolicyCondition[] = [];
  for (const block of blocks) {
    const test = readString(block.test);
    const variable = readString(block.variable);
    const values = readStrings(block.values);
    if (typeof test !== "string" || typeof variable !== "string" || values === UNKNOWN || values === undefined) return UNKNOWN;
    conditions.push({ test, variable, values });
  }
  return conditions;
}

function effectOf(value: unknown): "Allow" | "Deny" | Unknown {
  const effect = readString(value);
  return effect === "Allow" || effect === "Deny" ? effect : UNKNOWN;
}

function stringOrList(value: unknown): readonly (string | Unknown)[] | undefined | Unknown {
  if (typeof value === "string") return [readString(value) ?? UNKNOWN];
  return readStrings(value);
}
