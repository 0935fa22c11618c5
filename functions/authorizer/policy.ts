/**
 * IAM policy documents returned to API Gateway, built from a decision, the called route and the stage
 * of `event.methodArn`.
 *
 * API Gateway may cache the returned policy under the authorizer's identity sources, which hold the
 * method and the resource path template (see `result-cache.ts`), and apply it to every later request
 * with the same key. So an Allow covers exactly the called route's pattern, built from the configured
 * template: every request to that route, and, wherever API Gateway applies this policy, nothing else.
 * A Deny is an explicit Deny only.
 *
 * @packageDocumentation
 */
import type { Decision, Identity } from "./decide";
import { routeResourcePattern } from "../../core/routes";

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
}

// The path is the client's and may hold any character, line terminators included (hence `s`).
const METHOD_ARN = /^(arn:[a-z-]+:execute-api:[a-z0-9-]+:[^:/\s*?]+:[^:/\s*?]+\/[^/\s*?]+)\/([A-Z]+)(\/.*)$/s;

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
  return `${stagePrefix}/${routeResourcePattern(routeKey)}`;
}

/**
 * Builds the authorizer response.
 *
 * - Allow: one statement allowing {@link routeResourceArn} of the called route, a route of the
 *   configuration (a decision never allows another). The stage comes from `methodArn`; the path, from
 *   the configured template, never from the client's request path.
 * - Deny: one explicit Deny of every method of the stage. Cached, it answers only requests with the
 *   same identity source values, that is the same credentials on the same route, whose fresh answer
 *   is the same Deny.
 *
 * @param input - methodArn, called route, identity and decision
 * @returns principalId, policy document and context
 * @throws Error when `methodArn` is malformed
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 */
export function buildAuthorizerResponse(input: PolicyInput): AuthorizerResponse {
  const { methodArn, routeKey, identity, decision } = input;
  const { stagePrefix } = parseMethodArn(methodArn);
  const statement: PolicyStatement =
    decision.effect === "Allow"
      ? { Action: "execute-api:Invoke", Effect: "Allow", Resource: [routeResourceArn(stagePrefix, routeKey)] }
      : { Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${stagePrefix}/*`] };
  return {
    principalId: identity.principal,
    policyDocument: { Version: "2012-10-17", Statement: [statement] },
    context: {
      principal: identity.principal,
      authType: identity.authType,
      clientId: identity.clientId,
      scopes: identity.scopes.join(" "),
      reason: decision.reason,
    },
  };
}
