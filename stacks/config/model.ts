import type { JsonWebKeySet, ThreatProtectionMode } from "../../contracts/authorizer-environment";
import type { HttpMethod } from "../../core/routes";
import type { RuleId } from "../../contracts/check-rules";

/**
 * The validated scopegate configuration: every default applied, every reference checked.
 * Constructs and stacks take this model only; they never read files or the environment.
 * The defaults are those of `CONFIGURATION_DEFAULTS` (`core/defaults.ts`); each field's `@default` says how it behaves.
 */
export interface ScopegateConfig {
  /** Prefix of every AWS resource name; also the stack name. */
  readonly name: string;
  /**
   * Default of the Terraform variable `aws_region`.
   *
   * @default "us-east-1"
   */
  readonly region: string;
  /**
   * Where Terraform keeps state.
   *
   * @default a local file, `terraform.tfstate` in the stack folder
   */
  readonly backend: BackendConfig;
  /** The Cognito user pool (required: its `domainPrefix` has no default). */
  readonly userPool: UserPoolConfig;
  /** The resource servers and their custom scopes (required). */
  readonly resourceServers: readonly ResourceServerConfig[];
  /** The app clients (required). */
  readonly appClients: readonly AppClientConfig[];
  /**
   * Cognito groups.
   *
   * @default [] - no groups
   */
  readonly groups: readonly GroupConfig[];
  /**
   * Users created in the pool (their passwords are a sensitive Terraform variable, never configured).
   *
   * @default [] - no users
   */
  readonly users: readonly UserConfig[];
  /** The REST API (required: its `routes` have no default). */
  readonly api: ApiConfig;
  /**
   * The Lambda authorizer function.
   *
   * @default every field at its own default
   */
  readonly authorizer: AuthorizerFunctionConfig;
  /**
   * The grants of the lambda guard.
   *
   * @default no grants
   */
  readonly authorizationTable: AuthorizationTableConfig;
  /** Findings of `npm run check` accepted on purpose, each with its reason. @default no suppressions */
  readonly checks: ChecksConfig;
  /** Encryption at rest of the grants table, the log groups and the function's environment. @default AWS managed keys */
  readonly encryption: EncryptionConfig;
  /**
   * The existing Cognito resources this stack takes over with Terraform `import` blocks (written by
   * `npm run adopt` from AWS CLI describe outputs). The first plan imports them instead of creating
   * them; once they are in state the blocks change nothing.
   *
   * @default undefined - every Cognito resource is created
   */
  readonly adopt?: AdoptConfig;
  /** The Cedar twin exported to Amazon Verified Permissions (docs/cedar.md). @default no export */
  readonly verifiedPermissions: VerifiedPermissionsConfig;
}

/**
 * `adopt`: which existing Cognito resources the stack imports, by the ids Terraform imports them
 * with. Names refer to this configuration's own entries; the pool id's region is `region`.
 *
 * @see https://developer.hashicorp.com/terraform/language/import
 */
export interface AdoptConfig {
  /** The pool's id, `<region>_<id>` (required). */
  readonly userPoolId: string;
  /** The hosted-UI domain `userPool.domainPrefix` exists already and is imported. @default false */
  readonly domain: boolean;
  /** Identifiers of `resourceServers` that exist already. @default [] */
  readonly resourceServers: readonly string[];
  /** `appClients` names that exist already, each to its client id. @default {} */
  readonly clients: Readonly<Record<string, string>>;
  /** `groups` names that exist already. @default [] */
  readonly groups: readonly string[];
  /** `users` usernames that exist already (they keep their attributes and password). @default [] */
  readonly users: readonly string[];
}

/**
 * The `verifiedPermissions` section: the stack's Cedar twin as an Amazon Verified Permissions policy
 * store (validation mode STRICT) with its schema, its policies and a Cognito identity source for the
 * pool. Opt-in; the authorizer is unchanged (it still decides alone).
 *
 * @see https://docs.aws.amazon.com/verifiedpermissions/latest/userguide/what-is-avp.html
 */
