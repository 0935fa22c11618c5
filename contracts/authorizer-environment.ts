/**
 * The authorizer's environment: the deployment contract between the stack, which writes it with
 * {@link encodeAuthorizerEnvironment}, and the function, which reads it once at cold start with
 * {@link decodeAuthorizerEnvironment}. The review and the checks read a synthesized environment
 * with the same decoders. Every variable's name is written here ({@link AUTHORIZER_VARIABLES}) and
 * nowhere else (`__tests__/contracts/variable-names.test.ts` says so).
 *
 * Imports only the floor below it (`core/`) and node, so the authorizer's bundle can carry it.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html (4 KB for all variables)
 * @packageDocumentation
 */
import { createPublicKey, type JsonWebKey } from "node:crypto";
import { decodeBasicUsers, encodeBasicUsers } from "./basic-users";
import { readRouteScopes } from "../core/routes";
import { AUTHORIZER_ENVIRONMENT_DEFAULTS as DEFAULTS } from "../core/defaults";
import { isJsonObject } from "../core/json";

/**
 * The name of each variable, by the setting of {@link AuthorizerConfig} it carries. `AWS_REGION`
 * is Lambda's own (the runtime sets it); `ROUTE_SCOPES` and `JWKS_SNAPSHOT` travel in the package's
 * settings file (`packaged-settings.ts`) as the stack ships them.
 */
export const AUTHORIZER_VARIABLES = {
  region: "AWS_REGION",
  userPoolId: "USER_POOL_ID",
  issuer: "TOKEN_ISSUER",
  appClientIds: "APP_CLIENT_IDS",
  tableName: "AUTHZ_TABLE_NAME",
  basicAuthClientId: "BASIC_AUTH_CLIENT_ID",
  basicUsers: "BASIC_USERS",
  threatProtection: "THREAT_PROTECTION",
  routeScopes: "ROUTE_SCOPES",
  grantCacheTtlSeconds: "GRANT_CACHE_TTL_SECONDS",
  basicAuthCacheTtlSeconds: "BASIC_AUTH_CACHE_TTL_SECONDS",
  basicSignInFailureLimit: "BASIC_SIGN_IN_FAILURE_LIMIT",
  basicSignInFailureWindowSeconds: "BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS",
  clockToleranceSeconds: "CLOCK_TOLERANCE_SECONDS",
  maxTokenAgeSeconds: "MAX_TOKEN_AGE_SECONDS",
  maxTokenLifetimeSeconds: "MAX_TOKEN_LIFETIME_SECONDS",
  maxTokenLengthBytes: "MAX_TOKEN_LENGTH",
  jwksSnapshot: "JWKS_SNAPSHOT",
  verifiedTokenCacheSize: "VERIFIED_TOKEN_CACHE_SIZE",
} as const satisfies Record<Exclude<keyof AuthorizerConfig, "jwksUri">, string>;

/** One of the authorizer's environment variables. */
export type AuthorizerVariable = (typeof AUTHORIZER_VARIABLES)[keyof typeof AUTHORIZER_VARIABLES];

const V = AUTHORIZER_VARIABLES;

/** The package's settings file, next to `index.js` in the deployment package (`packaged-settings.ts`). */
export const PACKAGED_SETTINGS_FILE = "authorizer-settings.json";

/** The variables that file holds; each is read from the file, never from the environment as well. */
export const PACKAGED_VARIABLES = [V.routeScopes, V.jwksSnapshot] as const;

/** One of {@link PACKAGED_VARIABLES}. */
export type PackagedVariable = (typeof PACKAGED_VARIABLES)[number];

/** A JSON Web Key Set as published at `<issuer>/.well-known/jwks.json`. */
export interface JsonWebKeySet {
  /** The public keys. */
  readonly keys: readonly JsonWebKeyRecord[];
}

/** One public JSON Web Key (only the members the authorizer inspects are typed). */
export interface JsonWebKeyRecord {
  /** Key type; only `RSA` is accepted. */
  readonly kty: string;
  /** Key id, unique within the set. */
  readonly kid: string;
  /** Other members (`n`, `e`, `alg`, `use`, …). */
  readonly [member: string]: unknown;
}

