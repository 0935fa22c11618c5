/**
 * The one reader of IAM policy documents in scopegate: a policy JSON string as cdktf writes it (its
 * string values may hold `${…}` interpolations) and the `aws_iam_policy_document` data source,
 * into statements (Effect, Action/NotAction, Resource/NotResource, Principal/NotPrincipal,
 * Condition), per the IAM JSON policy grammar: an element's value is a string or a list of
 * strings, `Statement` is one statement or a list of them, and condition values are a string or a
 * list (`"x"` and `["x"]` are the same condition). The checks judge statements; the review compares
 * two versions of a policy.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * @packageDocumentation
 */
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
  /** `Principal` (`principals` blocks); `undefined` when the statement has none. `"*"` is the principal type `*`. */
  readonly principals: readonly PolicyPrincipal[] | undefined | Unknown;
  readonly notPrincipals: readonly PolicyPrincipal[] | undefined | Unknown;
  /**
   * The action and resource lists as written, expressions included (`${aws_dynamodb_table.x.arn}`:
   * what a reference names, and what two versions of a policy compare); `undefined` when absent.
   * An item that is not a string is written as JSON.
   */
  readonly written: {
    readonly actions: readonly string[] | undefined;
    readonly notActions: readonly string[] | undefined;
    readonly resources: readonly string[] | undefined;
    readonly notResources: readonly string[] | undefined;
  };
  /** Its conditions, one per operator and key; `undefined` when it has none. */
  readonly conditions: readonly PolicyCondition[] | undefined | Unknown;
  /**
   * Its conditions as one text that two statements share exactly when they state the same
   * conditions (operators, keys and values sorted, values as written, a single value as a list of
   * one); `""` when it has none.
   */
  readonly conditionText: string;
}

/** One principal element entry: `"AWS": [<ids>]`, `"Service": …`, or `*` for `"Principal": "*"`. */
export interface PolicyPrincipal {
  /** `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*`. */
  readonly type: string;
  /** The identifiers (an item may be unknown). */
  readonly identifiers: readonly (string | Unknown)[];
}

/** One condition of a statement: `"<test>": { "<variable>": [<values>] }`. */
export interface PolicyCondition {
  /** The operator, e.g. `ForAllValues:StringLike`. */
  readonly test: string;
  /** The condition key, e.g. `dynamodb:LeadingKeys`. */
  readonly variable: string;
  /** The values (an item may be unknown). */
  readonly values: readonly (string | Unknown)[];
  /** The values as written, expressions included. */
  readonly written: readonly string[];
}

/**
 * The statements of a policy JSON string as cdktf writes it: JSON whose string values may hold
 * `${…}` interpolations. A policy that is one interpolation (`${data.….json}`,
 * `${jsonencode(…)}`), not JSON at all, or whose `Statement` is missing or not one statement object
 * or a list of them, is unknown.
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
  if (raw === undefined) return UNKNOWN; // the grammar requires it: a policy without one is malformed
  const list = Array.isArray(raw) ? raw : [raw];
  if (!list.every(isJsonObject)) return UNKNOWN;
  return list.map((s, index) => {
    const sid = typeof s.Sid === "string" && s.Sid !== "" ? ` (Sid ${JSON.stringify(s.Sid)})` : "";
    return {
      label: `Statement[${index}]${sid}`,
      effect: effectOf(s.Effect),
      actions: stringOrList(s.Action),
      notActions: stringOrList(s.NotAction),
      resources: stringOrList(s.Resource),
      notResources: stringOrList(s.NotResource),
      principals: principalsOfJson(s.Principal),
      notPrincipals: principalsOfJson(s.NotPrincipal),
      written: {
        actions: texts(s.Action),
        notActions: texts(s.NotAction),
        resources: texts(s.Resource),
        notResources: texts(s.NotResource),
      },
      ...withConditionText(conditionsOfJson(s.Condition), s.Condition),
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
      principals: principalsOfBlocks(s.principals),
      notPrincipals: principalsOfBlocks(s.not_principals),
      written: {
        actions: texts(s.actions),
        notActions: texts(s.not_actions),
        resources: texts(s.resources),
        notResources: texts(s.not_resources),
      },
      ...withConditionText(conditionsOfBlocks(s.condition), s.condition),
    };
  });
}

/** The items of a string or list as written (a non-string as JSON); `undefined` when absent. */
function texts(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value]).map((item) => (typeof item === "string" ? item : JSON.stringify(item)));
}

/** The conditions and their {@link PolicyStatement.conditionText} (of the element as written when they cannot be read). */
function withConditionText(
  conditions: readonly PolicyCondition[] | undefined | Unknown,
  raw: unknown,
): Pick<PolicyStatement, "conditions" | "conditionText"> {
  if (conditions === undefined) return { conditions, conditionText: "" };
  if (conditions === UNKNOWN) return { conditions, conditionText: JSON.stringify(raw) };
  const entries = conditions.map((c) => JSON.stringify([c.test, c.variable, [...c.written].sort()])).sort();
  return { conditions, conditionText: entries.length === 0 ? "" : `[${entries.join(",")}]` };
}

/** `Principal` of a policy JSON: `"*"`, or `{ "<type>": id or [ids] }`. */
function principalsOfJson(value: unknown): readonly PolicyPrincipal[] | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  if (value === "*") return [{ type: "*", identifiers: ["*"] }];
  if (!isJsonObject(value)) return UNKNOWN;
  const principals: PolicyPrincipal[] = [];
  for (const [type, ids] of Object.entries(value)) {
    const identifiers = stringOrList(ids);
    if (identifiers === UNKNOWN || identifiers === undefined) return UNKNOWN;
    principals.push({ type, identifiers });
  }
  return principals;
}

/** `principals` blocks of a policy document data source: `{ type, identifiers }`. */
function principalsOfBlocks(value: unknown): readonly PolicyPrincipal[] | undefined | Unknown {
  const blocks = readBlocks(value);
  if (blocks === UNKNOWN || blocks === undefined) return blocks;
  const principals: PolicyPrincipal[] = [];
  for (const block of blocks) {
    const type = readString(block.type);
    const identifiers = readStrings(block.identifiers);
    if (typeof type !== "string" || identifiers === UNKNOWN || identifiers === undefined) return UNKNOWN;
    principals.push({ type, identifiers });
  }
  return principals;
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
      conditions.push({ test, variable, values: list, written: texts(values) ?? [] });
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
    conditions.push({ test, variable, values, written: texts(block.values) ?? [] });
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
