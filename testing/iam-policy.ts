/**
 * Evaluates an authorizer policy the way API Gateway does for one method ARN: an explicit Deny wins,
 * then any Allow, else an implicit deny. In resources `*` matches any characters (`/` and line
 * terminators included) and `?` any one character.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */

/** The policy document shape returned by the authorizer. */
export interface PolicyDocumentLike {
  readonly Statement: ReadonlyArray<{ readonly Effect: string; readonly Action: string; readonly Resource: readonly string[] }>;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, "[\\s\\S]*")
    .replace(/\?/g, "[\\s\\S]");
  return new RegExp(`^${escaped}$`);
}

/** `Allow` when API Gateway would let the request through with this (possibly cached) policy, else `Deny` (403). */
export function evaluatePolicy(policy: PolicyDocumentLike, methodArn: string): "Allow" | "Deny" {
  const matching = policy.Statement.filter(
    (statement) =>
      statement.Action === "execute-api:Invoke" && statement.Resource.some((resource) => globToRegExp(resource).test(methodArn)),
  );
  if (matching.some((statement) => statement.Effect === "Deny")) return "Deny";
  return matching.some((statement) => statement.Effect === "Allow") ? "Allow" : "Deny";
}