/** A user pool's threat protection mode, as the configuration names it. */
export type ThreatProtectionMode = "off" | "audit" | "enforced";

/** Every {@link ThreatProtectionMode}. */
export const THREAT_PROTECTION_MODES = ["off", "audit", "enforced"] as const satisfies readonly ThreatProtectionMode[];

/** The authorizer's validated configuration: what {@link decodeAuthorizerEnvironment} reads. */
export interface AuthorizerConfig {
  /** `AWS_REGION`: region of the user pool and the table. */
  readonly region: string;
  /** `USER_POOL_ID`: `<region>_<id>`. */
  readonly userPoolId: string;
  /**
   * `TOKEN_ISSUER`: the exact `iss` every token must carry.
   *
   * @default `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`
   */
  readonly issuer: string;
  /** `<issuer>/.well-known/jwks.json`. */
  readonly jwksUri: string;
  /** `APP_CLIENT_IDS`: app clients whose access tokens are accepted (`client_id` claim). */
  readonly appClientIds: readonly string[];
  /** `AUTHZ_TABLE_NAME`: DynamoDB table of grants, partition key `principal` (S). */
  readonly tableName: string;
  /**
   * `BASIC_AUTH_CLIENT_ID`: app client used for `AdminInitiateAuth` with Basic credentials.
   *
   * @default undefined - Basic credentials are refused (`BASIC_DISABLED`)
   */
  readonly basicAuthClientId: string | undefined;
  /**
   * `BASIC_USERS`: the designated application accounts that may use Basic, comma-separated
   * (configured usernames; for e-mail sign-in also the `sub` their tokens carry). Required with
   * `BASIC_AUTH_CLIENT_ID`; anyone else is refused (`BASIC_USER_NOT_DESIGNATED`) before Cognito is asked.
   *
   * @default [] - only when Basic is off
   */
  readonly basicUsers: readonly string[];
  /**
   * `THREAT_PROTECTION`: the user pool's threat protection mode (`off`, `audit`, `enforced`). When it
   * is on, the caller's source IP joins the Basic sign-in cache key, so a sign-in Cognito judged for
   * one address is never reused for another.
   *
   * @default "off"
   */
  readonly threatProtection: ThreatProtectionMode;
  /** `ROUTE_SCOPES`: every callable route and the scopes of which a Bearer token needs one (none if empty). */
  readonly routeScopes: ReadonlyMap<string, readonly string[]>;
  /**
   * `GRANT_CACHE_TTL_SECONDS`: how long a principal's grants are reused (0 disables the cache).
   *
   * @default 30
   */
  readonly grantCacheTtlSeconds: number;
  /**
   * `BASIC_AUTH_CACHE_TTL_SECONDS`: how long a successful Basic sign-in is reused (0 disables the cache).
   *
   * @default 60
   */
  readonly basicAuthCacheTtlSeconds: number;
  /**
   * `BASIC_SIGN_IN_FAILURE_LIMIT`: failed Basic sign-ins of one designated account from one source
   * address allowed per window; further attempts from there are refused (`BASIC_SIGN_IN_LIMITED`)
   * until the window ends. 1 to 4: below Cognito's own lock-out, which starts after five.
   *
   * @default 3
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior
   */
  readonly basicSignInFailureLimit: number;
  /**
   * `BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS`: how long a window of counted failures lasts (60 to 86400).
   *
   * @default 900
   */
  readonly basicSignInFailureWindowSeconds: number;
  /**
   * `CLOCK_TOLERANCE_SECONDS`: leeway for `exp`, `nbf` and `iat` checks.
   *
   * @default 5
   */
  readonly clockToleranceSeconds: number;
  /**
   * `MAX_TOKEN_AGE_SECONDS`: tokens whose `iat` is older are refused (`TOKEN_TOO_OLD`).
   *
   * @default 86400
   */
  readonly maxTokenAgeSeconds: number;
  /**
   * `MAX_TOKEN_LIFETIME_SECONDS`: tokens whose `exp - iat` is longer are refused (`TOKEN_LIFETIME_TOO_LONG`).
   * The stack sets it to the longest access-token validity of the clients in `APP_CLIENT_IDS`.
   *
   * @default 86400 - Cognito's longest access-token validity (one day)
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html
   */
  readonly maxTokenLifetimeSeconds: number;
  /**
   * `MAX_TOKEN_LENGTH`: bearer tokens longer than this many bytes are refused before parsing.
   *
   * @default 8192
   */
  readonly maxTokenLengthBytes: number;
  /**
   * `JWKS_SNAPSHOT`: keys taken at deploy time, tried before the remote JWKS.
   *
   * @default undefined - every key comes from the remote JWKS
   */
  readonly jwksSnapshot: JsonWebKeySet | undefined;
  /**
   * `VERIFIED_TOKEN_CACHE_SIZE`: how many verified tokens are remembered until their `exp` (0 disables).
   *
   * @default 10000
   */
  readonly verifiedTokenCacheSize: number;
}

