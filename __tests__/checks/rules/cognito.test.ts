import { ExpectedFinding, exampleTemplate, expected, findingsOf, resource, summarize, templateOf } from "../fixtures";

const POOL = "aws_cognito_user_pool";
const CLIENT = "aws_cognito_user_pool_client";

/**
 * A failing fixture: the Terraform of the example (its configuration changed by `config`, where
 * the configuration can express the weakness, then its JSON by `tf`), and the one finding.
 */
type Case = [title: string, change: { config?: (doc: Record<string, any>) => void; tf?: (tf: any) => void }, finding: ExpectedFinding];

const cases: Case[] = [
  [
    "flags a user pool without deletion protection",
    { config: (d) => (d.userPool.deletionProtection = false) },
    {
      rule: "SG-USERPOOL-001",
      severity: "medium",
      type: POOL,
      path: "user-pool/pool",
      attribute: "deletion_protection",
      detail: 'deletion_protection is "INACTIVE": a destroy or a replacing change deletes the pool and every user in it',
    },
  ],
  [
    "flags a user pool with MFA off",
    { config: (d) => (d.userPool.mfa = "OFF") },
    {
      rule: "SG-USERPOOL-002",
      severity: "high",
      type: POOL,
      path: "user-pool/pool",
      attribute: "mfa_configuration",
      detail: 'mfa_configuration is "OFF": a guessed or leaked password is enough to sign in',
    },
  ],
  [
    "flags a user pool that leaves MFA to the provider's default",
    { tf: (tf) => delete resource(tf, POOL, "user-pool/pool").mfa_configuration },
    {
      rule: "SG-USERPOOL-002",
      severity: "high",
      type: POOL,
      path: "user-pool/pool",
      attribute: "mfa_configuration",
      detail: 'mfa_configuration is not set (the provider\'s default is "OFF"): a guessed or leaked password is enough to sign in',
    },
  ],
  [
    "flags a user pool that lets anyone sign up",
    { tf: (tf) => delete resource(tf, POOL, "user-pool/pool").admin_create_user_config },
    {
      rule: "SG-USERPOOL-003",
      severity: "high",
      type: POOL,
      path: "user-pool/pool",
      attribute: "admin_create_user_config.allow_admin_create_user_only",
      detail:
        "admin_create_user_config.allow_admin_create_user_only is not set (false): anyone can sign up through the public SignUp API and get tokens with the app clients' scopes",
    },
  ],
  [
    "flags passwords shorter than 12 characters",
    { tf: (tf) => (resource(tf, POOL, "user-pool/pool").password_policy.minimum_length = 8) },
    {
      rule: "SG-USERPOOL-004",
      severity: "medium",
      type: POOL,
      path: "user-pool/pool",
      attribute: "password_policy.minimum_length",
      detail: "password_policy.minimum_length is 8: at least 12 characters are required",
    },
  ],
  [
    "flags a user pool without a password policy (length)",
    { tf: (tf) => delete resource(tf, POOL, "user-pool/pool").password_policy },
    {
      rule: "SG-USERPOOL-004",
      severity: "medium",
      type: POOL,
      path: "user-pool/pool",
      attribute: "password_policy.minimum_length",
      detail: "password_policy is not set (Cognito's default is 8): at least 12 characters are required",
    },
  ],
  [
    "flags a password policy without numbers and symbols",
    { config: (d) => (d.userPool.passwordPolicy = { requireNumbers: false, requireSymbols: false }) },
    {
      rule: "SG-USERPOOL-005",
      severity: "medium",
      type: POOL,
      path: "user-pool/pool",
      attribute: "password_policy.require_numbers, password_policy.require_symbols",
      detail: "password_policy.require_numbers, password_policy.require_symbols are not true: simpler, more guessable passwords pass",
    },
  ],
  [
    "flags a client that reveals whether a user exists",
    { tf: (tf) => (resource(tf, CLIENT, "client-legacy/client").prevent_user_existence_errors = "LEGACY") },
    {
      rule: "SG-APPCLIENT-001",
      severity: "medium",
      type: CLIENT,
      path: "client-legacy/client",
      attribute: "prevent_user_existence_errors",
      detail: 'prevent_user_existence_errors is "LEGACY": sign-in and recovery answers tell an unknown user from a wrong password',
    },
  ],
  [
    "flags a client without token revocation",
    { tf: (tf) => (resource(tf, CLIENT, "client-web/client").enable_token_revocation = false) },
    {
      rule: "SG-APPCLIENT-002",
      severity: "medium",
      type: CLIENT,
      path: "client-web/client",
      attribute: "enable_token_revocation",
      detail: "enable_token_revocation is false: a stolen refresh token cannot be revoked and keeps minting tokens until it expires",
    },
  ],
  [
    "flags the implicit flow even when the configuration opts in (a suppression must say why)",
    { config: (d) => (d.appClients[0].allowImplicitFlow = true) },
    {
      rule: "SG-APPCLIENT-003",
      severity: "high",
      type: CLIENT,
      path: "client-web/client",
      attribute: "allowed_oauth_flows",
      detail:
        'allowed_oauth_flows includes "implicit": tokens travel in the URL fragment (browser history, referrers, extensions) and cannot be bound to the client',
    },
  ],
  [
    "flags password sign-in through the public API",
    {
      tf: (tf) =>
        (resource(tf, CLIENT, "client-legacy/client").explicit_auth_flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
    },
    {
      rule: "SG-APPCLIENT-004",
      severity: "high",
      type: CLIENT,
      path: "client-legacy/client",
      attribute: "explicit_auth_flows",
      detail:
        'explicit_auth_flows includes "ALLOW_USER_PASSWORD_AUTH" (sends the password to the public InitiateAuth API, which needs no IAM credentials)',
    },
  ],
  [
    "flags the legacy password flow names",
    { tf: (tf) => (resource(tf, CLIENT, "client-legacy/client").explicit_auth_flows = ["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"]) },
    {
      rule: "SG-APPCLIENT-004",
      severity: "high",
      type: CLIENT,
      path: "client-legacy/client",
      attribute: "explicit_auth_flows",
      detail:
        'explicit_auth_flows includes "ADMIN_NO_SRP_AUTH" (the legacy name of ALLOW_ADMIN_USER_PASSWORD_AUTH, which cannot be combined with ALLOW_ flows); ' +
        '"USER_PASSWORD_AUTH" (the legacy name of ALLOW_USER_PASSWORD_AUTH)',
    },
  ],
  [
    "flags a client that leaves its authentication flows to Cognito",
    { tf: (tf) => delete resource(tf, CLIENT, "client-machine/client").explicit_auth_flows },
    {
      rule: "SG-APPCLIENT-005",
      severity: "medium",
      type: CLIENT,
      path: "client-machine/client",
      attribute: "explicit_auth_flows",
      detail: "explicit_auth_flows is not set: Cognito then enables ALLOW_USER_SRP_AUTH, ALLOW_CUSTOM_AUTH and ALLOW_REFRESH_TOKEN_AUTH",
    },
  ],
  [
    "flags access tokens valid longer than 60 minutes",
    { config: (d) => (d.appClients[0].accessTokenValidityMinutes = 120) },
    {
      rule: "SG-APPCLIENT-006",
      severity: "medium",
      type: CLIENT,
      path: "client-web/client",
      attribute: "access_token_validity",
      detail:
        'access_token_validity is 120 minutes (token_validity_units.access_token is "minutes") = 120 minutes, above the recommended 60: a leaked access token stays usable that long',
    },
  ],
  [
    "flags ID tokens valid 2 hours when token_validity_units does not set the unit (hours)",
    {
      tf: (tf) => {
        const client = resource(tf, CLIENT, "client-machine/client");
        Object.assign(client, { id_token_validity: 2, access_token_validity: 1 });
        delete client.token_validity_units;
      },
    },
    {
      rule: "SG-APPCLIENT-006",
      severity: "medium",
      type: CLIENT,
      path: "client-machine/client",
      attribute: "id_token_validity",
      detail:
        "id_token_validity is 2 hours (token_validity_units.id_token is not set, so the unit is hours) = 120 minutes, above the recommended 60: a leaked ID token stays usable that long",
    },
  ],
  [
    "flags refresh tokens valid longer than 30 days",
    { config: (d) => (d.appClients[0].refreshTokenValidityDays = 90) },
    {
      rule: "SG-APPCLIENT-007",
      severity: "medium",
      type: CLIENT,
      path: "client-web/client",
      attribute: "refresh_token_validity",
      detail:
        'refresh_token_validity is 90 days (token_validity_units.refresh_token is "days") = 90 days, above the recommended 30: a stolen refresh token keeps minting tokens that long',
    },
  ],
  [
    "flags a client that asks for the user admin scope, even on opt-in",
    {
      config: (d) => {
        d.appClients[0].allowUserAdminScope = true;
        d.appClients[0].scopes.push("aws.cognito.signin.user.admin");
      },
    },
    {
      rule: "SG-APPCLIENT-008",
      severity: "medium",
      type: CLIENT,
      path: "client-web/client",
      attribute: "allowed_oauth_scopes",
      detail:
        'allowed_oauth_scopes includes "aws.cognito.signin.user.admin": its tokens can call the user\'s own Cognito APIs (change attributes, MFA settings, delete the user)',
    },
  ],
  [
    "flags threat protection on a pool that is not on the Plus tier",
    { tf: (tf) => (resource(tf, POOL, "user-pool/pool").user_pool_add_ons = { advanced_security_mode: "ENFORCED" }) },
    {
      rule: "SG-USERPOOL-006",
      severity: "high",
      type: POOL,
      path: "user-pool/pool",
      attribute: "user_pool_tier",
      detail:
        'advanced_security_mode is "ENFORCED" but user_pool_tier is "ESSENTIALS": threat protection needs the Plus tier, so the apply fails or no sign-in is scored',
    },
  ],
  [
    "flags a pool whose legacy client signs users in with a password, without threat protection",
    {},
    {
      rule: "SG-USERPOOL-007",
      severity: "info",
      type: POOL,
      path: "user-pool/pool",
      attribute: "user_pool_add_ons.advanced_security_mode",
      detail:
        "scopegate-example/client-legacy/client signs users in with a password on the caller's behalf, and threat protection is not set: " +
        "Cognito does not score those sign-ins by the caller's address",
    },
  ],
];

describe("Cognito user pool and app client rules", () => {
  test.each(cases)("%s", (_title, change, finding) => {
    // GIVEN the example with one weakness, through its configuration or its Terraform
    const tf = change.config ? templateOf(change.config) : exampleTemplate();
    change.tf?.(tf);
    // WHEN the rule runs
    const findings = findingsOf(tf, finding.rule);
    // THEN it reports exactly that resource and attribute, at the rule's severity, with the message
    expect(summarize(findings)).toEqual([expected(tf, finding)]);
  });

  test("the example's pool and clients pass every Cognito rule", () => {
    // GIVEN the synthesized example WHEN every Cognito rule runs THEN none reports anything
    const tf = exampleTemplate();
    const ids = [
      ...(["SG-USERPOOL-001", "SG-USERPOOL-002", "SG-USERPOOL-003", "SG-USERPOOL-004", "SG-USERPOOL-005", "SG-USERPOOL-006"] as const),
      ...(["SG-APPCLIENT-001", "SG-APPCLIENT-002", "SG-APPCLIENT-003", "SG-APPCLIENT-004"] as const),
      ...(["SG-APPCLIENT-005", "SG-APPCLIENT-006", "SG-APPCLIENT-007", "SG-APPCLIENT-008"] as const),
    ];
    expect(ids.flatMap((id) => findingsOf(tf, id))).toEqual([]);
  });

  test("GIVEN the Plus tier with threat protection in audit mode THEN neither threat protection rule reports anything", () => {
    const tf = templateOf((d) => Object.assign(d.userPool, { tier: "PLUS", threatProtection: "audit" }));
    expect(resource(tf, POOL, "user-pool/pool")).toMatchObject({
      user_pool_tier: "PLUS",
      user_pool_add_ons: { advanced_security_mode: "AUDIT" },
    });
    expect([...findingsOf(tf, "SG-USERPOOL-006"), ...findingsOf(tf, "SG-USERPOOL-007")]).toEqual([]);
  });

  test("GIVEN no password client THEN a pool without threat protection is not reported", () => {
    const tf = templateOf((d) => {
      d.appClients = d.appClients.filter((c: { kind: string }) => c.kind !== "legacy");
    });
    expect(findingsOf(tf, "SG-USERPOOL-007")).toEqual([]);
  });

  test("reads validity units in seconds, and leaves unknown validities alone", () => {
    // GIVEN access tokens of 3600 seconds (60 minutes: allowed) and ID tokens whose validity only Terraform knows
    const tf = exampleTemplate();
    const client = resource(tf, CLIENT, "client-web/client");
    Object.assign(client, { access_token_validity: 3600, id_token_validity: "${var.id_minutes}" });
    client.token_validity_units[0].access_token = "seconds";
    // WHEN the validity rule runs THEN it reports nothing
    expect(findingsOf(tf, "SG-APPCLIENT-006")).toEqual([]);
  });
});
