import type { JsonWebKeySet, ThreatProtectionMode } from "../../functions/authorizer/config";
import type { HttpMethod } from "../../core/routes";
import type { RuleId } from "../../checks/contract";

/**
 * The validated scopegate configuration: every default applied, every reference checked.
 * Constructs and stacks take this model only; they never read files or the environment.
 */
export interface ScopegateConfig {
  /** Prefix of every AWS resource name; also the stack name. */
  readonly name: string;
  /** Default of the Terraform variable `aws_region`. */
  readonly region: string;
  /** Where Terraform keeps state. */
  readonly backend: BackendConfig;
  readonly userPool: UserPoolConfig;
  readonly resourceServers: readonly ResourceServerConfig[];
  readonly appClients: readonly AppClientConfig[];
  readonly groups: readonly GroupConfig[];
  readonly users: readonly UserConfig[];
  readonly api: ApiConfig;
  readonly authorizer: AuthorizerFunctionConfig;
  readonly authorizationTable: AuthorizationTableConfig;
  /** Findings of `npm run check` accepted on purpose, each with its reason. @default no suppressions */
  readonly checks: ChecksConfig;
  /** Encryption at rest of the grants table, the log groups and the function's environment. @default AWS managed keys */
  readonly encryption: EncryptionConfig;
}

/**
 * The KMS key that encrypts the grants table, the log groups and the authorizer's environment.
 * - `aws-managed`: the AWS managed keys (`aws/dynamodb`, `aws/lambda`) and CloudWatch Logs' own
 *   encryption; the checks report the customer managed key rules at `info`.
 * - `create`: the stack creates a customer managed key with rotation and a key policy (see
 *   `stacks/constructs/encryption-key.ts`).
 * - `existing`: a key the organisation manages, by its ARN; its key policy must let CloudWatch
 *   Logs of the region use it.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt
 */
export type KmsKeyChoice =
  { readonly type: "aws-managed" } | { readonly type: "create" } | { readonly type: "existing"; readonly arn: string };

/** The `encryption` section. */
export interface EncryptionConfig {
  /** @default `{ type: "aws-managed" }` (configuration: `"aws-managed"`) */
  readonly kmsKey: KmsKeyChoice;
}

/** Terraform state: a local file with a relative path, or S3 with locking. */
export type BackendConfig =
  | { readonly type: "local"; readonly path: string }
  | {
      readonly type: "s3";
      readonly bucket: string;
      readonly key: string;
      readonly region: string;
      /** S3-native lock file (Terraform 1.10+). */
      readonly useLockfile: boolean;
      /** Legacy DynamoDB lock table, when the team still uses one. */
      readonly dynamodbTable?: string;
    };

/** How users sign in: a username, or their e-mail address as the username. */
export type SignInWith = "username" | "email";

export interface UserPoolConfig {
  readonly name: string;
  /** Hosted-UI domain prefix: `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
  readonly deletionProtection: boolean;
  /** `OPTIONAL` (TOTP offered to every user), `ON` (required) or `OFF` (only on purpose). */
  readonly mfa: "OFF" | "OPTIONAL" | "ON";
  readonly signInWith: SignInWith;
  readonly passwordPolicy: PasswordPolicyConfig;
  /**
   * The feature plan of the pool (`user_pool_tier`): `ESSENTIALS`, or `PLUS` for threat protection.
   *
   * @default "ESSENTIALS"
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html
   */
  readonly tier: "ESSENTIALS" | "PLUS";
  /**
   * Threat protection (`user_pool_add_ons.advanced_security_mode`): `audit` scores sign-ins and logs
   * the risk, `enforced` also blocks risky ones; needs `tier` `PLUS`. Scores the Basic sign-ins by the
   * caller's address, which the authorizer passes in `ContextData`.
   *
   * @default "off"
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html
   */
  readonly threatProtection: ThreatProtectionMode;
}

export interface PasswordPolicyConfig {
  readonly minimumLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
  readonly temporaryPasswordValidityDays: number;
}

export interface ResourceServerConfig {
  /** Identifier in domain form (`api.example.com`) or an https URL. Scopes are `<identifier>/<name>`. */
  readonly identifier: string;
  readonly name: string;
  readonly scopes: readonly ScopeConfig[];
}

export interface ScopeConfig {
  readonly name: string;
  readonly description: string;
}

/**
 * The three kinds of app client scopegate builds.
 * - `browser`: authorization code + PKCE, no secret (browser and mobile apps).
 * - `machine`: client_credentials with a secret (service to service).
 * - `legacy`: no OAuth; the Lambda authorizer signs its users in with
 *   `ADMIN_USER_PASSWORD_AUTH` on their behalf (apps that can only send a username and password).
 */
export type AppClientKind = "browser" | "machine" | "legacy";

