/**
 * The Lambda REQUEST authorizer: the adapter between API Gateway and the authorizer's layers, and
 * the only code that knows the event shape.
 *
 * event → credentials → verified identity (verify-token / basic-auth) → grants → decide (pure) → policy.
 *
 * Answers: 401 by throwing exactly `Error("Unauthorized")`; 403 by a policy that does not allow the
 * called method; 500 by throwing {@link AuthorizerDependencyError} when a dependency fails. Never an
 * Allow on a failure.
 *
 * @packageDocumentation
 */
import { parseAuthorizationHeader, type AuthorizationHeader } from "./authorization-header";
import type { CognitoApi } from "./aws/cognito";
import { createDynamoDbClient, type DynamoDbApi } from "./aws/dynamodb";
import { createBasicAuthenticator, type BasicAuthenticator, type BasicSignInCaller } from "./basic-auth";
import { loadAuthorizerConfig, type AuthorizerConfig } from "./config";
import { readPackagedSettings } from "../../contracts/packaged-settings";
import { decide, type AuthType, type Identity } from "./decide";
import { errorDetail } from "./error-detail";
import { createGrantStore } from "./grants";
import { createSignInLimiter } from "./sign-in-limit";
import { buildAuthorizerResponse, type AuthorizerResponse } from "./policy";
import { reasonKind, type DependencyReason, type RefusalReason } from "./reasons";
import { decisionLogLine, type DecisionLog } from "./decision-log";
import { createDecisionMemo, type DecideNow, type MemoizedDecision } from "./decision-memo";
import { createTokenVerifier } from "./verify-token";

/** The fields of an API Gateway REST `REQUEST` authorizer event that the authorizer reads. */
export interface ApiGatewayRequestAuthorizerEvent {
  /** `REQUEST`. */
  readonly type?: string;
  /** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<VERB>/<path>`. */
  readonly methodArn: string;
  /** The resource path template, for example `/resource/{id}`. */
  readonly resource: string;
  /** The HTTP method. */
  readonly httpMethod: string;
  /**
   * Headers, the last value of each: the view of the `Authorization` header that API Gateway puts in
   * the result cache key, so the only value the decision may read (see `result-cache.ts`).
   */
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  /** Headers with every value: only counted, for `Authorization` (one credential per request). */
  readonly multiValueHeaders?: Readonly<Record<string, readonly string[] | undefined>> | null;
  /** The concrete path called (without the stage), for example `/resource/42`. */
  readonly path?: string;
  /** The request context; only the caller's address, the API's domain name and the path are read. */
  readonly requestContext?: {
    /** `identity.sourceIp`: the address API Gateway saw the request come from. */
    readonly identity?: { readonly sourceIp?: string } | null;
    /** The host name the caller used, for example `abc123.execute-api.eu-west-1.amazonaws.com`. */
    readonly domainName?: string;
    /** The path with the stage, for example `/v1/resource/42`. */
    readonly path?: string;
  } | null;
}

/** An authorizer bound to one configuration. */
export type AuthorizerHandler = (event: ApiGatewayRequestAuthorizerEvent) => Promise<AuthorizerResponse>;

/** Injected collaborators; every one has a production default. */
export interface HandlerDependencies {
  /**
   * Current time in milliseconds since the epoch.
   *
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Receives one JSON line per decision (and per malformed grants item).
   *
   * @default writes the line to stdout
   */
  readonly log?: (line: string) => void;
  /**
   * DynamoDB client for grants (GetItem) and the failed Basic sign-in counters (UpdateItem, GetItem).
   *
   * @default a client for `config.region` (endpoint from `AWS_ENDPOINT_URL_DYNAMODB` if set) with 1 s
   * connection and 3 s request timeouts
   */
  readonly dynamoDb?: Pick<DynamoDbApi, "getItem" | "updateItem">;
  /**
   * Cognito client for Basic sign-in (only used when `config.basicAuthClientId` is set).
   *
   * @default a client for `config.region` (endpoint from `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`
   * if set) with 1 s connection and 3 s request timeouts, loaded and created on the first Basic request
   */
  readonly cognito?: Pick<CognitoApi, "adminInitiateAuth">;
  /**
   * Timeout of one JWKS fetch, in milliseconds.
   *
   * @default 5000
   */
  readonly jwksTimeoutMs?: number;
}

