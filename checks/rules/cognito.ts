import { Rule, Violation, violation } from "../rule";
import { StackTemplate, TfResource } from "../../core/terraform-json/document";
import { UNKNOWN, readBlock, readBoolean, readNumber, readString, readStrings } from "../../core/terraform-json/values";

// No scanner (checkov, trivy) has rules for Cognito user pools or app clients: these are
// scopegate's own, from the Cognito documentation and the provider's defaults.

const POOL = "aws_cognito_user_pool";
const CLIENT = "aws_cognito_user_pool_client";
const DOMAIN = "aws_cognito_user_pool_domain";
const RESOURCE_SERVER = "aws_cognito_resource_server";

/** A pool id written as a literal: a pool the stack attaches to (userPool.existing), not one it creates. */
const LITERAL_POOL_ID = /^[a-z]{2}(?:-[a-z]+)+-\d_[0-9A-Za-z]+$/;

/**
 * For a rule about a pool's own settings: on a stack attached to an existing pool (no pool resource, only
 * resources in a pool named by its id), one `info` finding per attached pool saying the rule was not
 * evaluated, since the stack neither sets nor changes `setting`.
 */
function onPoolSettings(
  setting: string,
  check: (stack: StackTemplate) => readonly Violation[],
): (stack: StackTemplate) => readonly Violation[] {
  return (stack) => {
    const own = check(stack);
    if (stack.resources(POOL).length > 0) return own;
    const attached = new Map<string, TfResource>();
    for (const resource of [...stack.resources(DOMAIN), ...stack.resources(RESOURCE_SERVER)]) {
      const id = readString(resource.body.user_pool_id);
      if (typeof id === "string" && LITERAL_POOL_ID.test(id) && !attached.has(id)) attached.set(id, resource);
    }
    return [
      ...own,
      ...[...attached].map(([id, resource]) =>
        violation(
          resource,
          "user_pool_id",
          `the stack is attached to the existing user pool ${id} (userPool.existing) and does not manage its ${setting}: this rule was not evaluated`,
          `Check the pool's ${setting} where the pool is managed; this stack does not change it.`,
        ),
      ),
    ];
  };
}

const deletionProtection: Rule = {
  id: "SG-USERPOOL-001",
  severity: "medium",
  title: "User pools have deletion protection",
  fix: 'Set deletion_protection = "ACTIVE" (scopegate: userPool.deletionProtection true, the default).',
  see: ["https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-deletion-protection.html"],
  check: onPoolSettings("deletion protection", (stack) =>
    stack.resources(POOL).flatMap((pool) => {
      const value = readString(pool.body.deletion_protection);
      if (value === UNKNOWN || value === "ACTIVE") return [];
      return [
        violation(
          pool,
          "deletion_protection",
          `deletion_protection is ${value === undefined ? 'not set (the provider\'s default is "INACTIVE")' : JSON.stringify(value)}: a destroy or a replacing change deletes the pool and every user in it`,
        ),
      ];
    }),
  ),
};

const mfa: Rule = {
  id: "SG-USERPOOL-002",
  severity: "high",
  title: "User pools offer or require MFA",
  fix: 'Set mfa_configuration = "OPTIONAL" or "ON" with software_token_mfa_configuration { enabled = true } (scopegate: userPool.mfa).',
  see: ["https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html"],
  check: onPoolSettings("MFA configuration", (stack) =>
    stack.resources(POOL).flatMap((pool) => {
      const value = readString(pool.body.mfa_configuration);
      if (value === UNKNOWN || value === "ON" || value === "OPTIONAL") return [];
      return [
        violation(
          pool,
          "mfa_configuration",
          `mfa_configuration is ${value === undefined ? 'not set (the provider\'s default is "OFF")' : JSON.stringify(value)}: a guessed or leaked password is enough to sign in`,
        ),
      ];
    }),
  ),
};

const adminOnlySignUp: Rule = {
  id: "SG-USERPOOL-003",
  severity: "high",
  title: "Only administrators create users",
  fix: "Set admin_create_user_config { allow_admin_create_user_only = true }.",
  see: ["https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html"],
  check: onPoolSettings("sign-up settings", (stack) =>
    stack.resources(POOL).flatMap((pool) => {
      const config = readBlock(pool.body.admin_create_user_config);
      if (config === UNKNOWN) return [];
      const value = readBoolean(config?.allow_admin_create_user_only);
      if (value === UNKNOWN || value === true) return [];
      return [
        violation(
          pool,
          "admin_create_user_config.allow_admin_create_user_only",
          `admin_create_user_config.allow_admin_create_user_only is ${value === undefined ? "not set (false)" : "false"}: anyone can sign up through the public SignUp API and get tokens with the app clients' scopes`,
        ),
      ];
    }),
  ),
};

