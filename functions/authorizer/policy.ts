/**
 * IAM policy documents returned to API Gateway, built from a decision and `event.methodArn`.
 *
 * API Gateway may cache the returned policy (per identity source) and reuse it for every method of
 * the API, so an Allow covers exactly the routes the identity may call, and never a route it may not.
 *
 * @packageDocumentation
 */
import type { Decision, Identity } from "./decide";
import { parseRouteKey } from "./routes";

/** The parts of `arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/<VERB>/<path>`. */
export interface MethodArn {
  /** `arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>`: every resource ARN starts with it. */
  readonly stagePrefix: string;
  /** The called HTTP verb. */
  readonly method: string;
  /** The concrete request path, starting with `/`. */
  readonly path: string;
}

/** One statement of a policy. */
export interface PolicyStatement {
  /** Always `execute-api:Invoke`. */
  readonly Action: "execute-api:Invoke";
  /** Allow or Deny. */
  readonly Effect: "Allow" | "Deny";
  /** Method ARNs; `*` matches any characters, `/` included. */
  readonly Resource: readonly string[];
}

/** The `context` API Gateway passes to the integration (`$context.authorizer.<key>`); strings only. */
export interface AuthorizerContext {
  /** `user#<username>` or `client#<client_id>`. */
  readonly principal: string;
  /** `bearer` or `basic`. */
  readonly authType: string;
  /** The app client used. */
  readonly clientId: string;
  /** The token's scopes, space-separated (empty for Basic). */
  readonly scopes: string;
  /** The reason code of the decision for the called route. */
  readonly reason: string;
  /** Index signature required by the context shape: values are strings, numbers or booleans. */
  readonly [key: string]: string | number | boolean;
}

/** What a REQUEST authorizer returns. */
export interface AuthorizerResponse {
  /** The principal. */
  readonly principalId: string;
  /** The policy API Gateway evaluates (and may cache). */
  readonly policyDocument: { readonly Version: "2012-10-17"; readonly Statement: readonly PolicyStatement[] };
  /** Flat context for the integration. */
  readonly context: AuthorizerContext;
}

/** What {@link buildAuthorizerResponse} needs. */
export interface PolicyInput {
  /** `event.methodArn`. */
  readonly methodArn: string;
  /** The called route, `"<METHOD> <resource path>"`. */
  readonly routeKey: string;
  /** The authenticated caller. */
  readonly identity: Identity;
  /** The decision for the called route. */
  readonly decision: Decision;
  /** Every configured route key (ROUTE_SCOPES keys), to detect patterns that would cover a forbidden route. */
  readonly configuredRouteKeys: readonly string[];
}

const METHOD_ARN = /^(arn:[a-z-]+:execute-api:[a-z0-9-]+:[^:/]+:[^:/]+\/[^/]+)\/([A-Z]+)(\/.*)$/;

/**
 * Splits an execute-api method ARN.
 *
 * @param methodArn - `event.methodArn`
 * @returns its parts
 * @throws Error when it is not an execute-api method ARN (an API Gateway contract violation)
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */
export function parseMethodArn(methodArn: string): MethodArn {
  const match = METHOD_ARN.exec(methodArn);
  if (match === null) throw new Error("event.methodArn is not an execute-api method ARN");
  return { stagePrefix: match[1]!, method: match[2]!, path: match[3]! };
}

/**
 * The resource ARN covering every request to a route: path parameters (`{id}`, `{proxy+}`) become `*`.
 *
 * @param stagePrefix - {@link MethodArn.stagePrefix}
 * @param routeKey - a configured route, `"<METHOD> <resource path>"`
 * @returns for example `arn:aws:execute-api:eu-west-1:123456789012:abc/v1/GET/resource/*`
 */
export function routeResourceArn(stagePrefix: string, routeKey: string): string {
  const parsed = parseRouteKey(routeKey);
  if (!parsed.ok) throw new Error(`not a route key: ${JSON.stringify(routeKey)}`);
  const path = parsed.routeKey.resourcePath.replace(/\{[^/}]+\}/g, "*");
  return `${stagePrefix}/${parsed.routeKey.method}${path}`;
}