export interface VerifiedPermissionsConfig {
  /** @default false */
  readonly export: boolean;
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

/**
 * Terraform state: a local file with a relative path (`path`, default `terraform.tfstate`), or S3 with locking.
 *
 * @see https://developer.hashicorp.com/terraform/language/backend/s3
 */
export type BackendConfig =
  | {
      /** @default "local" */
      readonly type: "local";
      /** The state file, in the stack folder. @default "terraform.tfstate" */
      readonly path: string;
    }
  | {
      readonly type: "s3";
      /** The state bucket (required). */
      readonly bucket: string;
      /** The state object's key (required). */
      readonly key: string;
      /**
       * The bucket's region.
       *
       * @default the stack's `region`
       */
      readonly region: string;
      /**
       * S3-native lock file (Terraform 1.10+).
       *
       * @default true
       */
      readonly useLockfile: boolean;
      /**
       * Legacy DynamoDB lock table, when the team still uses one.
       *
       * @default undefined - no lock table (locking by `useLockfile`)
       */
      readonly dynamodbTable?: string;
    };

/** How users sign in: a username, or their e-mail address as the username. */
export type SignInWith = "username" | "email";

/** The `userPool` section: the Cognito user pool. */
export interface UserPoolConfig {
  /**
   * The pool's name.
   *
   * @default `<name>-users`
   */
  readonly name: string;
  /**
   * Hosted-UI domain prefix: `https://<prefix>.auth.<region>.amazoncognito.com` (required, except for an
   * attached pool, whose own domain the stack then leaves alone and creates none).
   */
  readonly domainPrefix?: string;
  /**
   * Terraform and the console cannot delete the pool while it is on.
   *
   * @default true
   */
  readonly deletionProtection: boolean;
  /**
   * `OPTIONAL` (TOTP offered to every user), `ON` (required) or `OFF` (only on purpose).
   *
   * @default "OPTIONAL"
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html
   */
  readonly mfa: "OFF" | "OPTIONAL" | "ON";
  /**
   * What users sign in with; changing it replaces the pool.
   *
   * @default "username"
   */
  readonly signInWith: SignInWith;
  /**
   * The password policy.
   *
   * @default 14 characters of all four classes; temporary passwords valid for 3 days
   */
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
  /**
   * An existing pool the stack attaches to instead of creating one (`userPool.existing.arn`): the stack
   * creates no pool and changes nothing pool-wide; `signInWith`, `mfa`, `tier` and `threatProtection`
   * then declare the pool's facts, and `name`, `deletionProtection` and `passwordPolicy` are not used.
   *
   * @default undefined - the stack creates the pool
   */
  readonly existing?: ExistingUserPoolConfig;
}

/** `userPool.existing`: the pool the stack attaches to, read from its ARN. */
export interface ExistingUserPoolConfig {
  /** `arn:aws:cognito-idp:<region>:<account>:userpool/<region>_<id>` (required). */
  readonly arn: string;
  /** The pool id: the part after `userpool/`. */
  readonly id: string;
  /** The pool's region, from the ARN (equals `region`). */
  readonly region: string;
}

/**
 * `userPool.passwordPolicy`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html
 */
export interface PasswordPolicyConfig {
  /** @default 14 - characters (12 to 99) */
  readonly minimumLength: number;
  /** @default true */
  readonly requireLowercase: boolean;
  /** @default true */
  readonly requireUppercase: boolean;
  /** @default true */
  readonly requireNumbers: boolean;
  /** @default true */
  readonly requireSymbols: boolean;
  /** @default 3 - days (1 to 7) */
  readonly temporaryPasswordValidityDays: number;
}

/**
 * One of `resourceServers`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html
 */
export interface ResourceServerConfig {
  /** Identifier in domain form (`api.example.com`) or an https URL (required). Scopes are `<identifier>/<name>`. */
  readonly identifier: string;
  /**
   * The display name.
   *
   * @default the `identifier`
   */
  readonly name: string;
  /** The custom scopes (required, at least one). */
  readonly scopes: readonly ScopeConfig[];
}

/** One custom scope of a resource server. */
export interface ScopeConfig {
  /** The scope's name, the part after `<identifier>/` (required). */
  readonly name: string;
  /** What the scope allows (required). */
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

/**
 * One of `appClients`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html
 */
export interface AppClientConfig {
  /** The client's name, unique in the configuration (required). */
  readonly name: string;
  /** What kind of application uses the client (required). */
  readonly kind: AppClientKind;
  /**
   * Full scope strings: `openid`, `email`, `profile`, `phone`, or `<identifier>/<scope>`.
   *
   * @default [] - allowed only for kind `legacy`; browser and machine clients need at least one
   */
  readonly scopes: readonly string[];
  /**
   * Where the hosted UI may send the user after sign-in.
   *
   * @default [] - allowed only for machine and legacy clients; a browser client needs at least one
   */
  readonly callbackUrls: readonly string[];
  /**
   * Where the hosted UI may send the user after sign-out.
   *
   * @default [] - no sign-out redirect
   */
  readonly logoutUrls: readonly string[];
  /**
   * The implicit grant (tokens in the URL fragment); only on explicit opt-in.
   *
   * @default false
   */
  readonly allowImplicitFlow: boolean;
  /**
   * @default 60 - minutes (5 to 1440)
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
   */
  readonly accessTokenValidityMinutes: number;
  /** @default 60 - minutes (5 to 1440) */
  readonly idTokenValidityMinutes: number;
  /** @default 10 - days (1 to 3650) */
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

/**
 * One of `groups`: a Cognito group.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-user-groups.html
 */
export interface GroupConfig {
  /** The group's name (required). */
  readonly name: string;
  /** @default "" - no description */
  readonly description: string;
  /**
   * Which group's role wins when a user is in several (lower wins).
   *
   * @default undefined - no precedence
   */
  readonly precedence?: number;
}

/** One of `users`: a user created in the pool, or (`existing`) one already in it, only granted. */
export interface UserConfig {
  /** The username, or the e-mail address when `userPool.signInWith` is `email` (required). */
  readonly username: string;
  /**
   * The user's e-mail address.
   *
   * @default the `username` when `userPool.signInWith` is `email`, else none
   */
  readonly email?: string;
  /**
   * Groups the user belongs to, each a configured group.
   *
   * @default [] - no groups
   */
  readonly groups: readonly string[];
  /**
   * The user already exists in the pool (`userPool.existing`): it is granted and may be designated for
   * Basic, but the stack neither creates it nor changes its groups or attributes.
   *
   * @default false - the stack creates the user (the model then leaves the field out)
   */
  readonly existing?: true;
  /**
   * The existing user's `sub`, required when users sign in with their e-mail (tokens carry the sub as
   * their username, and the stack cannot read it from a user it does not create).
   */
  readonly sub?: string;
}

/** Which authorizer guards a route: API Gateway's native Cognito authorizer, or scopegate's Lambda authorizer. */
export type Guard = "cognito" | "lambda";

/** What a route calls: a mock answering 200, or an HTTP backend by https URL. */
export type Integration =
  | {
      /** @default "mock" - answers 200 */
      readonly type: "mock";
    }
  | { readonly type: "http_proxy"; readonly url: string };

/** One of `api.routes`. */
export interface RouteConfig {
  /** The HTTP method (required). */
  readonly method: HttpMethod;
  /** Resource path template, e.g. `/resource` or `/orders/{id}` (required). */
  readonly path: string;
  /** The route's authorizer (required). */
  readonly guard: Guard;
  /**
   * A token must hold at least one of these (the native Cognito authorizer's rule).
   *
   * @default [] - allowed only on the lambda guard (a grant alone then suffices); a cognito route needs one
   */
  readonly scopes: readonly string[];
  /**
   * What the route calls.
   *
   * @default `{ type: "mock" }` - answers 200
   */
  readonly integration: Integration;
}

/**
 * The `api` section: the REST API and its stage.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-rest-api.html
 */
export interface ApiConfig {
  /**
   * The REST API's name.
   *
   * @default `<name>-api`
   */
  readonly name: string;
  /** @default "v1" */
  readonly stageName: string;
  /** The routes (required, at least one). */
  readonly routes: readonly RouteConfig[];
  /**
   * Retention of the stage's access logs (a period CloudWatch Logs accepts).
   *
   * @default 365 - days
   */
  readonly logRetentionDays: number;
  /**
   * Stage-wide method throttling: burst.
   *
   * @default 100 - requests
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
   */
  readonly throttlingBurstLimit: number;
  /**
   * Stage-wide method throttling: steady rate.
   *
   * @default 50 - requests per second
   */
  readonly throttlingRateLimit: number;
  /**
   * Create the account-wide CloudWatch role API Gateway needs for execution logs. Turn off where
   * another stack of the same account and region already manages it.
   *
   * @default true
   */
  readonly manageAccountLoggingRole: boolean;
  /**
   * The per-source-IP rate limit of requests carrying Basic credentials (a WAFv2 web ACL on the stage).
   *
   * @default on with 2000 requests per 5 minutes where the stage accepts Basic, else off
   */
  readonly basicRateLimit: BasicRateLimitConfig;
}

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

/**
 * The `authorizer` section: the Lambda authorizer function.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 */
export interface AuthorizerFunctionConfig {
  /**
   * API Gateway's cache of the authorizer's answer, per token and route. 0 turns it off.
   *
   * @default 300 - seconds (0 to 3600)
   */
  readonly resultTtlSeconds: number;
  /**
   * How long the authorizer reuses a principal's grants (`GRANT_CACHE_TTL_SECONDS`). 0 turns it off.
   *
   * @default 30 - seconds (0 to 3600)
   */
  readonly grantCacheTtlSeconds: number;
  /**
   * How long a successful Basic sign-in is reused (`BASIC_AUTH_CACHE_TTL_SECONDS`). 0 turns it off.
   *
   * @default 60 - seconds (0 to 3600)
   */
  readonly basicAuthCacheTtlSeconds: number;
  /**
   * Failed Basic sign-ins of one designated account from one source address (an IPv6 /64) per window
   * (`BASIC_SIGN_IN_FAILURE_LIMIT`); further attempts from there get 401 `BASIC_SIGN_IN_LIMITED`
   * without a Cognito call until the window ends. Below Cognito's lock-out, which starts after five.
   *
   * @default 3 - failures (1 to 4)
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior
   */
  readonly basicSignInFailureLimit: number;
  /**
   * How long a window of counted failures lasts, from its first attempt (`BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS`).
   *
   * @default 900 - seconds (60 to 86400)
   */
  readonly basicSignInFailureWindowSeconds: number;
  /** @default 256 - MB (128 to 10240) */
  readonly memorySizeMb: number;
  /** @default 10 - seconds (1 to 29: API Gateway waits at most 29) */
  readonly timeoutSeconds: number;
  /**
   * Reserved concurrency; `null` leaves the function on the account's shared pool.
   *
   * @default null
   */
  readonly reservedConcurrency: number | null;
  /** @default 90 - days */
  readonly logRetentionDays: number;
  /**
   * A JWKS taken at deploy time, so a cold start verifies without fetching.
   *
   * @default undefined - every key comes from the pool's remote JWKS
   */
  readonly jwksSnapshot?: JsonWebKeySet;
}

/** A grant's principal: a user by Cognito username, or a machine client by its configured name. */
export type PrincipalRef = { readonly user: string } | { readonly client: string };

/** One of `authorizationTable.grants`: what one principal may call through the lambda guard. */
export interface GrantConfig {
  /** The user or machine client (required). */
  readonly principal: PrincipalRef;
  /** Route keys `"<METHOD> <resource path>"`, method may be `*` (required); each must match a lambda route. */
  readonly routes: readonly string[];
}

/** The `authorizationTable` section. */
export interface AuthorizationTableConfig {
  /** @default [] - no grants */
  readonly grants: readonly GrantConfig[];
}

/** The `npm run check` section: findings accepted on purpose, carried into the output. */
export interface ChecksConfig {
  /** @default [] */
  readonly suppressions: readonly SuppressionConfig[];
}

/** One accepted finding: the rule, the construct path it applies to (or a prefix at a `/`), and why. */
export interface SuppressionConfig {
  /** The rule's id, e.g. `SG-LAMBDA-002` (required). */
  readonly rule: RuleId;
  /** Construct path with or without the stack name in front, e.g. `authorizer/function`; no wildcards. */
  readonly resource: string;
  /** Why the finding is acceptable here; shown in every report. */
  readonly reason: string;
}