const MINIMUM_PASSWORD_LENGTH = 12;

const passwordLength: Rule = {
  id: "SG-USERPOOL-004",
  severity: "medium",
  title: `Passwords have at least ${MINIMUM_PASSWORD_LENGTH} characters`,
  fix: `Set password_policy { minimum_length = ${MINIMUM_PASSWORD_LENGTH} } or more (scopegate: userPool.passwordPolicy.minimumLength, default 14).`,
  see: ["https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html"],
  check: onPoolSettings("password policy", (stack) =>
    stack.resources(POOL).flatMap((pool) => {
      const policy = readBlock(pool.body.password_policy);
      if (policy === UNKNOWN) return [];
      const length = policy === undefined ? undefined : readNumber(policy.minimum_length);
      if (length === UNKNOWN || (length !== undefined && length >= MINIMUM_PASSWORD_LENGTH)) return [];
      const found =
        policy === undefined
          ? "password_policy is not set"
          : length === undefined
            ? "password_policy.minimum_length is not set"
            : `password_policy.minimum_length is ${length}`;
      return [
        violation(
          pool,
          "password_policy.minimum_length",
          `${found}${length === undefined ? " (Cognito's default is 8)" : ""}: at least ${MINIMUM_PASSWORD_LENGTH} characters are required`,
        ),
      ];
    }),
  ),
};

const COMPLEXITY = ["require_lowercase", "require_uppercase", "require_numbers", "require_symbols"] as const;

const passwordComplexity: Rule = {
  id: "SG-USERPOOL-005",
  severity: "medium",
  title: "Passwords need lowercase and uppercase letters, numbers and symbols",
  fix: `Set ${COMPLEXITY.map((field) => `password_policy.${field}`).join(", ")} = true (scopegate: userPool.passwordPolicy, all true by default).`,
  see: ["https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html"],
  check: onPoolSettings("password policy", (stack) =>
    stack.resources(POOL).flatMap((pool) => {
      const policy = readBlock(pool.body.password_policy);
      if (policy === UNKNOWN) return [];
      if (policy === undefined) {
        return [violation(pool, "password_policy", "password_policy is not set: Cognito's default applies, which a plan does not show")];
      }
      const missing = COMPLEXITY.filter((field) => {
        const value = readBoolean(policy[field]);
        return value !== UNKNOWN && value !== true;
      });
      if (missing.length === 0) return [];
      const fields = missing.map((field) => `password_policy.${field}`);
      return [
        violation(
          pool,
          fields.join(", "),
          `${fields.join(", ")} ${missing.length === 1 ? "is" : "are"} not true: simpler, more guessable passwords pass`,
        ),
      ];
    }),
  ),
};

const userExistenceErrors: Rule = {
  id: "SG-APPCLIENT-001",
  severity: "medium",
  title: "App clients do not reveal whether a user exists",
  fix: 'Set prevent_user_existence_errors = "ENABLED" on the aws_cognito_user_pool_client.',
  see: ["https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html"],
  check: (stack) =>
    stack.resources(CLIENT).flatMap((client) => {
      const value = readString(client.body.prevent_user_existence_errors);
      if (value === UNKNOWN || value === "ENABLED") return [];
      return [
        violation(
          client,
          "prevent_user_existence_errors",
          `prevent_user_existence_errors is ${value === undefined ? 'not set (the provider\'s default is "LEGACY")' : JSON.stringify(value)}: sign-in and recovery answers tell an unknown user from a wrong password`,
        ),
      ];
    }),
};

