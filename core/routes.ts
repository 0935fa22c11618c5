/**
 * The route grammar, in one place: route keys `"<METHOD> <resource path>"` (for example
 * `"GET /resource/{id}"`), resource path templates and their segments, and the `execute-api` resource
 * pattern that covers every request to a route.
 *
 * The resource path is the API Gateway resource path template (`event.resource`,
 * `$context.resourcePath`), not the concrete request path. Grants may use `*` as the method to mean
 * every method of that resource path.
 *
 * Pure and dependency-free: the authorizer (decide, policy), the REST API construct, the
 * configuration validator, the access matrix and the review all import it.
 *
 * @packageDocumentation
 */
import { isJsonObject } from "./json";
import { isScopeToken } from "./scopes";

/** HTTP methods a route may use (API Gateway's `ANY` is deliberately not one of them). */
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

/** A concrete HTTP method. */
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The method of a grant: a concrete method or `*` for every method of the resource path. */
export type GrantMethod = HttpMethod | "*";

/** A parsed route key. */
export interface RouteKey {
  /** `GET`, `POST`, … or, in grants only, `*`. */
  readonly method: GrantMethod;
  /** API Gateway resource path template, for example `/resource/{id}` or `/`. */
  readonly resourcePath: string;
}

/** Options of {@link parseRouteKey}. */
export interface RouteKeyOptions {
  /**
   * Accept `*` as the method (grants do; configured routes do not).
   *
   * @default false
   */
  readonly allowAnyMethod?: boolean;
}

/** Result of {@link parseRouteKey}: the route key, or a problem that says what is allowed. */
export type RouteKeyParseResult = { readonly ok: true; readonly routeKey: RouteKey } | { readonly ok: false; readonly problem: string };

const LITERAL_SEGMENT = /^[A-Za-z0-9._-]+$/;
const PARAMETER_SEGMENT = /^\{[A-Za-z0-9._-]+\}$/;
const GREEDY_PARAMETER_SEGMENT = /^\{[A-Za-z0-9._-]+\+\}$/;

function isHttpMethod(value: string): value is HttpMethod {
  return (HTTP_METHODS as readonly string[]).includes(value);
}

/**
 * Checks an API Gateway resource path template.
 *
 * Allowed: `/`, or `/`-separated non-empty segments, each a literal of `A-Z a-z 0-9 . _ -`, a
 * parameter `{name}`, or, as the last segment only, a greedy parameter `{name+}`. No trailing slash.
 * (`*` and `?` are never allowed: they are wildcards in IAM policy resources.)
 *
 * @param resourcePath - the template to check
 * @returns `undefined` when valid, else a problem that names what is allowed
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html
 */
export function resourcePathProblem(resourcePath: string): string | undefined {
  const allowed =
    'must be "/" or "/"-separated segments, each of A-Z a-z 0-9 . _ - or a parameter "{name}" ' +
    '(a greedy "{name+}" only last), without a trailing "/"';
  if (resourcePath === "/") return undefined;
  if (!resourcePath.startsWith("/") || resourcePath.endsWith("/")) {
    return `${allowed}, got ${JSON.stringify(resourcePath)}`;
  }
  const segments = resourcePath.slice(1).split("/");
  for (const [index, segment] of segments.entries()) {
    const isLast = index === segments.length - 1;
    const valid = LITERAL_SEGMENT.test(segment) || PARAMETER_SEGMENT.test(segment) || (isLast && GREEDY_PARAMETER_SEGMENT.test(segment));
    if (!valid) return `${allowed}, got ${JSON.stringify(resourcePath)}`;
  }
  return undefined;
}

/** One segment of a resource path template. */
export type ResourcePathSegment =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "parameter"; readonly name: string; readonly text: string }
  | { readonly kind: "greedy"; readonly name: string; readonly text: string };

/**
 * The segments of a valid resource path template (see {@link resourcePathProblem}); `/` has none.
 *
 * @param resourcePath - a template such as `/items/{id}/files/{proxy+}`
 * @returns its segments, in order, each with its text as written (`{id}`)
 * @throws Error when the template is invalid (validate configuration first)
 */
