import { show } from "../errors";
import { Integration, RouteConfig, ScopegateConfig } from "../model";
import { Reader, at } from "../reader";
import { API_NAME, API_NAME_WITH_LOGGING_ROLE_MAX_LENGTH, STAGE_NAME, STANDARD_SCOPES } from "../rules";
import { HTTP_METHODS, formatRouteKey, resourcePathProblem } from "../../../core/routes";
import { readRetention, list } from "./shared";
import { CONFIGURATION_DEFAULTS } from "../../../core/defaults";

const DEFAULTS = CONFIGURATION_DEFAULTS.api;
const ROUTE_DEFAULTS = DEFAULTS["routes[]"];

/** The `api` section: the REST API, its stage and its routes. */
export function readApi(
  r: Reader,
  value: unknown,
  name: string,
  customScopes: readonly string[],
  hasLegacyClient: boolean,
): ScopegateConfig["api"] {
  const path = "api";
  const o =
    r.object(value, path, [
      "name",
      "stageName",
      "routes",
      "logRetentionDays",
      "throttlingBurstLimit",
      "throttlingRateLimit",
      "manageAccountLoggingRole",
      "basicRateLimit",
    ]) ?? {};
  // A route whose method or guard is invalid is left out of every later check: a stand-in value
  // would be reported as if it had been written (FETCH shown as a duplicate GET).
  const routes = r
    .array(o, "routes", path)
    .map((item, i) => readRoute(r, item, at(at(path, "routes"), i), customScopes))
    .filter((route) => route !== undefined);
  if (routes.length === 0 && Array.isArray(o.routes)) r.report(at(path, "routes"), "define at least one route");
  r.unique(
    routes,
    (route) => formatRouteKey({ method: route.method, resourcePath: route.path }),
    (i) => at(at(path, "routes"), i),
    "route",
  );
  const apiName = r.string(o, "name", path, { ...API_NAME, default: DEFAULTS.name(name) });
  const manageAccountLoggingRole = r.boolean(o, "manageAccountLoggingRole", path, { default: DEFAULTS.manageAccountLoggingRole });
  if (manageAccountLoggingRole && API_NAME.pattern.test(apiName) && apiName.length > API_NAME_WITH_LOGGING_ROLE_MAX_LENGTH) {
    r.report(
      at(path, "name"),
      `must be at most ${API_NAME_WITH_LOGGING_ROLE_MAX_LENGTH} characters while api.manageAccountLoggingRole is on ` +
        `(the account logging role is named "<api.name>-apigw-logs", and IAM role names are at most 64), got ${apiName.length}; ` +
        "shorten it or turn manageAccountLoggingRole off",
    );
  }
  return {
    name: apiName,
    stageName: r.string(o, "stageName", path, { ...STAGE_NAME, default: DEFAULTS.stageName }),
    routes,
    logRetentionDays: readRetention(r, o, path, DEFAULTS.logRetentionDays),
    throttlingBurstLimit: r.integer(o, "throttlingBurstLimit", path, {
      default: DEFAULTS.throttlingBurstLimit,
      min: 1,
      max: 10000,
      unit: "requests",
    }),
    throttlingRateLimit: r.integer(o, "throttlingRateLimit", path, {
      default: DEFAULTS.throttlingRateLimit,
      min: 1,
      max: 10000,
      unit: "requests per second",
    }),
    manageAccountLoggingRole,
    basicRateLimit: readBasicRateLimit(
      r,
      o.basicRateLimit,
      at(path, "basicRateLimit"),
      hasLegacyClient && routes.some((route) => route.guard === "lambda"),
    ),
  };
}

/** `api.basicRateLimit`: on by default wherever the stage accepts Basic; off only on purpose. */
function readBasicRateLimit(r: Reader, value: unknown, path: string, acceptsBasic: boolean): ScopegateConfig["api"]["basicRateLimit"] {
  const o = value === undefined ? {} : (r.object(value, path, ["enabled", "requestsPer5MinutesPerIp"]) ?? {});
  const enabled = r.boolean(o, "enabled", path, { default: acceptsBasic });
  if (enabled && !acceptsBasic && o.enabled === true) {
    r.report(
      at(path, "enabled"),
      "the stage accepts no Basic credentials (no legacy client, or no route on the lambda guard), so there is nothing to limit; remove it",
    );
  }
  const requestsPer5MinutesPerIp = r.integer(o, "requestsPer5MinutesPerIp", path, {
    default: DEFAULTS.basicRateLimit.requestsPer5MinutesPerIp,
    min: 10,
    max: 2_000_000_000,
    unit: "requests per source IP in 5 minutes",
  });
  return { enabled: enabled && acceptsBasic, requestsPer5MinutesPerIp };
}

function readRoute(r: Reader, value: unknown, path: string, customScopes: readonly string[]): RouteConfig | undefined {
  const o = r.object(value, path, ["method", "path", "guard", "scopes", "integration"]) ?? {};
  const written = (key: string, allowed: readonly string[]) => typeof o[key] === "string" && allowed.includes(o[key] as string);
  const valid = written("method", HTTP_METHODS) && written("guard", ["cognito", "lambda"]);
  const method = r.oneOf(o, "method", path, HTTP_METHODS);
  const resourcePath = r.string(o, "path", path, { hint: 'a resource path such as "/resource" or "/orders/{id}"' });
  const pathProblem = resourcePath === "" ? undefined : resourcePathProblem(resourcePath);
  if (pathProblem !== undefined) r.report(at(path, "path"), pathProblem);
  const guard = r.oneOf(o, "guard", path, ["cognito", "lambda"] as const);
  const scopes = r.strings(o, "scopes", path, { default: ROUTE_DEFAULTS.scopes });
  const defined = [...customScopes, ...STANDARD_SCOPES];
  scopes.forEach((scope, i) => {
    if (!defined.includes(scope))
      r.report(at(at(path, "scopes"), i), `scope ${show(scope)} is not defined; defined scopes: ${list(defined)}`);
  });
  if (valid && guard === "cognito" && scopes.length === 0 && Array.isArray(o.scopes ?? ROUTE_DEFAULTS.scopes)) {
    r.report(
      at(path, "scopes"),
      "a route on the cognito guard needs at least one scope: without scopes the native authorizer also accepts ID tokens",
    );
  }
  const integration = readIntegration(r, o.integration, at(path, "integration"));
  return valid ? { method, path: resourcePath, guard, scopes, integration } : undefined;
}

function readIntegration(r: Reader, value: unknown, path: string): Integration {
  if (value === undefined) return ROUTE_DEFAULTS.integration;
  const o = r.object(value, path, ["type", "url"]) ?? {};
  const type = r.oneOf(o, "type", path, ["mock", "http_proxy"] as const);
  if (type === "mock") {
    if (o.url !== undefined) r.report(at(path, "url"), `applies only to "type": "http_proxy"; remove it`);
    return { type };
  }
  const url = r.string(o, "url", path, { pattern: /^https:\/\/[^\s]+$/, hint: "an https URL" });
  return { type, url };
}