/**
 * Thrown for a dependency failure or an internal error: API Gateway answers 500 (only exactly
 * `Error("Unauthorized")` becomes a 401).
 */
export class AuthorizerDependencyError extends Error {
  /** The reason code (a dependency reason). */
  readonly reason: DependencyReason;

  /**
   * @param reason - the dependency reason
   */
  constructor(reason: DependencyReason) {
    super(`authorizer cannot decide: ${reason}`);
    this.name = "AuthorizerDependencyError";
    this.reason = reason;
  }
}

/** The message API Gateway turns into a 401. */
export const UNAUTHORIZED_MESSAGE = "Unauthorized";

const CLIENT_TIMEOUTS = { connectTimeoutMs: 1_000, requestTimeoutMs: 3_000 } as const;

/** Why a request gets no policy (a 401 or a 500), with what is known of the caller. */
interface Refusal {
  readonly refused: RefusalReason;
  readonly authType?: AuthType;
  readonly clientId?: string | undefined;
  readonly principal?: string;
  readonly detail?: string | undefined;
}

/** A caller authenticated, and whether a cache (verified tokens, Basic sign-ins) said so. */
interface Authenticated {
  readonly identity: Identity;
  readonly fromCache: boolean;
}

type Outcome = Refusal | (Authenticated & { readonly decision: MemoizedDecision });

/**
 * The caller for Cognito's `ContextData`: the address only from `requestContext.identity.sourceIp`
 * (never from a header a caller can set). `undefined` when the event has no source IP or host.
 */
function basicSignInCaller(event: ApiGatewayRequestAuthorizerEvent): BasicSignInCaller | undefined {
  const sourceIp = event.requestContext?.identity?.sourceIp;
  const host = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === "host")?.[1];
  const serverName = event.requestContext?.domainName ?? host;
  if (typeof sourceIp !== "string" || sourceIp === "" || typeof serverName !== "string" || serverName === "") return undefined;
  return { sourceIp, serverName, serverPath: event.requestContext?.path ?? event.path ?? event.resource, headers: event.headers ?? {} };
}

/** The length of the name `authorization`: other names are passed over without lowering their case. */
const AUTHORIZATION_NAME_LENGTH = "authorization".length;

/**
 * The `Authorization` header as the identity source `method.request.header.Authorization` holds it
 * (its value in `headers`, the last one sent, under any case of the name), and how many times the
 * request carries it: its values in `multiValueHeaders` under every case of the name, or its entries
 * in `headers` if those are more (an event with two spellings there). One pass over each map's names.
 */
function authorizationHeader(event: ApiGatewayRequestAuthorizerEvent): AuthorizationHeader {
  let value: string | undefined;
  let inHeaders = 0;
  const headers = event.headers;
  if (headers !== undefined && headers !== null) {
    for (const name of Object.keys(headers)) {
      if (name.length !== AUTHORIZATION_NAME_LENGTH || name.toLowerCase() !== "authorization") continue;
      const headerValue = headers[name];
      if (typeof headerValue !== "string") continue;
      value = headerValue;
      inHeaders += 1;
    }
  }
  let inMultiValueHeaders = 0;
  const multiValueHeaders = event.multiValueHeaders;
  if (multiValueHeaders !== undefined && multiValueHeaders !== null) {
    for (const name of Object.keys(multiValueHeaders)) {
      if (name.length !== AUTHORIZATION_NAME_LENGTH || name.toLowerCase() !== "authorization") continue;
      const values = multiValueHeaders[name];
      if (Array.isArray(values)) inMultiValueHeaders += values.length;
    }
  }
  return { value, occurrences: Math.max(inHeaders, inMultiValueHeaders) };
}

