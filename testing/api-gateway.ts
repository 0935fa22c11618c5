/**
 * A small model of API Gateway (REST) in front of a REQUEST Lambda authorizer: routing to a resource
 * template, identity sources, the authorizer result cache, IAM evaluation of the returned policy and
 * the status codes. Tests send requests through it to the real handler, so our correctness is checked
 * against the service's documented behaviour rather than our belief about it.
 *
 * Modelled as documented:
 * - Identity sources: every mapping expression must be present, not null and non-empty, or API Gateway
 *   answers 401 without invoking the function; their values form the cache key.
 *   https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html (identitySource)
 * - Result cache: a policy returned for a key is reused for every request with that key for the
 *   authorizer's `authorizerResultTtlInSeconds`; 0 disables caching.
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
 * - 401 only when the function fails with exactly `Unauthorized`; any other failure is a 500; a
 *   policy is evaluated against the request's method ARN: an explicit Deny wins, then an Allow, else
 *   403. https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 * - IAM resource matching: `*` matches any sequence of characters (`/` included), `?` any one.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 * - Routing: a literal path part is preferred over a `{param}`, a `{param}` over a greedy `{proxy+}`,
 *   which takes one or more path parts. A path no resource matches, or a method the resource lacks,
 *   is answered 403 (`Missing Authentication Token`) without invoking the authorizer.
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html
 *
 * Assumptions (the documentation leaves these open; each is a parameter or written down here):
 * - A header sent several times (in any case of its name) appears in `headers` once, with the last
 *   value, under the last spelling, and `method.request.header.<Name>` keys on that same value;
 *   `multiValueHeaders` holds every value. (The REST documentation says neither which value `headers`
 *   keeps nor which one the identity source takes; the authorizer decides on no value of a repeated
 *   header, so only which cache entry such a request can hit depends on this.)
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#apigateway-multivalue-headers-and-parameters
 *
 * What the tests hold the authorizer to through this model: every answer through the result cache
 * equals a fresh decision, with one exception. A request carrying `Authorization` more than once is
 * refused by a fresh decision (401 `HEADER_REPEATED`), but its cache key holds one value
 * (here the last), so while the entry of that value sent alone lives, the request gets that entry's
 * answer without invoking the function: no more than that one credential already earned.
 * - `methodArn` holds the request path as sent (`methodArnPath: "raw"`) or percent-decoded
 *   (`"decoded"`); the authorizer's answers must not depend on which.
 * - Routing backtracks: when a literal branch leads nowhere, the parameter branch is tried.
 * - Empty path parts (`//`, a trailing `/`) match no resource.
 * - Only returned policies are cached; a 401 or 500 is not.
 */
import type { ApiGatewayRequestAuthorizerEvent } from "../functions/authorizer/handler";
import type { AuthorizerResponse } from "../functions/authorizer/policy";
import { isExactUnauthorized } from "./authorizer-harness";
import { evaluatePolicy } from "./iam-policy";

/** The stage every modelled request is sent to. */
export const MODEL_STAGE = "arn:aws:execute-api:eu-west-1:123456789012:api123/v1";

/** The Lambda authorizer's settings, as the stack synthesizes them. */
export interface LambdaAuthorizerSettings {
  /** The mapping expressions of `identity_source`, in order. */
  readonly identitySources: readonly string[];
  /** `authorizer_result_ttl_in_seconds`. */
  readonly resultTtlSeconds: number;
}

/**
 * Reads the REQUEST authorizer of a synthesized stack (Terraform JSON).
 *
 * @param tf - the stack's Terraform JSON
 * @returns its identity sources and result TTL
 */
export function readLambdaAuthorizer(tf: any): LambdaAuthorizerSettings {
  const authorizers = Object.values(tf.resource?.aws_api_gateway_authorizer ?? {}).filter((a: any) => a.type === "REQUEST") as any[];
  if (authorizers.length !== 1) throw new Error(`expected one REQUEST authorizer, found ${authorizers.length}`);
  const [authorizer] = authorizers;
  return {
    identitySources: String(authorizer.identity_source)
      .split(",")
      .map((source) => source.trim()),
    resultTtlSeconds: Number(authorizer.authorizer_result_ttl_in_seconds),
  };
}

/** One request as a client sends it. */
export interface ModelRequest {
  readonly method: string;
  /** The path as sent, starting with `/` (percent-encoding kept). */
  readonly path: string;
  /** Header lines in the order sent. */
  readonly headers?: readonly (readonly [string, string])[];
  /** @default "198.51.100.7" */
  readonly sourceIp?: string;
}

/** What the client receives. */
export interface ModelAnswer {
  readonly status: 200 | 401 | 403 | 500;
  /** Who answered: the authorizer function, the result cache, the identity-source check, or routing. */
  readonly by: "function" | "cache" | "identity-source" | "routing";
  /** The resource template API Gateway routed to, if any. */
  readonly resource?: string;
  /** The reason in the authorizer's context (a policy), when there is one. */
  readonly reason?: string;
}

/** Options of {@link createApiGatewayModel}. */
export interface ApiGatewayModelOptions extends LambdaAuthorizerSettings {
  /** Every method of the API, `"<METHOD> <resource path>"`, all guarded by the Lambda authorizer. */
  readonly routes: readonly string[];
  /** The authorizer function. */
  readonly invoke: (event: ApiGatewayRequestAuthorizerEvent) => Promise<AuthorizerResponse>;
  /** The clock, milliseconds. */
  readonly now: () => number;
  /** @default "raw" */
  readonly methodArnPath?: "raw" | "decoded";
  /** @default {@link MODEL_STAGE} */
  readonly stage?: string;
}

