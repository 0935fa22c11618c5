/**
 * Risk checks of IAM policies: what a role may newly do.
 *
 * @packageDocumentation
 */
import { describePermission, isWildcard, permissionsOf, widening } from "../policy";
import { Check, after, before, isNew } from "./check";

const MAX_LISTED = 4;

/** A role policy allows more (or drops a Deny). */
export const policyWidened: Check = (change, report) => {
  if (change.after === null) return;
  const now = permissionsOf(after(change, "policy"));
  if (now === undefined) return;
  const was = isNew(change) ? [] : permissionsOf(before(change, "policy"));
  if (was === undefined) return;
  const wider = widening(was, now);
  if (wider.length === 0) return;
  const wildcards = wider.filter(isWildcard);
  const listed = [...wildcards, ...wider.filter((p) => !isWildcard(p))].slice(0, MAX_LISTED).map(describePermission);
  const more = wider.length > MAX_LISTED ? ` and ${wider.length - MAX_LISTED} more` : "";
  const wildcardNote = wildcards.length > 0 ? ` (${wildcards.length} with a wildcard)` : "";
  const what = `${listed.join("; ")}${more}${wildcardNote}`;
  if (isNew(change)) report("iam-policy-widened", "policy", `new policy allows ${what}`, "medium");
  else report("iam-policy-widened", "policy", `now allows ${what}`);
};