/** Basic sign-in as the stack deploys it: the legacy client and its designated accounts. */
export interface BasicSignInDeployment {
  /** `BASIC_AUTH_CLIENT_ID`: the legacy app client. */
  readonly clientId: string;
  /** `BASIC_USERS`: the designated accounts. */
  readonly users: readonly string[];
  /** `BASIC_SIGN_IN_FAILURE_LIMIT`. */
  readonly signInFailureLimit: number;
  /** `BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS`. */
  readonly signInFailureWindowSeconds: number;
}

/**
 * What the stack writes into the environment ({@link encodeAuthorizerEnvironment}): the settings of
 * {@link AuthorizerConfig} a deployment decides; the others keep their defaults, and the bulky ones
 * travel in the package (`packaged-settings.ts`).
 */
export interface AuthorizerDeployment {
  readonly userPoolId: string;
  readonly issuer: string;
  readonly appClientIds: readonly string[];
  readonly tableName: string;
  /** Basic sign-in, when a legacy client exists. @default undefined - Basic is refused */
  readonly basic?: BasicSignInDeployment;
  readonly threatProtection: ThreatProtectionMode;
  readonly grantCacheTtlSeconds: number;
  readonly basicAuthCacheTtlSeconds: number;
  readonly maxTokenLifetimeSeconds: number;
}

/**
 * The function's environment for a deployment: variable → value. Values may hold Terraform
 * references (filled in at apply); each is written as the function reads it back.
 *
 * @param deployment - the settings the stack decides
 * @returns the variables, in a fixed order
 */
export function encodeAuthorizerEnvironment(deployment: AuthorizerDeployment): Record<string, string> {
  const basic = deployment.basic;
  return {
    [V.userPoolId]: deployment.userPoolId,
    [V.issuer]: deployment.issuer,
    [V.appClientIds]: deployment.appClientIds.join(","),
    [V.tableName]: deployment.tableName,
    ...(basic ? { [V.basicAuthClientId]: basic.clientId, [V.basicUsers]: encodeBasicUsers(basic.users) } : {}),
    [V.threatProtection]: deployment.threatProtection,
    [V.grantCacheTtlSeconds]: String(deployment.grantCacheTtlSeconds),
    [V.basicAuthCacheTtlSeconds]: String(deployment.basicAuthCacheTtlSeconds),
    ...(basic
      ? {
          [V.basicSignInFailureLimit]: String(basic.signInFailureLimit),
          [V.basicSignInFailureWindowSeconds]: String(basic.signInFailureWindowSeconds),
        }
      : {}),
    [V.maxTokenLifetimeSeconds]: String(deployment.maxTokenLifetimeSeconds),
  };
}

/** One problem found in the environment. */
export interface ConfigurationProblem {
  /** The environment variable. */
  readonly variable: string;
  /** The value received (shortened), or `undefined` when unset. */
  readonly received: string | undefined;
  /** What is allowed. */
  readonly allowed: string;
}

