/**
 * Risk checks of API Gateway methods: authorization and its scopes.
 *
 * @packageDocumentation
 */
import { stringList } from "../values";
import { Check, after, before, isNew, known, summaryText } from "./check";

const GUARDED = new Set(["COGNITO_USER_POOLS", "CUSTOM", "AWS_IAM"]);

/** A method loses its authorization, or changes authorizer. */
export const methodGuard: Check = (change, report) => {
  if (change.after === null) return;
  const now = after(change, "authorization");
  const was = isNew(change) ? null : before(change, "authorization");
  if (!known(now)) return;
  if (now === "NONE" && was !== "NONE") {
    report(
      "method-unguarded",
      "authorization",
      isNew(change) ? "created with authorization = NONE" : `authorization ${summaryText(was)} → NONE`,
    );
    return;
  }
  if (isNew(change) || !GUARDED.has(String(now)) || !GUARDED.has(String(was))) return;
  if (now !== was) {
    report("method-authorizer-changed", "authorization", `authorization ${summaryText(was)} → ${summaryText(now)}`);
    return;
  }
  const authorizerWas = before(change, "authorizer_id");
  const authorizerNow = after(change, "authorizer_id");
  if (known(authorizerWas) && known(authorizerNow) && authorizerWas !== authorizerNow && authorizerWas !== null && authorizerNow !== null) {
    report("method-authorizer-changed", "authorizer_id", `authorizer_id ${summaryText(authorizerWas)} → ${summaryText(authorizerNow)}`);
  }
};

/** A Cognito-guarded method's scopes change. */
export const methodScopes: Check = (change, report) => {
  if (isNew(change) || change.before === null || change.after === null) return;
  if (before(change, "authorization") !== "COGNITO_USER_POOLS" || after(change, "authorization") !== "COGNITO_USER_POOLS") return;
  const was = stringList(before(change, "authorization_scopes"));
  const now = stringList(after(change, "authorization_scopes"));
  if (was === undefined || now === undefined) return;
  const removed = was.filter((scope) => !now.includes(scope));
  const added = now.filter((scope) => !was.includes(scope));
  if (removed.length > 0 && now.length === 0) {
    report("method-scopes-removed", "authorization_scopes", `authorization_scopes ${removed.join(", ")} → none`);
  } else if (removed.length > 0) {
    report("method-scopes-narrowed", "authorization_scopes", `authorization_scopes drops ${removed.join(", ")}`);
  }
  if (added.length > 0 && was.length > 0)
    report("method-scopes-added", "authorization_scopes", `authorization_scopes gains ${added.join(", ")}`);
};
