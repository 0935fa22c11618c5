/**
 * Risk checks of the Lambda authorizer: who may invoke it, its package, the route table it carries
 * and the designated Basic accounts. Settings are read with the deployment contract's decoders
 * (`contracts/`), as the authorizer reads them.
 *
 * @packageDocumentation
 */
import { basicUsernameKey, decodeBasicUsers } from "../../contracts/basic-users";
import { AUTHORIZER_VARIABLES, decodeRouteScopes } from "../../contracts/authorizer-environment";
import { wildcardMatches } from "../policy";
import { block } from "../values";
import { Check, after, before, isNew, known, summaryText } from "./check";
import { isJsonObject } from "../../core/json";

/** An invoke permission widened: principal `*`, source ARN removed or broadened. */
export const invokePermission: Check = (change, report) => {
  if (change.after === null) return;
  const principal = after(change, "principal");
  const sourceNow = after(change, "source_arn");
  const sourceWas = isNew(change) ? null : before(change, "source_arn");
  if (principal === "*" && (isNew(change) || before(change, "principal") !== "*")) {
    report(
      "invoke-permission-widened",
      "principal",
      isNew(change) ? "created with principal = *" : `principal ${summaryText(before(change, "principal"))} → *`,
    );
  }
  if (!known(sourceNow) || !known(sourceWas)) return;
  if (isNew(change)) {
    if (sourceNow === null && typeof principal === "string" && principal.endsWith(".amazonaws.com")) {
      report("invoke-permission-widened", "source_arn", `created without source_arn: any ${principal} resource may invoke`);
    }
  } else if (typeof sourceWas === "string" && sourceNow === null) {
    report("invoke-permission-widened", "source_arn", "source_arn removed");
  } else if (
    typeof sourceWas === "string" &&
    typeof sourceNow === "string" &&
    sourceWas !== sourceNow &&
    wildcardMatches(sourceNow, sourceWas)
  ) {
    report("invoke-permission-widened", "source_arn", `source_arn broadened: ${sourceWas} → ${sourceNow}`);
  }
};

/** The authorizer's route table variable, which the package's settings carry. */
const ROUTE_SCOPES_VARIABLE = AUTHORIZER_VARIABLES.routeScopes;
/** The designated Basic accounts' variable. */
const BASIC_USERS_VARIABLE = AUTHORIZER_VARIABLES.basicUsers;

/**
 * The authorizer's route table (route key → scopes) as the authorizer reads it (entries it would
 * refuse left out), or `undefined` when absent: from the `terraform_data` resource that records the
 * package's settings (`input.ROUTE_SCOPES`), or from the function's environment (stacks
 * synthesized before the table moved into the package).
 */
function routeScopesOf(values: Readonly<Record<string, unknown>> | null): ReadonlyMap<string, readonly string[]> | undefined {
  const recorded = block(values?.input)?.[ROUTE_SCOPES_VARIABLE];
  const text = recorded === undefined ? block(block(values?.environment)?.variables)?.[ROUTE_SCOPES_VARIABLE] : JSON.stringify(recorded);
  if (typeof text !== "string") return undefined;
  return decodeRouteScopes(text, () => undefined);
}

/** A route of the authorizer's route table no longer requires scopes. */
export const lambdaRouteScopes: Check = (change, report) => {
  if (isNew(change) || change.after === null) return;
  const was = routeScopesOf(change.before);
  const now = routeScopesOf(change.after);
  if (was === undefined || now === undefined) return;
  for (const [route, scopes] of now) {
    const before = was.get(route);
    if (before !== undefined && before.length > 0 && scopes.length === 0) {
      const attribute =
        change.type === "terraform_data" ? `input.${ROUTE_SCOPES_VARIABLE}` : `environment.variables.${ROUTE_SCOPES_VARIABLE}`;
      report("lambda-route-scopes-removed", attribute, `${route}: ${before.join(", ")} → none`);
    }
  }
};

const CODE_ATTRIBUTES = ["source_code_hash", "filename", "s3_key", "s3_object_version", "image_uri"];

/** The authorizer's deployment package changes. */
export const codeChanged: Check = (change, report) => {
  if (change.action !== "change" && change.action !== "replace") return;
  const changed = change.attributes.filter((a) => CODE_ATTRIBUTES.includes(a.path) && a.cause === undefined);
  if (changed.length > 0) report("authorizer-code-changed", changed.map((a) => a.path).join(", "), "the deployment package changes");
};

/** The designated Basic accounts in a function's environment; `undefined` when they cannot be read. */
function basicUsersOf(values: Readonly<Record<string, unknown>> | null): string[] | undefined {
  if (values === null) return [];
  const environment = block(values.environment);
  if (environment === undefined) return values.environment === undefined || values.environment === null ? [] : undefined;
  const variables = environment.variables;
  if (variables === undefined || variables === null) return [];
  if (!isJsonObject(variables)) return undefined;
  const text = variables[BASIC_USERS_VARIABLE];
  if (text === undefined || text === null || text === "") return [];
  if (typeof text !== "string" || !known(text)) return undefined;
  return decodeBasicUsers(text);
}

/** The designated Basic accounts change. */
export const basicUsersChanged: Check = (change, report) => {
  if (change.after === null) return;
  const now = basicUsersOf(change.after);
  const was = isNew(change) ? [] : basicUsersOf(change.before);
  if (now === undefined || was === undefined) return;
  const has = (names: readonly string[], name: string) => names.some((other) => basicUsernameKey(other) === basicUsernameKey(name));
  const added = now.filter((name) => !has(was, name));
  const removed = was.filter((name) => !has(now, name));
  if (added.length > 0) {
    report(
      "basic-user-designated",
      `environment.variables.${BASIC_USERS_VARIABLE}`,
      `${isNew(change) ? "created with" : "gains"} designated Basic account${added.length === 1 ? "" : "s"} ${added.join(", ")}`,
      isNew(change) ? "medium" : undefined,
    );
  }
  if (removed.length > 0) {
    report("basic-user-undesignated", `environment.variables.${BASIC_USERS_VARIABLE}`, `no longer designates ${removed.join(", ")}`);
  }
};