/** What {@link decodeAuthorizerEnvironment} read: the configuration, or every problem found. */
export type DecodedEnvironment =
  { readonly ok: true; readonly config: AuthorizerConfig } | { readonly ok: false; readonly problems: readonly ConfigurationProblem[] };

const REGION = /^[a-z]{2,}(-[a-z0-9]+)*(-\d+)?$/;
const USER_POOL_ID_SHAPE = /^([a-z0-9-]+)_([0-9A-Za-z]+)$/;
const CLIENT_ID = /^[\w+]{1,128}$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
const MAX_RECEIVED_LENGTH = 200;

function shorten(value: string): string {
  return value.length > MAX_RECEIVED_LENGTH ? `${value.slice(0, MAX_RECEIVED_LENGTH)}… (${value.length} chars)` : value;
}

/** The reading state of one decode: the settings seen, and the problems found so far. */
interface Reader {
  /** A variable's value; an empty string counts as unset. */
  read(variable: AuthorizerVariable): string | undefined;
  /** Records a problem with a variable, quoting the value received. */
  problem(variable: string, allowed: string): void;
  /** A whole number within bounds, or the default (with a problem when out of bounds). */
  integer(variable: AuthorizerVariable, fallback: number, min: number, max: number): number;
  readonly problems: ConfigurationProblem[];
}

/**
 * Reads the authorizer's environment, as the function does at cold start.
 *
 * Variables: {@link AUTHORIZER_VARIABLES} (see {@link AuthorizerConfig} for each). An empty string
 * counts as unset. The AWS transport (`functions/authorizer/aws/json-rpc.ts`) reads its own variables
 * (endpoints, credentials) itself, as the AWS SDK does. `ROUTE_SCOPES` and `JWKS_SNAPSHOT` may
 * instead come from the deployment package's settings file (`packaged-settings.ts`), as the stack
 * ships them; a variable set in both places is a problem.
 *
 * @param env - the environment, usually `process.env`
 * @param packaged - the variables of the package's settings file ({@link PACKAGED_SETTINGS_FILE})
 * @returns the typed configuration, or every problem found (each naming the variable, the value and what is allowed)
 */
export function decodeAuthorizerEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  packaged: Readonly<Record<string, string>>,
): DecodedEnvironment {
  const reader = createReader(env, packaged);
  const identity = decodeIdentity(reader);
  const basic = decodeBasic(reader);
  const threatProtectionText = reader.read(V.threatProtection) ?? DEFAULTS.threatProtection;
  const threatProtection = THREAT_PROTECTION_MODES.find((mode) => mode === threatProtectionText) ?? DEFAULTS.threatProtection;
  if (threatProtection !== threatProtectionText)
    reader.problem(V.threatProtection, `must be one of ${THREAT_PROTECTION_MODES.join(", ")} (default ${DEFAULTS.threatProtection})`);
  const routeScopes = decodeRouteScopes(reader.read(V.routeScopes), (allowed) => reader.problem(V.routeScopes, allowed));
  const limits = decodeLimits(reader);
  const jwksSnapshot = decodeJwksSnapshot(reader.read(V.jwksSnapshot), (allowed) => reader.problem(V.jwksSnapshot, allowed));
  if (reader.problems.length > 0) return { ok: false, problems: reader.problems };
  return { ok: true, config: { ...identity, ...basic, threatProtection, routeScopes, ...limits, jwksSnapshot } };
}

