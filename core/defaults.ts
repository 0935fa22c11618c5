/**
 * Every default of scopegate's configuration, in one typed object that the configuration parser
 * (`stacks/config/parse/`) applies and the table of configuration defaults in docs/configuration.md is tested
 * against; and the defaults of the authorizer's environment, which share the values the two have in
 * common. Free of imports, so the authorizer's bundle carries nothing else for it.
 *
 * A list that may be left out has its own default under its name (`groups`: `[]`); the defaults of
 * each of a list's items are under its name with `[]` (`groups[]`), as docs/configuration.md's table
 * writes them. Left out on purpose: defaults that follow from another field (a resource server's
 * `name` is its `identifier`, an S3 backend's `region` is the stack's `region`,
 * `api.basicRateLimit.enabled` follows whether the stage accepts Basic); the model
 * (`stacks/config/model.ts`) documents those with its `@default`s.
 *
 * @packageDocumentation
 */

// The values the configuration and the authorizer's environment share, named once. Both objects
// read these names, not each other's properties: esbuild keeps an object literal that reads another
// object's property, and the authorizer's bundle should hold AUTHORIZER_ENVIRONMENT_DEFAULTS only.
const GRANT_CACHE_TTL_SECONDS = 30;
const BASIC_AUTH_CACHE_TTL_SECONDS = 60;
const THREAT_PROTECTION = "off";
// Cognito locks a user out after five failed password sign-ins: one address stays below that.
const BASIC_SIGN_IN_FAILURE_LIMIT = 3;
const BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS = 900;