/** The Basic authenticator of a configuration with a Basic client, else `undefined` (Basic is off). */
function createBasic(
  config: AuthorizerConfig,
  deps: HandlerDependencies,
  dynamoDb: Pick<DynamoDbApi, "getItem" | "updateItem">,
  now: () => number,
): BasicAuthenticator | undefined {
  const clientId = config.basicAuthClientId;
  if (clientId === undefined) return undefined;
  const { tableName } = config;
  return createBasicAuthenticator(
    {
      userPoolId: config.userPoolId,
      clientId,
      cacheTtlSeconds: config.basicAuthCacheTtlSeconds,
      designatedUsers: config.basicUsers,
      sourceIpInCacheKey: config.threatProtection !== "off",
    },
    {
      cognito:
        deps.cognito ??
        // Loaded and created on the first Basic request only.
        (async () => {
          const { createCognitoClient } = await import("./aws/cognito");
          return createCognitoClient({ region: config.region, ...CLIENT_TIMEOUTS });
        }),
      failedSignInLimit: createSignInLimiter(
        { tableName, maxFailures: config.basicSignInFailureLimit, windowSeconds: config.basicSignInFailureWindowSeconds },
        { dynamoDb, now },
      ),
      now,
    },
  );
}

/** What the decision log says of an outcome. */
function decisionLogEntry(outcome: Outcome, routeKey: string): DecisionLog {
  if ("refused" in outcome) {
    const { refused, authType, clientId, principal, detail } = outcome;
    const effect = reasonKind(refused) === "authentication" ? "Unauthorized" : "Error";
    return { reason: refused, effect, routeKey, principal, authType, clientId, detail };
  }
  const { identity, decision, fromCache } = outcome;
  const { principal, authType, clientId } = identity;
  return { reason: decision.reason, effect: decision.effect, routeKey, principal, authType, clientId, fromCache };
}

/** What a refusal throws: exactly `Error("Unauthorized")` (401), or an {@link AuthorizerDependencyError} (500). */
function refusalError(refused: RefusalReason): Error {
  if (reasonKind(refused) === "authentication") return new Error(UNAUTHORIZED_MESSAGE);
  return new AuthorizerDependencyError(refused as DependencyReason);
}

/** The decision and the response for the called route; the effect logged is read from the policy itself. */
function decideAndBuild(
  routeScopes: AuthorizerConfig["routeScopes"],
  methodArn: string,
  routeKey: string,
  identity: Identity,
  grants: readonly string[],
): MemoizedDecision {
  const decision = decide({ identity, routeKey, routeScopes, grants });
  const response = buildAuthorizerResponse({ methodArn, routeKey, identity, decision });
  const effect = response.policyDocument.Statement.some((statement) => statement.Effect === "Allow") ? "Allow" : "Deny";
  return { response, reason: decision.reason, effect };
}

/**
 * Builds an authorizer for an explicit configuration. Call once per container: the JWKS, AWS
 * clients and caches are created here and shared by every invocation.
 *
 * A request whose exact `Authorization` value was verified before (a Bearer token still in the
 * verified-token cache, remembered under that value) and whose principal's grants are cached is
 * answered without a promise, from the same caches `verify` and `getGrants` read; its decision and
 * policy come from the decision memo (`decision-memo.ts`) while those caches hand out the same identity and
 * grants. Every decision writes its log line.
 *
 * @param config - the validated configuration (see {@link loadAuthorizerConfig})
 * @param deps - clock, log sink, AWS clients, JWKS timeout
 * @returns the authorizer
 */