export function resourcePathSegments(resourcePath: string): readonly ResourcePathSegment[] {
  const problem = resourcePathProblem(resourcePath);
  if (problem !== undefined) throw new Error(`resource path ${problem}`);
  if (resourcePath === "/") return [];
  return resourcePath
    .slice(1)
    .split("/")
    .map((text): ResourcePathSegment => {
      if (GREEDY_PARAMETER_SEGMENT.test(text)) return { kind: "greedy", name: text.slice(1, -2), text };
      if (PARAMETER_SEGMENT.test(text)) return { kind: "parameter", name: text.slice(1, -1), text };
      return { kind: "literal", text };
    });
}

/**
 * The path parameters of a resource path template, in order (`{proxy+}` gives `proxy`).
 *
 * @param resourcePath - a valid template
 * @returns the parameter names
 */
export function pathParameterNames(resourcePath: string): readonly string[] {
  return resourcePathSegments(resourcePath).flatMap((segment) => (segment.kind === "literal" ? [] : [segment.name]));
}

/**
 * Every resource path an API needs for a template, parents first: `/a/{id}/b` gives `/a`,
 * `/a/{id}`, `/a/{id}/b` (API Gateway creates one resource per path part).
 *
 * @param resourcePath - a valid template
 * @returns the prefixes, ending with the template itself; empty for `/`
 */
export function resourcePathPrefixes(resourcePath: string): readonly string[] {
  const prefixes: string[] = [];
  let current = "";
  for (const segment of resourcePathSegments(resourcePath)) {
    current = `${current}/${segment.text}`;
    prefixes.push(current);
  }
  return prefixes;
}

/**
 * The part of an `execute-api` resource ARN, after `<apiId>/<stage>/`, that covers every request to
 * a route: `<METHOD>` then the template with each parameter as `*` (`GET /items/{id}` gives
 * `GET/items/*`). In IAM, `*` also matches `/`, so the pattern alone also covers requests to other
 * routes (`GET/items/1/secret`); it is exact only where API Gateway evaluates it for this route
 * alone, as under the authorizer's result cache, whose key holds the method and the template.
 *
 * @param routeKey - a configured route, `"<METHOD> <resource path>"` (not `*`)
 * @returns the pattern, for example `GET/items/*`
 * @throws Error when `routeKey` is not a valid route key
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */
export function routeResourcePattern(routeKey: string): string {
  const parsed = parseRouteKey(routeKey);
  if (!parsed.ok) throw new Error(`not a route key: ${JSON.stringify(routeKey)}`);
  const path = resourcePathSegments(parsed.routeKey.resourcePath)
    .map((segment) => `/${segment.kind === "literal" ? segment.text : "*"}`)
    .join("");
  return `${parsed.routeKey.method}${path === "" ? "/" : path}`;
}

/**
 * Valid route keys already parsed, per mode (the authorizer parses the same configured routes and
 * grants on every decision). Bounded: emptied when full; results are frozen because they are shared.
 */
const parsedRouteKeys = new Map<string, RouteKeyParseResult>();
const parsedGrantKeys = new Map<string, RouteKeyParseResult>();
const PARSED_KEYS_LIMIT = 1024;

/**
 * Parses `"<METHOD> <resource path>"`: exactly one space, METHOD upper case.
 *
 * @param text - the route key text
 * @param options - whether `*` is accepted as the method
 * @returns the parsed key, or a problem naming the value received and what is allowed
 */
export function parseRouteKey(text: string, options: RouteKeyOptions = {}): RouteKeyParseResult {
  const allowAnyMethod = options.allowAnyMethod === true;
  const parsed = allowAnyMethod ? parsedGrantKeys : parsedRouteKeys;
  const known = parsed.get(text);
  if (known !== undefined) return known;
  const malformed = (): RouteKeyParseResult => {
    const methods = allowAnyMethod ? [...HTTP_METHODS, "*"] : [...HTTP_METHODS];
    return {
      ok: false,
      problem: `must be "<METHOD> <resource path>" with METHOD one of ${methods.join(", ")}, got ${JSON.stringify(text)}`,
    };
  };
  const parts = text.split(" ");
  if (parts.length !== 2) return malformed();
  const [method, resourcePath] = parts as [string, string];
  const methodValid = isHttpMethod(method) || (allowAnyMethod && method === "*");
  if (!methodValid) return malformed();
  const pathProblem = resourcePathProblem(resourcePath);
  if (pathProblem !== undefined) return { ok: false, problem: `resource path ${pathProblem}` };
  const result: RouteKeyParseResult = Object.freeze({ ok: true, routeKey: Object.freeze({ method: method as GrantMethod, resourcePath }) });
  if (parsed.size >= PARSED_KEYS_LIMIT) parsed.clear();
  parsed.set(text, result);
  return result;
}