/** The defaults of a configuration file, keyed as the file is; `<list>[]` holds the defaults of each of the list's items. */
export const CONFIGURATION_DEFAULTS = {
  /**
   * Default of the Terraform variable `aws_region`.
   *
   * @default "us-east-1"
   */
  region: "us-east-1",
  /** `backend`: Terraform state. */
  backend: {
    /**
     * Without a `backend` section the state is a local file.
     *
     * @default "local"
     */
    type: "local",
    /**
     * A local backend's state file, relative to the stack folder.
     *
     * @default "terraform.tfstate"
     */
    path: "terraform.tfstate",
    /**
     * An S3 backend locks the state with an S3 lock file (Terraform 1.10 and later).
     *
     * @default true
     * @see https://developer.hashicorp.com/terraform/language/backend/s3
     */
    useLockfile: true,
  },
  /** `userPool`: the Cognito user pool. */
  userPool: {
    /**
     * The pool's name, from the stack name.
     *
     * @default `<name>-users`
     */
    name: (stackName: string): string => `${stackName}-users`,
    /**
     * Terraform and the console cannot delete the pool while it is on.
     *
     * @default true
     * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-deletion-protection.html
     */
    deletionProtection: true,
    /**
     * TOTP is offered to every user and required of none.
     *
     * @default "OPTIONAL"
     * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html
     */
    mfa: "OPTIONAL",
    /**
     * Users sign in with a username (not their e-mail address).
     *
     * @default "username"
     */
    signInWith: "username",
    /**
     * The Essentials feature plan (no threat protection).
     *
     * @default "ESSENTIALS"
     * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html
     */
    tier: "ESSENTIALS",
    /**
     * Sign-ins are not scored for risk.
     *
     * @default "off"
     * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html
     */
    threatProtection: THREAT_PROTECTION,
    /**
     * `userPool.passwordPolicy`: at least 14 characters of all four classes; temporary passwords valid for 3 days.
     *
     * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html
     */
    passwordPolicy: {
      /** @default 14 - characters (12 to 99 accepted) */
      minimumLength: 14,
      /** @default true */
      requireLowercase: true,
      /** @default true */
      requireUppercase: true,
      /** @default true */
      requireNumbers: true,
      /** @default true */
      requireSymbols: true,
      /** @default 3 - days (1 to 7 accepted) */
      temporaryPasswordValidityDays: 3,
    },
  },
  /** Each of `appClients`. */
  "appClients[]": {
    /**
     * A browser client needs at least one scope, a machine client one custom scope; a legacy client has none.
     *
     * @default []
     */
    scopes: [],
    /**
     * A browser client needs at least one; machine and legacy clients have none.
     *
     * @default []
     */
    callbackUrls: [],
    /** No sign-out redirect. @default [] */
    logoutUrls: [],
    /**
     * Only a legacy client designates accounts that may sign in with Basic, and it needs at least one.
     *
     * @default []
     */
    basicUsers: [],
    /**
     * The implicit grant (tokens in the URL fragment) stays off.
     *
     * @default false
     */
    allowImplicitFlow: false,
    /**
     * `aws.cognito.signin.user.admin` may not be asked for.
     *
     * @default false
     */
    allowUserAdminScope: false,
    /**
     * @default 60 - minutes
     * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
     */
    accessTokenValidityMinutes: 60,
    /** @default 60 - minutes */
    idTokenValidityMinutes: 60,
    /** @default 10 - days */
    refreshTokenValidityDays: 10,
  },
  /** No groups. @default [] */
  groups: [],
  /** Each of `groups`. */
  "groups[]": {
    /** @default "" */
    description: "",
  },
  /** No users. @default [] */
  users: [],
  /** Each of `users`. */
  "users[]": {
    /** In no group. @default [] */
    groups: [],
    /** The stack creates the user. @default false */
    existing: false,
  },
  /** `api`: the REST API and its stage. */
  api: {
    /**
     * The REST API's name, from the stack name.
     *
     * @default `<name>-api`
     */
    name: (stackName: string): string => `${stackName}-api`,
    /** @default "v1" */
    stageName: "v1",
    /**
     * Retention of the stage's access logs.
     *
     * @default 365 - days
     */
    logRetentionDays: 365,
    /**
     * Stage-wide method throttling: burst.
     *
     * @default 100 - requests
     * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
     */
    throttlingBurstLimit: 100,
    /**
     * Stage-wide method throttling: steady rate.
     *
     * @default 50 - requests per second
     */
    throttlingRateLimit: 50,
    /**
     * The stack creates the account-wide CloudWatch role API Gateway needs for execution logs.
     *
     * @default true
     */
    manageAccountLoggingRole: true,
    /** `api.basicRateLimit`: the per-source-IP limit of requests with Basic credentials. */
    basicRateLimit: {
      /**
       * About 6.7 requests per second from one address, sustained: generous for an application
       * account (every legacy request carries its credentials), small next to what password
       * guessing needs.
       *
       * @default 2000 - requests per source IP in 5 minutes
       * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
       */
      requestsPer5MinutesPerIp: 2000,
    },
    /** Each of `api.routes`. */
    "routes[]": {
      /**
       * A route on the cognito guard needs at least one; one on the lambda guard may have none (a grant then suffices).
       *
       * @default []
       */
      scopes: [],
      /**
       * A route without an integration answers 200 from a mock integration.
       *
       * @default `{"type":"mock"}`
       */
      integration: { type: "mock" },
    },
  },
  /** `authorizer`: the Lambda authorizer function. */
  authorizer: {
    /**
     * API Gateway's cache of the authorizer's answer, per token and route.
     *
     * @default 300 - seconds
     */
    resultTtlSeconds: 300,
    /**
     * How long the authorizer reuses a principal's grants.
     *
     * @default 30 - seconds
     */
    grantCacheTtlSeconds: GRANT_CACHE_TTL_SECONDS,
    /**
     * How long the authorizer reuses a successful Basic sign-in.
     *
     * @default 60 - seconds
     */
    basicAuthCacheTtlSeconds: BASIC_AUTH_CACHE_TTL_SECONDS,
    /**
     * Failed Basic sign-ins of one designated account from one source address (an IPv6 /64) that
     * reach Cognito per window; further attempts from there are refused without asking Cognito
     * until the window ends. Below Cognito's own lock-out, which starts after five.
     *
     * @default 3 - failures (1 to 4)
     * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior
     */
    basicSignInFailureLimit: BASIC_SIGN_IN_FAILURE_LIMIT,
    /**
     * How long a window of counted Basic sign-in failures lasts, from its first attempt.
     *
     * @default 900 - seconds (60 to 86400), Cognito's longest temporary lock-out
     */
    basicSignInFailureWindowSeconds: BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS,
    /** @default 256 - MB */
    memorySizeMb: 256,
    /** @default 10 - seconds */
    timeoutSeconds: 10,
    /**
     * The function runs on the account's shared concurrency.
     *
     * @default null
     */
    reservedConcurrency: null,
    /** @default 90 - days */
    logRetentionDays: 90,
  },
  /** `authorizationTable`: the grants table's items. */
  authorizationTable: {
    /** No grants. @default [] */
    grants: [],
  },
  /** `checks`: findings of `npm run check` accepted on purpose. */
  checks: {
    /** No suppressions. @default [] */
    suppressions: [],
  },
  /** `encryption`: encryption at rest. */
  encryption: {
    /**
     * AWS managed keys encrypt the grants table and the function's environment; CloudWatch Logs its own encryption.
     *
     * @default "aws-managed"
     */
    kmsKey: "aws-managed",
  },
  /** `verifiedPermissions`: the Cedar twin exported to Amazon Verified Permissions. */
  verifiedPermissions: {
    /**
     * No policy store: the twin stays in the synth output (`cedar/`).
     *
     * @default false
     */
    export: false,
  },
  /** `adopt` (when present): what exists already besides the pool. */
  adopt: {
    /** The domain is created, not imported. @default false */
    domain: false,
    /** No resource server exists already. @default [] */
    resourceServers: [],
    /** No group exists already. @default [] */
    groups: [],
    /** No user exists already. @default [] */
    users: [],
  },
} as const;