function createReader(env: Readonly<Record<string, string | undefined>>, packaged: Readonly<Record<string, string>>): Reader {
  const problems: ConfigurationProblem[] = [];
  const settings: Record<string, string | undefined> = { ...env };
  for (const [variable, value] of Object.entries(packaged)) {
    if (!(PACKAGED_VARIABLES as readonly string[]).includes(variable)) {
      problems.push({
        variable,
        received: shorten(value),
        allowed: `must not be in ${PACKAGED_SETTINGS_FILE}, which holds only ${PACKAGED_VARIABLES.join(", ")}`,
      });
    } else if (env[variable] !== undefined && env[variable] !== "") {
      problems.push({
        variable,
        received: shorten(env[variable]!),
        allowed: `must be set in ${PACKAGED_SETTINGS_FILE} or in the environment, not both (the package holds it)`,
      });
    } else settings[variable] = value;
  }
  const read = (variable: string): string | undefined => {
    const value = settings[variable];
    return value === undefined || value === "" ? undefined : value;
  };
  const problem = (variable: string, allowed: string): void => {
    const received = read(variable);
    problems.push({ variable, received: received === undefined ? undefined : shorten(received), allowed });
  };
  const integer = (variable: string, fallback: number, min: number, max: number): number => {
    const text = read(variable);
    if (text === undefined) return fallback;
    const value = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= min && value <= max)) {
      problem(variable, `must be a whole number from ${min} to ${max} (default ${fallback})`);
      return fallback;
    }
    return value;
  };
  return { read, problem, integer, problems };
}

/** The pool, its issuer, the token clients and the table. */
function decodeIdentity(reader: Reader) {
  const { read, problem } = reader;
  const region = read(V.region);
  const regionValid = region !== undefined && REGION.test(region);
  if (!regionValid) problem(V.region, "must be an AWS region such as eu-west-1");

  const userPoolId = read(V.userPoolId);
  const poolMatch = userPoolId === undefined ? null : USER_POOL_ID_SHAPE.exec(userPoolId);
  if (poolMatch === null) {
    problem(V.userPoolId, 'must be "<region>_<id>" such as eu-west-1_AbC123xyZ');
  } else if (regionValid && poolMatch[1] !== region) {
    problem(V.userPoolId, `must be a pool of ${V.region} (${JSON.stringify(`${region}_…`)})`);
  }

  const issuer = read(V.issuer) ?? `https://cognito-idp.${region ?? `<${V.region}>`}.amazonaws.com/${userPoolId ?? `<${V.userPoolId}>`}`;
  if (read(V.issuer) !== undefined && !isCanonicalIssuer(issuer)) {
    problem(
      V.issuer,
      "must be an https URL (http only on 127.0.0.1/localhost) without credentials, query, fragment or trailing slash, written canonically",
    );
  }

  const appClientIdsText = read(V.appClientIds);
  const appClientIds = (appClientIdsText ?? "").split(",").map((id) => id.trim());
  if (appClientIdsText === undefined || appClientIds.some((id) => !CLIENT_ID.test(id))) {
    problem(V.appClientIds, "must be a comma-separated, non-empty list of app client ids (each of A-Z a-z 0-9 _ +)");
  }

  const tableName = read(V.tableName);
  if (tableName === undefined || !TABLE_NAME.test(tableName)) {
    problem(V.tableName, "must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)");
  }
  return {
    region: region as string,
    userPoolId: userPoolId as string,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    appClientIds,
    tableName: tableName as string,
  };
}

function isCanonicalIssuer(issuer: string): boolean {
  let url: URL | undefined;
  try {
    url = new URL(issuer);
  } catch {
    return false;
  }
  const secure = url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
  return (
    secure &&
    url.search === "" &&
    url.hash === "" &&
    url.username === "" &&
    url.password === "" &&
    !issuer.endsWith("/") &&
    url.href === issuer
  );
}

/** Basic sign-in: the legacy client and the designated accounts. */
function decodeBasic(reader: Reader) {
  const { read, problem } = reader;
  const basicAuthClientId = read(V.basicAuthClientId);
  if (basicAuthClientId !== undefined && !CLIENT_ID.test(basicAuthClientId)) {
    problem(V.basicAuthClientId, "must be unset (Basic refused) or an app client id (A-Z a-z 0-9 _ +)");
  }

  const basicUsersText = read(V.basicUsers);
  const basicUsers = basicUsersText === undefined ? [] : (decodeBasicUsers(basicUsersText) ?? []);
  if (basicUsersText !== undefined && decodeBasicUsers(basicUsersText) === undefined) {
    problem(V.basicUsers, "must be a comma-separated list of usernames without empty entries");
  } else if (basicAuthClientId !== undefined && basicUsersText === undefined) {
    problem(V.basicUsers, `must name the designated Basic accounts (comma-separated usernames) when ${V.basicAuthClientId} is set`);
  } else if (basicAuthClientId === undefined && basicUsersText !== undefined) {
    problem(V.basicUsers, `must be unset when ${V.basicAuthClientId} is unset (Basic is off)`);
  }
  return { basicAuthClientId, basicUsers };
}