/**
 * Formats a route key as `"<METHOD> <resource path>"`.
 *
 * @param routeKey - the parsed key
 * @returns the canonical text
 */
export function formatRouteKey(routeKey: RouteKey): string {
  return `${routeKey.method} ${routeKey.resourcePath}`;
}

/** A configured route and the scopes of which a Bearer token needs one (none when empty). */
export interface ScopedRoute {
  /** The route's method. */
  readonly method: HttpMethod;
  /** The route's resource path template. */
  readonly path: string;
  /** The route's scopes, e.g. `["api.example.com/read"]`. */
  readonly scopes: readonly string[];
}

/**
 * The Lambda authorizer's route table (`ROUTE_SCOPES`, which the stack packages and the access
 * matrix decides with): route key → scopes, in the order given.
 *
 * @param routes - the routes the authorizer guards
 * @returns the table, keyed by {@link formatRouteKey}
 */
export function routeScopeTable(routes: readonly ScopedRoute[]): ReadonlyMap<string, readonly string[]> {
  return new Map(routes.map((route) => [formatRouteKey({ method: route.method, resourcePath: route.path }), route.scopes] as const));
}

/**
 * Reads a route table (the `ROUTE_SCOPES` value): route key → the scopes of which a Bearer token
 * needs one: the decoder of {@link routeScopeTable}'s table. The authorizer reads its table with it at
 * cold start, and the review judges a change of the table as the authorizer reads it.
 *
 * @param text - the JSON text, or `undefined` when unset
 * @param problem - receives what is allowed, once per problem; the entry concerned is left out
 * @returns the valid routes, each with its scopes (frozen)
 */
export function readRouteScopes(text: string | undefined, problem: (allowed: string) => void): ReadonlyMap<string, readonly string[]> {
  const shape = 'must be a JSON object such as {"GET /resource": ["api.example.com/read"]}';
  const routeScopes = new Map<string, readonly string[]>();
  if (text === undefined) {
    problem(shape);
    return routeScopes;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problem(`${shape} (not valid JSON)`);
    return routeScopes;
  }
  if (!isJsonObject(parsed) || Object.keys(parsed).length === 0) {
    problem(`${shape} with at least one route`);
    return routeScopes;
  }
  for (const [routeKey, scopes] of Object.entries(parsed)) {
    const parsedKey = parseRouteKey(routeKey);
    if (!parsedKey.ok) {
      problem(`key ${JSON.stringify(routeKey)} ${parsedKey.problem}`);
      continue;
    }
    if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== "string" || !isScopeToken(scope))) {
      problem(`value of ${JSON.stringify(routeKey)} must be an array (possibly empty) of scope strings without spaces`);
      continue;
    }
    routeScopes.set(routeKey, Object.freeze([...(scopes as string[])]));
  }
  return routeScopes;
}

/**
 * Whether `text` is a valid route key.
 *
 * @param text - the route key text
 * @param options - whether `*` is accepted as the method
 * @returns true when {@link parseRouteKey} accepts it
 */
export function isRouteKey(text: string, options: RouteKeyOptions = {}): boolean {
  return parseRouteKey(text, options).ok;
}

/**
 * Whether a grant covers a route: same resource path template (exact string comparison) and the
 * same method, or the grant's method is `*`. Paths are never matched by prefix or pattern, so a grant
 * can never cover more than the routes it names.
 *
 * @param grantRouteKey - a grant, `"<METHOD|*> <resource path>"`
 * @param routeKey - a concrete route, `"<METHOD> <resource path>"`
 * @returns false when either key is invalid
 */
export function grantCovers(grantRouteKey: string, routeKey: string): boolean {
  const grant = parseRouteKey(grantRouteKey, { allowAnyMethod: true });
  const route = parseRouteKey(routeKey);
  if (!grant.ok || !route.ok) return false;
  return (
    grant.routeKey.resourcePath === route.routeKey.resourcePath &&
    (grant.routeKey.method === "*" || grant.routeKey.method === route.routeKey.method)
  );
}