export function createHandler(config: AuthorizerConfig, deps: HandlerDependencies = {}): AuthorizerHandler {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const verifier = createTokenVerifier(config, { now, ...(deps.jwksTimeoutMs === undefined ? {} : { jwksTimeoutMs: deps.jwksTimeoutMs }) });
  const dynamoDb = deps.dynamoDb ?? createDynamoDbClient({ region: config.region, ...CLIENT_TIMEOUTS });
  const grantStore = createGrantStore(
    { tableName: config.tableName, cacheTtlSeconds: config.grantCacheTtlSeconds },
    { dynamoDb, now, log },
  );
  const basic = createBasic(config, deps, dynamoDb, now);
  // Without a grants cache every read is a new list: nothing could be found again.
  const memo = createDecisionMemo(config.grantCacheTtlSeconds > 0 ? undefined : 0);

  // A decision built afresh for these inputs: what the memo remembers.
  const decideNow: DecideNow = (identity, grants, routeKey, methodArn) =>
    decideAndBuild(config.routeScopes, methodArn, routeKey, identity, grants);
  // Only an identity a cache handed out may come again: a first-seen one is decided without the memo.
  const decided = (methodArn: string, routeKey: string, identity: Identity, grants: readonly string[], fromCache: boolean) =>
    fromCache ? memo.decision(identity, grants, routeKey, methodArn, decideNow) : decideNow(identity, grants, routeKey, methodArn);

  async function authenticate(event: ApiGatewayRequestAuthorizerEvent, header: AuthorizationHeader): Promise<Authenticated | Refusal> {
    const authorization = parseAuthorizationHeader(header);
    if (authorization.scheme === "invalid") return { refused: authorization.reason };
    if (authorization.scheme === "bearer") {
      // Remembered under the whole value, so the next request with this value skips the parse.
      const verification = await verifier.verify(authorization.token, header.value);
      return verification.ok ? verification : { refused: verification.reason, authType: "bearer" };
    }
    if (basic === undefined) return { refused: "BASIC_DISABLED", authType: "basic" };
    const signIn = await basic.signIn(authorization.credentials, basicSignInCaller(event));
    return signIn.ok ? signIn : { refused: signIn.reason, authType: "basic", clientId: config.basicAuthClientId, detail: signIn.detail };
  }

  async function evaluateFully(event: ApiGatewayRequestAuthorizerEvent, routeKey: string, header: AuthorizationHeader): Promise<Outcome> {
    const authenticated = await authenticate(event, header);
    if ("refused" in authenticated) return authenticated;
    const { identity, fromCache } = authenticated;
    const grants = await grantStore.getGrants(identity.principal);
    if (!grants.ok) {
      const { authType, clientId, principal } = identity;
      return { refused: grants.reason, authType, clientId, principal, detail: grants.detail };
    }
    return { identity, fromCache, decision: decided(event.methodArn, routeKey, identity, grants.routeKeys, fromCache) };
  }

  function evaluate(event: ApiGatewayRequestAuthorizerEvent, routeKey: string): Outcome | Promise<Outcome> {
    const header = authorizationHeader(event);
    // A repeated header is refused whatever its values, so only a single value may be looked up.
    if (header.occurrences <= 1 && header.value !== undefined) {
      const identity = verifier.cached(header.value);
      const grants = identity === undefined ? undefined : grantStore.cachedGrants(identity.principal);
      if (identity !== undefined && grants !== undefined) {
        return { identity, fromCache: true, decision: decided(event.methodArn, routeKey, identity, grants, true) };
      }
    }
    return evaluateFully(event, routeKey, header);
  }

  return async (event) => {
    const startedMs = now();
    const routeKey = `${event?.httpMethod} ${event?.resource}`;
    let outcome: Outcome;
    try {
      const evaluated = evaluate(event, routeKey);
      outcome = evaluated instanceof Promise ? await evaluated : evaluated;
    } catch (error) {
      log(decisionLogLine({ reason: "INTERNAL_ERROR", effect: "Error", routeKey, detail: errorDetail(error) }, now() - startedMs));
      throw new AuthorizerDependencyError("INTERNAL_ERROR");
    }
    log(decisionLogLine(decisionLogEntry(outcome, routeKey), now() - startedMs));
    if ("refused" in outcome) throw refusalError(outcome.refused);
    return outcome.decision.response;
  };
}

let containerHandler: AuthorizerHandler | undefined;

/**
 * The Lambda entry point. On the first invocation of a container it reads the configuration from
 * `process.env` and the settings file next to the bundle (`packaged-settings.ts`) and builds the authorizer ({@link createHandler}); an invalid environment fails that
 * invocation (and every later one) with an {@link AuthorizerConfigurationError} naming each variable.
 *
 * @param event - the API Gateway REQUEST authorizer event
 * @returns the policy for API Gateway
 */
export async function handler(event: ApiGatewayRequestAuthorizerEvent): Promise<AuthorizerResponse> {
  if (containerHandler === undefined) {
    try {
      containerHandler = createHandler(loadAuthorizerConfig(process.env, readPackagedSettings(__dirname)));
    } catch (error) {
      process.stdout.write(
        `${JSON.stringify({ level: "ERROR", message: "invalid authorizer configuration", reason: "CONFIGURATION_INVALID", error: (error as Error).message })}\n`,
      );
      throw error;
    }
  }
  return containerHandler(event);
}
