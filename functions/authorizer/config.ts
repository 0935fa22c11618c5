/**
 * The authorizer's configuration: read once from the environment at cold start, validated, and
 * turned into one typed object. Nothing else in the authorizer reads `process.env`.
 *
 * @packageDocumentation
 */
import { createPublicKey, type JsonWebKey } from "node:crypto";
import { BASIC_USERS_VARIABLE, parseBasicUsers } from "./basic-users";
import { readRouteScopes } from "../../core/routes";
import { PACKAGED_SETTINGS_FILE, PACKAGED_VARIABLES } from "./packaged-settings";
import { AUTHORIZER_ENVIRONMENT_DEFAULTS as DEFAULTS } from "../../core/defaults";
import { isJsonObject } from "../../core/json";

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

/** The authorizer's validated configuration. */
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

/** A user pool's threat protection mode, as the configuration names it. */
export type ThreatProtectionMode = "off" | "audit" | "enforced";

/** One problem found in the environment. */
export interface ConfigurationProblem {
  /** The environment variable. */
  readonly variable: string;
  /** The value received (shortened), or `undefined` when unset. */
  readonly received: string | undefined;
  /** What is allowed. */
  readonly allowed: string;
}

/**
 * The environment is invalid: a deployment bug. Thrown at cold start; every problem is listed, each
 * naming the variable, the value received and what is allowed.
 */
export class AuthorizerConfigurationError extends Error {
  /** Stable code for logs and tests. */
  readonly code = "CONFIGURATION_INVALID";
  /** Every problem found (at least one). */
  readonly problems: readonly ConfigurationProblem[];

  /**
   * @param problems - every problem found
   */
  constructor(problems: readonly ConfigurationProblem[]) {
    super(
      `invalid authorizer environment:\n${problems
        .map((p) => `  ${p.variable}: ${p.allowed}, got ${p.received === undefined ? "nothing (unset)" : JSON.stringify(p.received)}`)
        .join("\n")}`,
    );
    this.name = "AuthorizerConfigurationError";
    this.problems = problems;
  }
}

/** Every {@link ThreatProtectionMode}. */
export const THREAT_PROTECTION_MODES = ["off", "audit", "enforced"] as const satisfies readonly ThreatProtectionMode[];

const REGION = /^[a-z]{2,}(-[a-z0-9]+)*(-\d+)?$/;
const USER_POOL_ID = /^([a-z0-9-]+)_([0-9A-Za-z]+)$/;
const CLIENT_ID = /^[\w+]{1,128}$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
const MAX_RECEIVED_LENGTH = 200;

function shorten(value: string): string {
  return value.length > MAX_RECEIVED_LENGTH ? `${value.slice(0, MAX_RECEIVED_LENGTH)}… (${value.length} chars)` : value;
}

/**
 * Reads and validates the authorizer's environment.
 *
 * Variables: `AWS_REGION`, `USER_POOL_ID`, `TOKEN_ISSUER`, `APP_CLIENT_IDS`, `AUTHZ_TABLE_NAME`,
 * `BASIC_AUTH_CLIENT_ID`, `BASIC_USERS`, `THREAT_PROTECTION`, `ROUTE_SCOPES`, `GRANT_CACHE_TTL_SECONDS`, `BASIC_AUTH_CACHE_TTL_SECONDS`,
 * `BASIC_SIGN_IN_FAILURE_LIMIT`, `BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS`,
 * `CLOCK_TOLERANCE_SECONDS`, `MAX_TOKEN_AGE_SECONDS`, `MAX_TOKEN_LIFETIME_SECONDS`, `MAX_TOKEN_LENGTH`, `JWKS_SNAPSHOT`,
 * `VERIFIED_TOKEN_CACHE_SIZE` (see {@link AuthorizerConfig} for each). An empty string counts as unset.
 * The AWS transport (`aws/json-rpc.ts`) reads its own variables (`AWS_ENDPOINT_URL_DYNAMODB`,
 * `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, credentials) itself, as the AWS SDK does.
 *
 * `ROUTE_SCOPES` and `JWKS_SNAPSHOT` may instead come from the deployment package's settings file
 * (`packaged-settings.ts`), as the stack ships them; a variable set in both places is a problem.
 *
 * @param env - the environment, usually `process.env`
 * @param packaged - the variables of the package's settings file (none by default)
 * @returns the typed configuration
 * @throws {@link AuthorizerConfigurationError} listing every problem
 */