export interface AppClientConfig {
  readonly name: string;
  readonly kind: AppClientKind;
  /** Full scope strings: `openid`, `email`, `profile`, `phone`, or `<identifier>/<scope>`. */
  readonly scopes: readonly string[];
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  /** The implicit grant (tokens in the URL fragment); only on explicit opt-in. */
  readonly allowImplicitFlow: boolean;
  readonly accessTokenValidityMinutes: number;
  readonly idTokenValidityMinutes: number;
  readonly refreshTokenValidityDays: number;
  /**
   * The application accounts that may sign in with HTTP Basic through this client (kind `legacy`
   * only, at least one there; each a configured user). Anyone else is refused before Cognito is
   * asked. Designate application accounts only: a Basic account cannot use MFA.
   *
   * @default [] - for browser and machine clients
   */
  readonly basicUsers: readonly string[];
}

export interface GroupConfig {
  readonly name: string;
  readonly description: string;
  readonly precedence?: number;
}

export interface UserConfig {
  readonly username: string;
  readonly email?: string;
  readonly groups: readonly string[];
}

export type Guard = "cognito" | "lambda";

export type Integration = { readonly type: "mock" } | { readonly type: "http_proxy"; readonly url: string };

export interface RouteConfig {
  readonly method: HttpMethod;
  /** Resource path template, e.g. `/resource` or `/orders/{id}`. */
  readonly path: string;
  readonly guard: Guard;
  /** A token must hold at least one of these (the native Cognito authorizer's rule). */
  readonly scopes: readonly string[];
  readonly integration: Integration;
}

export interface ApiConfig {
  readonly name: string;
  readonly stageName: string;
  readonly routes: readonly RouteConfig[];
  readonly logRetentionDays: number;
  readonly throttlingBurstLimit: number;
  readonly throttlingRateLimit: number;
  /**
   * Create the account-wide CloudWatch role API Gateway needs for execution logs. Turn off where
   * another stack of the same account and region already manages it.
   */
  readonly manageAccountLoggingRole: boolean;
  /** The per-source-IP rate limit of requests carrying Basic credentials (a WAFv2 web ACL on the stage). */
  readonly basicRateLimit: BasicRateLimitConfig;
}

/**
 * Default of {@link BasicRateLimitConfig.requestsPer5MinutesPerIp}: about 6.7 requests per second
 * from one address, sustained, which is generous for an application account (every legacy request
 * carries its credentials) and small next to what password guessing needs.
 */
export const BASIC_RATE_LIMIT_DEFAULT_REQUESTS_PER_5_MINUTES = 2000;

/**
 * A WAFv2 rate-based rule on the API stage: requests whose `Authorization` header starts with
 * `basic ` (any case) beyond the limit from one source IP are blocked for as long as the rate stays
 * above it. Not on the user pool: its token endpoint uses HTTP Basic for client secrets.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
 */
export interface BasicRateLimitConfig {
  /**
   * Whether the web ACL exists.
   *
   * @default true when the stage accepts Basic (a legacy client and a route on the lambda guard), else false
   */
  readonly enabled: boolean;
  /**
   * Requests with Basic credentials one source IP may send in any 5 minutes (WAF evaluates a
   * 300-second window; its counting is approximate and can lag by about 30 seconds).
   *
   * @default 2000
   */
  readonly requestsPer5MinutesPerIp: number;
}

export interface AuthorizerFunctionConfig {
  /** API Gateway's cache of the authorizer's answer, per token and route. 0 turns it off. */
  readonly resultTtlSeconds: number;
  readonly grantCacheTtlSeconds: number;
  readonly basicAuthCacheTtlSeconds: number;
  readonly memorySizeMb: number;
  readonly timeoutSeconds: number;
  /** Reserved concurrency; `null` leaves the function on the account's shared pool. */
  readonly reservedConcurrency: number | null;
  readonly logRetentionDays: number;
  /** A JWKS taken at deploy time, so a cold start verifies without fetching. */
  readonly jwksSnapshot?: JsonWebKeySet;
}

/** A grant's principal: a user by Cognito username, or a machine client by its configured name. */
export type PrincipalRef = { readonly user: string } | { readonly client: string };

export interface GrantConfig {
  readonly principal: PrincipalRef;
  /** Route keys `"<METHOD> <resource path>"`, method may be `*`. */
  readonly routes: readonly string[];
}

export interface AuthorizationTableConfig {
  readonly grants: readonly GrantConfig[];
}

/** The `npm run check` section: findings accepted on purpose, carried into the output. */
export interface ChecksConfig {
  /** @default [] */
  readonly suppressions: readonly SuppressionConfig[];
}

/** One accepted finding: the rule, the construct path it applies to (or a prefix at a `/`), and why. */
export interface SuppressionConfig {
  readonly rule: RuleId;
  /** Construct path with or without the stack name in front, e.g. `authorizer/function`; no wildcards. */
  readonly resource: string;
  /** Why the finding is acceptable here; shown in every report. */
  readonly reason: string;
}