/** The caches, the sign-in limit and the token limits, each a whole number within bounds. */
function decodeLimits(reader: Reader) {
  const { integer } = reader;
  const grantCacheTtlSeconds = integer(V.grantCacheTtlSeconds, DEFAULTS.grantCacheTtlSeconds, 0, 3600);
  const basicAuthCacheTtlSeconds = integer(V.basicAuthCacheTtlSeconds, DEFAULTS.basicAuthCacheTtlSeconds, 0, 3600);
  // Cognito's lock-out starts after five failed sign-ins: the limit stays below it.
  const basicSignInFailureLimit = integer(V.basicSignInFailureLimit, DEFAULTS.basicSignInFailureLimit, 1, 4);
  const basicSignInFailureWindowSeconds = integer(V.basicSignInFailureWindowSeconds, DEFAULTS.basicSignInFailureWindowSeconds, 60, 86_400);
  const clockToleranceSeconds = integer(V.clockToleranceSeconds, DEFAULTS.clockToleranceSeconds, 0, 300);
  const maxTokenAgeSeconds = integer(V.maxTokenAgeSeconds, DEFAULTS.maxTokenAgeSeconds, 60, 86_400);
  // Cognito's access-token validity ranges from 5 minutes to 1 day.
  const maxTokenLifetimeSeconds = integer(V.maxTokenLifetimeSeconds, DEFAULTS.maxTokenLifetimeSeconds, 300, 86_400);
  const maxTokenLengthBytes = integer(V.maxTokenLengthBytes, DEFAULTS.maxTokenLengthBytes, 1024, 65_536);
  const verifiedTokenCacheSize = integer(V.verifiedTokenCacheSize, DEFAULTS.verifiedTokenCacheSize, 0, 1_000_000);
  return {
    grantCacheTtlSeconds,
    basicAuthCacheTtlSeconds,
    basicSignInFailureLimit,
    basicSignInFailureWindowSeconds,
    clockToleranceSeconds,
    maxTokenAgeSeconds,
    maxTokenLifetimeSeconds,
    maxTokenLengthBytes,
    verifiedTokenCacheSize,
  };
}

/**
 * The `ROUTE_SCOPES` value of a route table (route key → scopes), as `core/routes.ts`'s
 * `routeScopeTable` builds it.
 *
 * @param table - the route table
 * @returns the JSON text
 */
export function encodeRouteScopes(table: ReadonlyMap<string, readonly string[]>): string {
  return JSON.stringify(Object.fromEntries(table));
}

/**
 * Reads a `ROUTE_SCOPES` value, as the function does; the review judges a change of the table with
 * it too.
 *
 * @param text - the JSON text, or `undefined` when unset
 * @param problem - receives what is allowed, once per problem; the entry concerned is left out
 * @returns the valid routes, each with its scopes
 */
export function decodeRouteScopes(text: string | undefined, problem: (allowed: string) => void): ReadonlyMap<string, readonly string[]> {
  return readRouteScopes(text, problem);
}

/**
 * The `JWKS_SNAPSHOT` value of a key set.
 *
 * @param keys - the key set
 * @returns the JSON text
 */
export function encodeJwksSnapshot(keys: JsonWebKeySet): string {
  return JSON.stringify(keys);
}

/**
 * Reads a JWKS snapshot (the `JWKS_SNAPSHOT` value); the stack's configuration validation reads a
 * configured snapshot with it too, so a snapshot the authorizer would refuse never reaches a deployment.
 *
 * @param text - the JSON text, or `undefined` when unset
 * @param problem - receives what is allowed when the snapshot is refused
 * @returns the key set, or `undefined` when unset or refused
 */