export function loadAuthorizerConfig(
  env: Record<string, string | undefined>,
  packaged: Readonly<Record<string, string>> = {},
): AuthorizerConfig {
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

  const region = read("AWS_REGION");
  const regionValid = region !== undefined && REGION.test(region);
  if (!regionValid) problem("AWS_REGION", "must be an AWS region such as eu-west-1");

  const userPoolId = read("USER_POOL_ID");
  const poolMatch = userPoolId === undefined ? null : USER_POOL_ID.exec(userPoolId);
  if (poolMatch === null) {
    problem("USER_POOL_ID", 'must be "<region>_<id>" such as eu-west-1_AbC123xyZ');
  } else if (regionValid && poolMatch[1] !== region) {
    problem("USER_POOL_ID", `must be a pool of AWS_REGION (${JSON.stringify(`${region}_…`)})`);
  }

  const issuer = read("TOKEN_ISSUER") ?? `https://cognito-idp.${region ?? "<AWS_REGION>"}.amazonaws.com/${userPoolId ?? "<USER_POOL_ID>"}`;
  if (read("TOKEN_ISSUER") !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(issuer);
    } catch {
      url = undefined;
    }
    const secure = url !== undefined && (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname)));
    if (
      url === undefined ||
      !secure ||
      url.search !== "" ||
      url.hash !== "" ||
      url.username !== "" ||
      url.password !== "" ||
      issuer.endsWith("/") ||
      url.href !== issuer
    ) {
      problem(
        "TOKEN_ISSUER",
        "must be an https URL (http only on 127.0.0.1/localhost) without credentials, query, fragment or trailing slash, written canonically",
      );
    }
  }

  const appClientIdsText = read("APP_CLIENT_IDS");
  const appClientIds = (appClientIdsText ?? "").split(",").map((id) => id.trim());
  if (appClientIdsText === undefined || appClientIds.some((id) => !CLIENT_ID.test(id))) {
    problem("APP_CLIENT_IDS", "must be a comma-separated, non-empty list of app client ids (each of A-Z a-z 0-9 _ +)");
  }

  const tableName = read("AUTHZ_TABLE_NAME");
  if (tableName === undefined || !TABLE_NAME.test(tableName)) {
    problem("AUTHZ_TABLE_NAME", "must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)");
  }

  const basicAuthClientId = read("BASIC_AUTH_CLIENT_ID");
  if (basicAuthClientId !== undefined && !CLIENT_ID.test(basicAuthClientId)) {
    problem("BASIC_AUTH_CLIENT_ID", "must be unset (Basic refused) or an app client id (A-Z a-z 0-9 _ +)");
  }

  const basicUsersText = read(BASIC_USERS_VARIABLE);
  const basicUsers = basicUsersText === undefined ? [] : (parseBasicUsers(basicUsersText) ?? []);
  if (basicUsersText !== undefined && parseBasicUsers(basicUsersText) === undefined) {
    problem(BASIC_USERS_VARIABLE, "must be a comma-separated list of usernames without empty entries");
  } else if (basicAuthClientId !== undefined && basicUsersText === undefined) {
    problem(BASIC_USERS_VARIABLE, "must name the designated Basic accounts (comma-separated usernames) when BASIC_AUTH_CLIENT_ID is set");
  } else if (basicAuthClientId === undefined && basicUsersText !== undefined) {
    problem(BASIC_USERS_VARIABLE, "must be unset when BASIC_AUTH_CLIENT_ID is unset (Basic is off)");
  }

  const threatProtectionText = read("THREAT_PROTECTION") ?? DEFAULTS.threatProtection;
  const threatProtection = THREAT_PROTECTION_MODES.find((mode) => mode === threatProtectionText) ?? DEFAULTS.threatProtection;
  if (threatProtection !== threatProtectionText)
    problem("THREAT_PROTECTION", `must be one of ${THREAT_PROTECTION_MODES.join(", ")} (default ${DEFAULTS.threatProtection})`);

  const routeScopes = readRouteScopes(read("ROUTE_SCOPES"), (allowed) => problem("ROUTE_SCOPES", allowed));

  const grantCacheTtlSeconds = integer("GRANT_CACHE_TTL_SECONDS", DEFAULTS.grantCacheTtlSeconds, 0, 3600);
  const basicAuthCacheTtlSeconds = integer("BASIC_AUTH_CACHE_TTL_SECONDS", DEFAULTS.basicAuthCacheTtlSeconds, 0, 3600);
  // Cognito's lock-out starts after five failed sign-ins: the limit stays below it.
  const basicSignInFailureLimit = integer("BASIC_SIGN_IN_FAILURE_LIMIT", DEFAULTS.basicSignInFailureLimit, 1, 4);
  const basicSignInFailureWindowSeconds = integer(
    "BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS",
    DEFAULTS.basicSignInFailureWindowSeconds,
    60,
    86_400,
  );
  const clockToleranceSeconds = integer("CLOCK_TOLERANCE_SECONDS", DEFAULTS.clockToleranceSeconds, 0, 300);
  const maxTokenAgeSeconds = integer("MAX_TOKEN_AGE_SECONDS", DEFAULTS.maxTokenAgeSeconds, 60, 86_400);
  // Cognito's access-token validity ranges from 5 minutes to 1 day.
  const maxTokenLifetimeSeconds = integer("MAX_TOKEN_LIFETIME_SECONDS", DEFAULTS.maxTokenLifetimeSeconds, 300, 86_400);
  const maxTokenLengthBytes = integer("MAX_TOKEN_LENGTH", DEFAULTS.maxTokenLengthBytes, 1024, 65_536);
  const verifiedTokenCacheSize = integer("VERIFIED_TOKEN_CACHE_SIZE", DEFAULTS.verifiedTokenCacheSize, 0, 1_000_000);

  const jwksSnapshot = readJwksSnapshot(read("JWKS_SNAPSHOT"), (allowed) => problem("JWKS_SNAPSHOT", allowed));

  if (problems.length > 0) throw new AuthorizerConfigurationError(problems);
  return {
    region: region as string,
    userPoolId: userPoolId as string,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    appClientIds,
    tableName: tableName as string,
    basicAuthClientId,
    basicUsers,
    threatProtection,
    routeScopes,
    grantCacheTtlSeconds,
    basicAuthCacheTtlSeconds,
    basicSignInFailureLimit,
    basicSignInFailureWindowSeconds,
    clockToleranceSeconds,
    maxTokenAgeSeconds,
    maxTokenLifetimeSeconds,
    maxTokenLengthBytes,
    jwksSnapshot,
    verifiedTokenCacheSize,
  };
}

/**
 * Reads a JWKS snapshot (the `JWKS_SNAPSHOT` value); shared with the stack's configuration
 * validation so a snapshot the authorizer would refuse never reaches a deployment.
 *
 * @param text - the JSON text, or `undefined` when unset
 * @param problem - receives what is allowed when the snapshot is refused
 * @returns the key set, or `undefined` when unset or refused
 */
export function readJwksSnapshot(text: string | undefined, problem: (allowed: string) => void): JsonWebKeySet | undefined {
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