/** The type of {@link CONFIGURATION_DEFAULTS}. */
export type ConfigurationDefaults = typeof CONFIGURATION_DEFAULTS;

/**
 * Defaults of the authorizer's optional environment variables (see `contracts/authorizer-environment.ts`),
 * applied at cold start when a variable is unset. The stack sets the ones the configuration has.
 */
export const AUTHORIZER_ENVIRONMENT_DEFAULTS = {
  /** `GRANT_CACHE_TTL_SECONDS`. @default 30 - seconds, as `authorizer.grantCacheTtlSeconds` */
  grantCacheTtlSeconds: GRANT_CACHE_TTL_SECONDS,
  /** `BASIC_AUTH_CACHE_TTL_SECONDS`. @default 60 - seconds, as `authorizer.basicAuthCacheTtlSeconds` */
  basicAuthCacheTtlSeconds: BASIC_AUTH_CACHE_TTL_SECONDS,
  /** `CLOCK_TOLERANCE_SECONDS`: leeway for `exp`, `nbf` and `iat`. @default 5 - seconds */
  clockToleranceSeconds: 5,
  /** `MAX_TOKEN_AGE_SECONDS`: older `iat` is refused. @default 86400 - seconds */
  maxTokenAgeSeconds: 86_400,
  /** `MAX_TOKEN_LIFETIME_SECONDS`: longest `exp - iat` accepted. @default 86400 - seconds, Cognito's longest access-token validity */
  maxTokenLifetimeSeconds: 86_400,
  /** `MAX_TOKEN_LENGTH`: longer bearer tokens are refused before parsing. @default 8192 - bytes */
  maxTokenLengthBytes: 8_192,
  /** `VERIFIED_TOKEN_CACHE_SIZE`: verified tokens remembered until their `exp`. @default 10000 */
  verifiedTokenCacheSize: 10_000,
  /** `THREAT_PROTECTION`. @default "off", as `userPool.threatProtection` */
  threatProtection: THREAT_PROTECTION,
  /** `BASIC_SIGN_IN_FAILURE_LIMIT`. @default 3 - failures, as `authorizer.basicSignInFailureLimit` */
  basicSignInFailureLimit: BASIC_SIGN_IN_FAILURE_LIMIT,
  /** `BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS`. @default 900 - seconds, as `authorizer.basicSignInFailureWindowSeconds` */
  basicSignInFailureWindowSeconds: BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS,
} as const;