const tokenRevocation: Rule = {
  id: "SG-APPCLIENT-002",
  severity: "medium",
  title: "App clients can revoke refresh tokens",
  fix: "Set enable_token_revocation = true on the aws_cognito_user_pool_client.",
  see: ["https://docs.aws.amazon.com/cognito/latest/developerguide/token-revocation.html"],
  check: (stack) =>
    stack.resources(CLIENT).flatMap((client) => {
      const value = readBoolean(client.body.enable_token_revocation);
      if (value === UNKNOWN || value === true) return [];
      return [
        violation(
          client,
          "enable_token_revocation",
          value === undefined
            ? "enable_token_revocation is not set: Cognito's default applies, which a plan does not show"
            : "enable_token_revocation is false: a stolen refresh token cannot be revoked and keeps minting tokens until it expires",
        ),
      ];
    }),
};

const implicitFlow: Rule = {
  id: "SG-APPCLIENT-003",
  severity: "high",
  title: "App clients use the implicit grant only on explicit opt-in",
  fix:
    'Remove "implicit" from allowed_oauth_flows and use "code" with PKCE. Where an app truly needs it, set the client\'s allowImplicitFlow ' +
    "in the scopegate configuration and suppress this rule for that client with the reason.",
  see: ["https://datatracker.ietf.org/doc/html/rfc9700#section-2.1.2"],
  check: (stack) =>
    stack.resources(CLIENT).flatMap((client) => {
      const flows = readStrings(client.body.allowed_oauth_flows);
      if (flows === UNKNOWN || flows === undefined || !flows.includes("implicit")) return [];
      return [
        violation(
          client,
          "allowed_oauth_flows",
          'allowed_oauth_flows includes "implicit": tokens travel in the URL fragment (browser history, referrers, extensions) and cannot be bound to the client',
        ),
      ];
    }),
};

/** Password flows a client must never allow, and why. */
const FORBIDDEN_AUTH_FLOWS: Readonly<Record<string, string>> = {
  ALLOW_USER_PASSWORD_AUTH: "sends the password to the public InitiateAuth API, which needs no IAM credentials",
  USER_PASSWORD_AUTH: "the legacy name of ALLOW_USER_PASSWORD_AUTH",
  ADMIN_NO_SRP_AUTH: "the legacy name of ALLOW_ADMIN_USER_PASSWORD_AUTH, which cannot be combined with ALLOW_ flows",
  ALLOW_USER_AUTH: "choice-based sign-in through the public API, which includes plain username and password",
};

const passwordFlows: Rule = {
  id: "SG-APPCLIENT-004",
  severity: "high",
  title: "Password sign-in only through ALLOW_ADMIN_USER_PASSWORD_AUTH",
  fix:
    'Remove these flows from explicit_auth_flows; a client that signs users in with a password uses "ALLOW_ADMIN_USER_PASSWORD_AUTH" ' +
    "(server side, with IAM credentials), as scopegate's legacy client does.",
  see: ["https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow.html"],
  check: (stack) =>
    stack.resources(CLIENT).flatMap((client) => {
      const flows = readStrings(client.body.explicit_auth_flows);
      if (flows === UNKNOWN || flows === undefined) return [];
      const forbidden = flows.filter((flow): flow is string => typeof flow === "string" && FORBIDDEN_AUTH_FLOWS[flow] !== undefined);
      if (forbidden.length === 0) return [];
      const reasons = forbidden.map((flow) => `"${flow}" (${FORBIDDEN_AUTH_FLOWS[flow]})`).join("; ");
      return [violation(client, "explicit_auth_flows", `explicit_auth_flows includes ${reasons}`)];
    }),
};

const explicitAuthFlows: Rule = {
  id: "SG-APPCLIENT-005",
  severity: "medium",
  title: "App clients list their authentication flows explicitly",
  fix: 'Set explicit_auth_flows to exactly the flows the client uses, at least ["ALLOW_REFRESH_TOKEN_AUTH"].',
  see: [
    "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-ExplicitAuthFlows",
  ],
  check: (stack) =>
    stack.resources(CLIENT).flatMap((client) => {
      const flows = readStrings(client.body.explicit_auth_flows);
      if (flows === UNKNOWN || (flows !== undefined && flows.length > 0)) return [];
      return [
        violation(
          client,
          "explicit_auth_flows",
          `explicit_auth_flows is ${flows === undefined ? "not set" : "empty"}: Cognito then enables ALLOW_USER_SRP_AUTH, ALLOW_CUSTOM_AUTH and ALLOW_REFRESH_TOKEN_AUTH`,
        ),
      ];
    }),
};

/** Minutes per unit of `token_validity_units`. */
const MINUTES_PER_UNIT: Readonly<Record<string, number>> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };

/** A token's validity in minutes, with the unit it was read in, or `undefined` when it cannot be told or is not set. */
function validity(
  client: TfResource,
  token: "access" | "id" | "refresh",
): { value: number; unit: string; unitSet: boolean; minutes: number } | undefined {
  const value = readNumber(client.body[`${token}_token_validity`]);
  const units = readBlock(client.body.token_validity_units);
  if (value === undefined || value === UNKNOWN || units === UNKNOWN) return undefined;
  const unitValue = readString(units?.[`${token}_token`]);
  if (unitValue === UNKNOWN) return undefined;
  // The provider's units when token_validity_units does not say: hours for access and ID tokens, days for refresh tokens.
  const unit = unitValue ?? (token === "refresh" ? "days" : "hours");
  const perUnit = MINUTES_PER_UNIT[unit];
  if (perUnit === undefined) return undefined;
  return { value, unit, unitSet: unitValue !== undefined, minutes: value * perUnit };
}

function describeValidity(token: string, v: { value: number; unit: string; unitSet: boolean }): string {
  const unitNote = v.unitSet
    ? `token_validity_units.${token}_token is "${v.unit}"`
    : `token_validity_units.${token}_token is not set, so the unit is ${v.unit}`;
  return `${token}_token_validity is ${v.value} ${v.unit} (${unitNote})`;
}

const MAX_ACCESS_MINUTES = 60;
const MAX_REFRESH_DAYS = 30;

const shortLivedTokens: Rule = {
  id: "SG-APPCLIENT-006",
  severity: "medium",
  title: `Access and ID tokens live at most ${MAX_ACCESS_MINUTES} minutes`,
  fix:
    `Set access_token_validity and id_token_validity to at most ${MAX_ACCESS_MINUTES} with token_validity_units { access_token = "minutes", id_token = "minutes" } ` +
    "(scopegate: accessTokenValidityMinutes, idTokenValidityMinutes).",
  see: ["https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html"],
  check: (stack) =>
    stack.resources(CLIENT).flatMap((client) =>
      (["access", "id"] as const).flatMap((token) => {
        const v = validity(client, token);
        if (v === undefined || v.minutes <= MAX_ACCESS_MINUTES) return [];
        return [
          violation(
            client,
            `${token}_token_validity`,
            `${describeValidity(token, v)} = ${round(v.minutes)} minutes, above the recommended ${MAX_ACCESS_MINUTES}: a leaked ${token === "id" ? "ID" : token} token stays usable that long`,
          ),
        ];
      }),
    ),
};

const refreshTokenLifetime: Rule = {
  id: "SG-APPCLIENT-007",
  severity: "medium",
  title: `Refresh tokens live at most ${MAX_REFRESH_DAYS} days`,
  fix: `Set refresh_token_validity to at most ${MAX_REFRESH_DAYS} with token_validity_units { refresh_token = "days" } (scopegate: refreshTokenValidityDays).`,
  see: ["https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html"],
  check: (stack) =>
    stack.resources(CLIENT).flatMap((client) => {
      const v = validity(client, "refresh");
      if (v === undefined || v.minutes <= MAX_REFRESH_DAYS * 1440) return [];
      return [
        violation(
          client,
          "refresh_token_validity",
          `${describeValidity("refresh", v)} = ${round(v.minutes / 1440)} days, above the recommended ${MAX_REFRESH_DAYS}: a stolen refresh token keeps minting tokens that long`,
        ),
      ];
    }),
};

const USER_ADMIN_SCOPE = "aws.cognito.signin.user.admin";

const userAdminScope: Rule = {
  id: "SG-APPCLIENT-008",
  severity: "medium",
  title: `App clients do not ask for "${USER_ADMIN_SCOPE}"`,
  fix:
    `Remove "${USER_ADMIN_SCOPE}" from allowed_oauth_scopes. Where an app must let users manage their own profile, set allowUserAdminScope ` +
    "in the scopegate configuration and suppress this rule for that client with the reason.",
  see: ["https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html"],
  check: (stack) =>
    stack.resources(CLIENT).flatMap((client) => {
      const scopes = readStrings(client.body.allowed_oauth_scopes);
      if (scopes === UNKNOWN || scopes === undefined || !scopes.includes(USER_ADMIN_SCOPE)) return [];
      return [
        violation(
          client,
          "allowed_oauth_scopes",
          `allowed_oauth_scopes includes "${USER_ADMIN_SCOPE}": its tokens can call the user's own Cognito APIs (change attributes, MFA settings, delete the user)`,
        ),
      ];
    }),
};