export function decodeJwksSnapshot(text: string | undefined, problem: (allowed: string) => void): JsonWebKeySet | undefined {
  if (text === undefined) return undefined;
  const shape =
    'must be unset or a JSON Web Key Set {"keys":[…]} of public RSA keys of at least 2048 bits, each with a unique "kid" ' +
    '(and, if present, "alg" RS256 and "use" sig)';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problem(`${shape} (not valid JSON)`);
    return undefined;
  }
  if (!isJsonObject(parsed) || !Array.isArray(parsed.keys) || parsed.keys.length === 0) {
    problem(shape);
    return undefined;
  }
  const kids = new Set<string>();
  for (const key of parsed.keys as unknown[]) {
    const valid =
      isJsonObject(key) &&
      key.kty === "RSA" &&
      typeof key.kid === "string" &&
      key.kid !== "" &&
      !kids.has(key.kid) &&
      typeof key.n === "string" &&
      typeof key.e === "string" &&
      !("d" in key) &&
      (key.alg === undefined || key.alg === "RS256") &&
      (key.use === undefined || key.use === "sig") &&
      isUsableRsaPublicKey(key);
    if (!valid) {
      problem(shape);
      return undefined;
    }
    kids.add(key.kid as string);
  }
  return parsed as unknown as JsonWebKeySet;
}

function isUsableRsaPublicKey(jwk: Record<string, unknown>): boolean {
  try {
    const key = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e } as JsonWebKey, format: "jwk" });
    return key.asymmetricKeyType === "rsa" && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048;
  } catch {
    return false;
  }
}

/**
 * One variable of a synthesized environment (the `variables` of a function's `environment` block),
 * read as the function reads it: an empty string counts as unset.
 *
 * @param variables - the environment's variables
 * @param variable - the variable
 * @returns its text, `undefined` when unset or empty, or the value itself when it is not a string
 *   (a Terraform expression object, or `null`)
 */
export function environmentValue(variables: Readonly<Record<string, unknown>>, variable: AuthorizerVariable): unknown {
  const value = variables[variable];
  return value === "" ? undefined : value;
}

/**
 * Whether an environment turns Basic sign-in on: it has a `BASIC_AUTH_CLIENT_ID`, which the function
 * requires before it accepts Basic credentials (the checks ask this of a synthesized function).
 *
 * @param variables - the environment's variables
 * @returns true when the client is set
 */
export function acceptsBasic(variables: Readonly<Record<string, unknown>>): boolean {
  return typeof environmentValue(variables, V.basicAuthClientId) === "string";
}

/** Lambda's limit on all environment variables of a function together, in bytes. */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/** A value Terraform fills in at apply counts this many bytes (Cognito ids are 26, ARNs longer). */
export const UNRESOLVED_VALUE_BYTES = 64;

/** What {@link estimateEnvironmentSize} found. */
export interface EnvironmentSize {
  /** The size Lambda counts: the UTF-8 bytes of every name and value. */
  readonly totalBytes: number;
  /** Each variable's bytes (name and value), largest first. */
  readonly byVariable: readonly (readonly [name: string, bytes: number])[];
}

/**
 * The size of an environment as Lambda counts it, each reference to a value known only at apply
 * (matched by `references`) counted as {@link UNRESOLVED_VALUE_BYTES}.
 *
 * @param variables - the environment
 * @param references - the form of such references (`${TfToken[…]}` at synth, `${aws_….id}` in the output)
 * @returns the total and each variable's share
 */
export function estimateEnvironmentSize(variables: Readonly<Record<string, string>>, references: RegExp): EnvironmentSize {
  const byVariable = Object.entries(variables)
    .map(
      ([name, value]) =>
        [name, Buffer.byteLength(name) + Buffer.byteLength(value.replace(references, "x".repeat(UNRESOLVED_VALUE_BYTES)))] as const,
    )
    .sort((a, b) => b[1] - a[1]);
  return { totalBytes: byVariable.reduce((total, [, bytes]) => total + bytes, 0), byVariable };
}