/** A running model. */
export interface ApiGatewayModel {
  send(request: ModelRequest): Promise<ModelAnswer>;
  /** How many times the function was invoked. */
  readonly invocations: number;
  /** Flushes the result cache (`FlushStageAuthorizersCache`). */
  flush(): void;
}

interface ResourceNode {
  readonly children: Map<string, ResourceNode>;
  readonly methods: Set<string>;
  template: string;
}

const isParameter = (part: string) => /^\{[^}]+\}$/.test(part) && !part.endsWith("+}");
const isGreedy = (part: string) => /^\{[^}]+\+\}$/.test(part);

function buildTree(routes: readonly string[]): ResourceNode {
  const root: ResourceNode = { children: new Map(), methods: new Set(), template: "/" };
  for (const route of routes) {
    const [method, template] = route.split(" ") as [string, string];
    let node = root;
    for (const part of template === "/" ? [] : template.slice(1).split("/")) {
      let child = node.children.get(part);
      if (child === undefined) {
        child = { children: new Map(), methods: new Set(), template: `${node.template === "/" ? "" : node.template}/${part}` };
        node.children.set(part, child);
      }
      node = child;
    }
    node.methods.add(method);
  }
  return root;
}

/** The resource a path routes to: literal, then `{param}`, then `{proxy+}`, backtracking. */
function route(node: ResourceNode, parts: readonly string[]): ResourceNode | undefined {
  if (parts.length === 0) return node;
  const [head, ...rest] = parts as [string, ...string[]];
  const literal = node.children.get(head);
  const viaLiteral = literal === undefined ? undefined : route(literal, rest);
  if (viaLiteral !== undefined) return viaLiteral;
  for (const [part, child] of node.children) {
    if (isParameter(part)) {
      const viaParameter = route(child, rest);
      if (viaParameter !== undefined) return viaParameter;
    }
  }
  for (const [part, child] of node.children) if (isGreedy(part)) return child;
  return undefined;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Starts a model of one stage.
 *
 * @param options - the API's routes, the authorizer's settings, the function and the clock
 * @returns the model
 */
export function createApiGatewayModel(options: ApiGatewayModelOptions): ApiGatewayModel {
  const tree = buildTree(options.routes);
  const stage = options.stage ?? MODEL_STAGE;
  const cache = new Map<string, { readonly response: AuthorizerResponse; readonly expiresAtMs: number }>();
  let invocations = 0;

  const evaluate = (response: AuthorizerResponse, methodArn: string): 200 | 403 =>
    evaluatePolicy(response.policyDocument, methodArn) === "Allow" ? 200 : 403;

  return {
    get invocations() {
      return invocations;
    },
    flush: () => cache.clear(),
    async send(request) {
      const parts = request.path === "/" ? [] : request.path.slice(1).split("/");
      const node = parts.includes("") || !request.path.startsWith("/") ? undefined : route(tree, parts);
      if (node === undefined || !node.methods.has(request.method)) return { status: 403, by: "routing" };
      const resource = node.template;

      // headers: one entry per name (any case), the last value, under the last spelling.
      const headers: Record<string, string> = {};
      const multiValueHeaders: Record<string, string[]> = {};
      for (const [name, value] of request.headers ?? []) {
        const earlier = Object.keys(headers).find((known) => known.toLowerCase() === name.toLowerCase());
        const values = earlier === undefined ? [] : multiValueHeaders[earlier]!;
        if (earlier !== undefined) {
          delete headers[earlier];
          delete multiValueHeaders[earlier];
        }
        headers[name] = value;
        multiValueHeaders[name] = [...values, value];
      }
      const sourceIp = request.sourceIp ?? "198.51.100.7";
      const methodArn = `${stage}/${request.method}${options.methodArnPath === "decoded" ? decodePath(request.path) : request.path}`;

      const identityValue = (source: string): string | undefined => {
        const header = /^method\.request\.header\.(.+)$/.exec(source);
        if (header !== null) return Object.entries(headers).find(([name]) => name.toLowerCase() === header[1]!.toLowerCase())?.[1];
        if (source === "context.httpMethod") return request.method;
        if (source === "context.resourcePath") return resource;
        if (source === "context.identity.sourceIp") return sourceIp;
        throw new Error(`the model does not know the identity source ${source}`);
      };
      const values = options.identitySources.map(identityValue);
      if (values.some((value) => value === undefined || value === "")) return { status: 401, by: "identity-source", resource };

      const key = JSON.stringify(values);
      const nowMs = options.now();
      const cached = cache.get(key);
      if (cached !== undefined && cached.expiresAtMs > nowMs) {
        return { status: evaluate(cached.response, methodArn), by: "cache", resource, reason: String(cached.response.context.reason) };
      }

      const event: ApiGatewayRequestAuthorizerEvent & Record<string, unknown> = {
        type: "REQUEST",
        methodArn,
        resource,
        path: request.path,
        httpMethod: request.method,
        headers,
        multiValueHeaders,
        // (resourcePath and httpMethod are part of API Gateway's context; the handler's type names only what it reads)
        requestContext: {
          resourcePath: resource,
          httpMethod: request.method,
          identity: { sourceIp },
          domainName: "api.example.com",
          path: `/v1${request.path}`,
        } as ApiGatewayRequestAuthorizerEvent["requestContext"],
      };
      invocations += 1;
      let response: AuthorizerResponse;
      try {
        response = await options.invoke(event);
      } catch (error) {
        return { status: isExactUnauthorized(error) ? 401 : 500, by: "function", resource };
      }
      if (options.resultTtlSeconds > 0) cache.set(key, { response, expiresAtMs: nowMs + options.resultTtlSeconds * 1000 });
      return { status: evaluate(response, methodArn), by: "function", resource, reason: String(response.context.reason) };
    },
  };
}