/**
 * Whether two `*`-globs (`*` = any string) match at least one common string. Used with route
 * templates whose parameters are `*`: a conservative test (a parameter cannot really hold `/`), so it
 * may report an overlap that cannot occur, never miss one that can.
 */
function globsOverlap(a: string, b: string): boolean {
  const memo = new Map<number, boolean>();
  const width = b.length + 1;
  const overlap = (i: number, j: number): boolean => {
    const key = i * width + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (a[i] === "*") result = overlap(i + 1, j) || (j < b.length && overlap(i, j + 1));
    else if (b[j] === "*") result = overlap(i, j + 1) || (i < a.length && overlap(i + 1, j));
    else result = i < a.length && j < b.length && a[i] === b[j] && overlap(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return overlap(0, 0);
}

const IAM_WILDCARDS = /[*?]/;
const PARAMETER = /^\{[^/}]+\}$/;
const GREEDY_PARAMETER = /^\{[^/}]+\+\}$/;

/**
 * How a resource path template matches a concrete request path, segment by segment: 0 for a literal,
 * 1 for `{name}`, 2 for a final `{name+}`; `undefined` when the path is not a request to it.
 */
function matchRanks(resourcePath: string, requestPath: string): number[] | undefined {
  const templateSegments = resourcePath === "/" ? [] : resourcePath.slice(1).split("/");
  const requestSegments = requestPath === "/" ? [] : requestPath.slice(1).split("/");
  const ranks: number[] = [];
  for (const [index, segment] of templateSegments.entries()) {
    const rest = requestSegments.slice(index);
    if (rest.length === 0 || rest.includes("")) return undefined;
    if (GREEDY_PARAMETER.test(segment)) return [...ranks, 2];
    if (PARAMETER.test(segment)) ranks.push(1);
    else if (segment === rest[0]) ranks.push(0);
    else return undefined;
  }
  return requestSegments.length === templateSegments.length ? ranks : undefined;
}

/**
 * Whether `methodArn` is a request that API Gateway routes to `routeKey`, so that allowing it as is
 * allows nothing else: no IAM wildcard (`*`, `?`, which a client can put in a path parameter), the same
 * verb, a path that the route's template matches and that no more specific configured route (a literal
 * segment before a parameter before a greedy one) also matches.
 */
function isRequestTo(methodArn: string, routeKey: string, configuredRouteKeys: readonly string[]): boolean {
  if (IAM_WILDCARDS.test(methodArn)) return false;
  const { method, path } = parseMethodArn(methodArn);
  const ranksOf = (key: string) => {
    const parsed = parseRouteKey(key);
    return parsed.ok && parsed.routeKey.method === method ? matchRanks(parsed.routeKey.resourcePath, path) : undefined;
  };
  const called = ranksOf(routeKey);
  if (called === undefined) return false;
  return configuredRouteKeys.every((other) => {
    const ranks = ranksOf(other);
    const differing = ranks?.findIndex((rank, index) => rank !== called[index]) ?? -1;
    return ranks === undefined || differing === -1 || ranks[differing]! > called[differing]!;
  });
}

/** The part of an Allow statement that depends only on the stage and the allowed routes. */
interface ResourcePlan {
  /** Resource patterns of the allowed routes that cannot match a forbidden route, in route order. */
  readonly patterns: readonly string[];
  /** Allowed routes whose pattern could also match a forbidden route (left out of `patterns`). */
  readonly ambiguousRouteKeys: ReadonlySet<string>;
}

/**
 * Plans already computed, per configured route list (the handler passes the same array on every call),
 * then per stage, then per allowed route list. A handler sees few stages and few distinct sets of
 * allowed routes, and each plan costs several glob comparisons; each level is emptied when full.
 */
const resourcePlans = new WeakMap<readonly string[], Map<string, Map<string, ResourcePlan>>>();
const MAX_PLANNED_STAGES = 16;
const MAX_PLANS_PER_STAGE = 256;

