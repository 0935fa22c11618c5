import { UNKNOWN, Unknown, readBlocks, readString, readStrings } from "./terraform";
import { isJsonObject, type JsonObject } from "../core/json";

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
    };
  });
}

function effectOf(value: unknown): "Allow" | "Deny" | Unknown {
  const effect = readString(value);
  return effect === "Allow" || effect === "Deny" ? effect : UNKNOWN;
}

function stringOrList(value: unknown): readonly (string | Unknown)[] | undefined | Unknown {
  if (typeof value === "string") return [readString(value) ?? UNKNOWN];
  return readStrings(value);
}