const THREAT_PROTECTION_ON = ["AUDIT", "ENFORCED"];

/** The pool's `user_pool_add_ons.advanced_security_mode`, upper-cased; UNKNOWN when an expression. */
function advancedSecurityMode(pool: TfResource): string | undefined | typeof UNKNOWN {
  const addOns = readBlock(pool.body.user_pool_add_ons);
  if (addOns === UNKNOWN) return UNKNOWN;
  const mode = readString(addOns?.advanced_security_mode);
  return typeof mode === "string" ? mode.toUpperCase() : mode;
}

const threatProtectionTier: Rule = {
  id: "SG-USERPOOL-006",
  severity: "high",
  title: "Threat protection is configured on the Plus tier",
  fix: 'Set user_pool_tier = "PLUS" with user_pool_add_ons { advanced_security_mode = "AUDIT" | "ENFORCED" } (scopegate: userPool.tier "PLUS").',
  see: ["https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html"],
  check: onPoolSettings("feature plan and threat protection", (stack) =>
    stack.resources(POOL).flatMap((pool) => {
      const mode = advancedSecurityMode(pool);
      const tier = readString(pool.body.user_pool_tier);
      if (mode === UNKNOWN || tier === UNKNOWN || mode === undefined || !THREAT_PROTECTION_ON.includes(mode) || tier === "PLUS") return [];
      return [
        violation(
          pool,
          "user_pool_tier",
          `advanced_security_mode is "${mode}" but user_pool_tier is ${tier === undefined ? "not set" : JSON.stringify(tier)}: threat protection needs the Plus tier, so the apply fails or no sign-in is scored`,
        ),
      ];
    }),
  ),
};

const passwordClientThreatProtection: Rule = {
  id: "SG-USERPOOL-007",
  // Info: the per-address WAF rate limit on the API is the first defence against guessing over
  // Basic; threat protection adds per-account risk scoring at the Plus tier's price, an
  // organisation's decision (checks/decisions.ts).
  severity: "info",
  title: "Pools that sign users in with a password server-side have threat protection",
  fix:
    'If your organisation requires risk scoring of password sign-ins, set user_pool_tier = "PLUS" and user_pool_add_ons { advanced_security_mode = "AUDIT" or "ENFORCED" } ' +
    '(scopegate: userPool.tier "PLUS", userPool.threatProtection); the Plus tier is priced per monthly active user.',
  see: ["https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html"],
  check: onPoolSettings("threat protection", (stack) =>
    stack.resources(POOL).flatMap((pool) => {
      const mode = advancedSecurityMode(pool);
      if (mode === UNKNOWN || (mode !== undefined && THREAT_PROTECTION_ON.includes(mode))) return [];
      const poolId = StackTemplate.expression(pool, "id");
      const passwordClients = stack.resources(CLIENT).filter((client) => {
        const flows = readStrings(client.body.explicit_auth_flows);
        return (
          client.body.user_pool_id === poolId &&
          flows !== UNKNOWN &&
          flows !== undefined &&
          flows.some((flow) => flow === "ALLOW_ADMIN_USER_PASSWORD_AUTH" || flow === "ADMIN_NO_SRP_AUTH")
        );
      });
      if (passwordClients.length === 0) return [];
      return [
        violation(
          pool,
          "user_pool_add_ons.advanced_security_mode",
          `${passwordClients.map((client) => client.path).join(", ")} signs users in with a password on the caller's behalf, and threat protection is ${mode === undefined ? "not set" : JSON.stringify(mode)}: Cognito does not score those sign-ins by the caller's address`,
        ),
      ];
    }),
  ),
};

/** The Cognito user pool and app client rules. */
export const COGNITO_RULES: readonly Rule[] = [
  deletionProtection,
  mfa,
  adminOnlySignUp,
  passwordLength,
  passwordComplexity,
  threatProtectionTier,
  passwordClientThreatProtection,
  userExistenceErrors,
  tokenRevocation,
  implicitFlow,
  passwordFlows,
  explicitAuthFlows,
  shortLivedTokens,
  refreshTokenLifetime,
  userAdminScope,
];

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