function resourcePlan(stagePrefix: string, allowedRouteKeys: readonly string[], configuredRouteKeys: readonly string[]): ResourcePlan {
  let byStage = resourcePlans.get(configuredRouteKeys);
  if (byStage === undefined) resourcePlans.set(configuredRouteKeys, (byStage = new Map()));
  let byAllowed = byStage.get(stagePrefix);
  if (byAllowed === undefined) {
    if (byStage.size >= MAX_PLANNED_STAGES) byStage.clear();
    byStage.set(stagePrefix, (byAllowed = new Map()));
  }
  // JSON: an unambiguous encoding of the list, whatever the keys hold.
  const allowedKey = JSON.stringify(allowedRouteKeys);
  const known = byAllowed.get(allowedKey);
  if (known !== undefined) return known;

  const allowed = new Set(allowedRouteKeys);
  const forbiddenPatterns = configuredRouteKeys.filter((key) => !allowed.has(key)).map((key) => routeResourceArn(stagePrefix, key));
  const patterns = new Set<string>();
  const ambiguousRouteKeys = new Set<string>();
  for (const routeKey of allowedRouteKeys) {
    const pattern = routeResourceArn(stagePrefix, routeKey);
    const ambiguous = pattern.includes("*") && forbiddenPatterns.some((forbidden) => globsOverlap(pattern, forbidden));
    if (ambiguous) ambiguousRouteKeys.add(routeKey);
    else patterns.add(pattern);
  }
  const plan: ResourcePlan = { patterns: [...patterns], ambiguousRouteKeys };
  if (byAllowed.size >= MAX_PLANS_PER_STAGE) byAllowed.clear();
  byAllowed.set(allowedKey, plan);
  return plan;
}

/**
 * Builds the authorizer response.
 *
 * - Allow statement: one resource per route in `decision.allowedRouteKeys` (parameters → `*`). A
 *   pattern with `*` that could also match a configured route the identity may not call (IAM's `*`
 *   spans `/`, so `GET/items/*` matches `GET/items/1/secret`) is left out; when it is the called
 *   route's, the exact `methodArn` is allowed instead, but only when it is a request to that route and
 *   holds no IAM wildcard (a client can send `GET /items/*`: allowing that ARN would allow
 *   `GET/items/1/secret` too). A cached policy may then answer 403 for some allowed calls until it
 *   expires, never 200 for a forbidden one.
 * - Deny decision: also an explicit Deny of the exact `methodArn`.
 *
 * @param input - methodArn, called route, identity, decision and every configured route
 * @returns principalId, policy document and context
 * @throws Error when `methodArn` is malformed
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 */
export function buildAuthorizerResponse(input: PolicyInput): AuthorizerResponse {
  const { methodArn, routeKey: calledRouteKey, identity, decision, configuredRouteKeys } = input;
  const { stagePrefix } = parseMethodArn(methodArn);
  const plan = resourcePlan(stagePrefix, decision.allowedRouteKeys, configuredRouteKeys);

  const allowResources = new Set<string>(plan.patterns);
  const calledRouteNarrowed = decision.effect === "Allow" && plan.ambiguousRouteKeys.has(calledRouteKey);
  if (calledRouteNarrowed && isRequestTo(methodArn, calledRouteKey, configuredRouteKeys)) allowResources.add(methodArn);

  const Statement: PolicyStatement[] = [];
  if (allowResources.size > 0) Statement.push({ Action: "execute-api:Invoke", Effect: "Allow", Resource: [...allowResources] });
  if (decision.effect === "Deny") Statement.push({ Action: "execute-api:Invoke", Effect: "Deny", Resource: [methodArn] });

  return {
    principalId: identity.principal,
    policyDocument: { Version: "2012-10-17", Statement },
    context: {
      principal: identity.principal,
      authType: identity.authType,
      clientId: identity.clientId,
      scopes: identity.scopes.join(" "),
      reason: decision.reason,
    },
  };
}
