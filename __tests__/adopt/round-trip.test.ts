import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { compareWithSynth, replacements, synthesizeConfig } from "../../adopt/compare";
import { readDescribeFolder } from "../../adopt/describe";
import { MapOptions, mapDescribedPool } from "../../adopt/map";
import { parseConfigs } from "../../stacks/config/environments";
import { PROJECT_ROOT } from "../../testing/app";

// Proof without an account: each fixture is AWS CLI output as the CLI prints it (field names and
// shapes of the Cognito API reference). For every attribute the configuration maps, the value the
// synthesized stack writes equals the described one, read here straight from the fixture files
// (not through adopt's own table), so the import plan changes nothing that was mapped.

const FIXTURES = join(PROJECT_ROOT, "__tests__/fixtures/adopt");

type Json = Record<string, any>;

/** The fixture's files by the command that printed them (by their top-level key). */
function fixture(name: string): { pool: Json; mfa: Json; domain?: Json; clients: Json[]; servers: Json[]; groups: Json[]; users: Json[] } {
  const files = readdirSync(join(FIXTURES, name)).map((file) => JSON.parse(readFileSync(join(FIXTURES, name, file), "utf8")) as Json);
  return {
    pool: files.find((f) => f.UserPool)!.UserPool,
    mfa: files.find((f) => f.MfaConfiguration)!,
    domain: files.find((f) => f.DomainDescription)?.DomainDescription,
    clients: files.filter((f) => f.UserPoolClient).map((f) => f.UserPoolClient),
    servers: files.filter((f) => f.ResourceServer).map((f) => f.ResourceServer),
    groups: files.find((f) => f.Groups)?.Groups ?? [],
    users: files.find((f) => f.Users)?.Users ?? [],
  };
}

/** Adopts the fixture and synthesizes the written configuration. */
function adopt(name: string, options: MapOptions = {}) {
  const mapping = mapDescribedPool(readDescribeFolder(join(FIXTURES, name), name), options);
  const [config] = parseConfigs(JSON.parse(JSON.stringify(mapping.document)), `${name}.json`);
  const tf = synthesizeConfig(config!);
  const of = (type: string, path: string): Json => {
    const found = Object.values((tf.resource as Json)[type] ?? {}).filter((r: any) => r["//"].metadata.path === `${config!.name}/${path}`);
    if (found.length !== 1) throw new Error(`expected one ${type} at ${path}, found ${found.length}`);
    return found[0] as Json;
  };
  return { mapping, config: config!, tf, of };
}

const sorted = (list: unknown): unknown[] => [...((list as unknown[]) ?? [])].map((v) => JSON.stringify(v)).sort();
const minutes: Record<string, number> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };
/** A described validity in minutes, with the API's default units. */
const describedMinutes = (c: Json, field: string, unit: string, fallback: string) =>
  c[field] * minutes[c.TokenValidityUnits?.[unit] ?? fallback];
/** A synthesized custom scope reference resolved to its identifier. */
function resolveScopes(tf: Json, scopes: string[]): string[] {
  return scopes.map((s) =>
    s.replace(
      /\$\{aws_cognito_resource_server\.([^.]+)\.identifier\}/,
      (_, id: string) => (tf.resource as Json).aws_cognito_resource_server[id].identifier,
    ),
  );
}

const CASES: [string, MapOptions][] = [
  ["username-optional", { stackName: "orders", basicUsers: ["svc-reports"] }],
  ["email-on", {}],
  ["off-drift", {}],
];

describe.each(CASES)("adopting %s", (name, options) => {
  const described = fixture(name);
  const { mapping, config, tf, of } = adopt(name, options);
  const pool = of("aws_cognito_user_pool", "user-pool/pool");
  const policy = described.pool.Policies.PasswordPolicy;

  test("the adopt section carries the described ids", () => {
    const adoptedClients = Object.values(config.adopt!.clients).sort();
    expect(config.adopt!.userPoolId).toBe(described.pool.Id);
    expect(config.adopt!.domain).toBe(typeof described.pool.Domain === "string");
    expect([...config.adopt!.resourceServers].sort()).toEqual(described.servers.map((s) => s.Identifier).sort());
    expect(adoptedClients.every((id) => described.clients.some((c) => c.ClientId === id))).toBe(true);
    expect([...config.adopt!.groups].sort()).toEqual(described.groups.map((g) => g.GroupName).sort());
  });

  test("synth imports each adopted resource by the described id (the first plan imports, not creates)", () => {
    // GIVEN the import blocks of the synthesized stack, as "<type> <id>" of the resource each one fills
    const imports = ((tf.import as { to: string; id: string }[]) ?? []).map((block) => {
      const [type, name] = block.to.split(".") as [string, string];
      expect((tf.resource as Json)[type][name]).toBeDefined();
      return `${type} ${block.id}`;
    });
    // THEN exactly the described pool, domain, servers, clients, groups and users, with the provider's import ids
    const id = described.pool.Id;
    const users = described.users.filter((u) => config.adopt!.users.includes(u.Username));
    expect(imports.sort()).toEqual(
      [
        `aws_cognito_user_pool ${id}`,
        ...(typeof described.pool.Domain === "string" ? [`aws_cognito_user_pool_domain ${described.pool.Domain}`] : []),
        ...described.servers.map((s) => `aws_cognito_resource_server ${id}|${s.Identifier}`),
        ...Object.values(config.adopt!.clients).map((clientId) => `aws_cognito_user_pool_client ${id}/${clientId}`),
        ...described.groups.map((g) => `aws_cognito_user_group ${id}/${g.GroupName}`),
        ...users.map((u) => `aws_cognito_user ${id}/${u.Username}`),
      ].sort(),
    );
  });

  // The pool: attributes whose difference would replace it, and those the configuration maps.
  test.each([
    ["UserPool.Name → name", (p: Json) => p.name, () => described.pool.Name],
    [
      "UserPool.UsernameAttributes → username_attributes",
      (p: Json) => p.username_attributes,
      () => described.pool.UsernameAttributes ?? [],
    ],
    [
      "UserPool.UsernameConfiguration.CaseSensitive → username_configuration.case_sensitive",
      (p: Json) => p.username_configuration.case_sensitive,
      () => described.pool.UsernameConfiguration.CaseSensitive,
    ],
    ["UserPool.MfaConfiguration → mfa_configuration", (p: Json) => p.mfa_configuration, () => described.pool.MfaConfiguration],
    [
      "SoftwareTokenMfaConfiguration.Enabled → software_token_mfa_configuration.enabled",
      (p: Json) => p.software_token_mfa_configuration.enabled,
      () => described.mfa.SoftwareTokenMfaConfiguration.Enabled,
    ],
    ["UserPool.DeletionProtection → deletion_protection", (p: Json) => p.deletion_protection, () => described.pool.DeletionProtection],
    [
      "UserPool.UserPoolAddOns.AdvancedSecurityMode → user_pool_add_ons.advanced_security_mode",
      (p: Json) => p.user_pool_add_ons?.advanced_security_mode ?? "OFF",
      () => described.pool.UserPoolAddOns?.AdvancedSecurityMode ?? "OFF",
    ],
    ["Policies.PasswordPolicy.RequireLowercase", (p: Json) => p.password_policy.require_lowercase, () => policy.RequireLowercase],
    ["Policies.PasswordPolicy.RequireUppercase", (p: Json) => p.password_policy.require_uppercase, () => policy.RequireUppercase],
    ["Policies.PasswordPolicy.RequireNumbers", (p: Json) => p.password_policy.require_numbers, () => policy.RequireNumbers],
    ["Policies.PasswordPolicy.RequireSymbols", (p: Json) => p.password_policy.require_symbols, () => policy.RequireSymbols],
    [
      "Policies.PasswordPolicy.TemporaryPasswordValidityDays",
      (p: Json) => p.password_policy.temporary_password_validity_days,
      () => policy.TemporaryPasswordValidityDays,
    ],
  ])("%s: the synthesized value is the described one", (_, synthesized, expected) => {
    expect(synthesized(pool)).toEqual(expected());
  });

  test("the password length and tier are the described ones where the configuration can hold them, else ADOPTION.md names the change", () => {
    const outcomes = compareWithSynth(mapping.sources, tf, config.name);
    const fate = (path: string) => outcomes.find((o) => o.path === path)?.fate;
    const lengthHeld = policy.MinimumLength >= 12;
    expect(pool.password_policy.minimum_length === policy.MinimumLength).toBe(lengthHeld);
    expect(fate("UserPool.Policies.PasswordPolicy.MinimumLength")).toBe(lengthHeld ? "kept" : "changed");
    const tierHeld = ["ESSENTIALS", "PLUS"].includes(described.pool.UserPoolTier);
    expect(pool.user_pool_tier === described.pool.UserPoolTier).toBe(tierHeld);
    expect(fate("UserPool.UserPoolTier")).toBe(tierHeld ? "kept" : "changed");
  });

  test("UserPool.Domain → the hosted-UI domain", () => {
    const domain = of("aws_cognito_user_pool_domain", "user-pool/domain");
    if (typeof described.pool.Domain === "string") expect(domain.domain).toBe(described.pool.Domain);
    else expect(domain.domain).toBe(`${config.name}-auth`);
  });

  test.each(described.servers.map((s) => [s.Identifier, s]))("resource server %s: Identifier, Name and Scopes", (_, server: Json) => {
    const synthesized = of("aws_cognito_resource_server", `resource-server-${server.Identifier.replace(/\//g, "--")}/server`);
    expect(synthesized.identifier).toBe(server.Identifier);
    expect(synthesized.name).toBe(server.Name);
    expect(sorted(synthesized.scope)).toEqual(
      sorted(server.Scopes.map((s: Json) => ({ scope_description: s.ScopeDescription, scope_name: s.ScopeName }))),
    );
  });

  const adoptedClients = described.clients.filter((c) => Object.values(config.adopt!.clients).includes(c.ClientId));
  test.each(adoptedClients.map((c) => [c.ClientName, c]))("app client %s: every mapped attribute", (_, client: Json) => {
    const configName = Object.entries(config.adopt!.clients).find(([, id]) => id === client.ClientId)![0];
    const c = of("aws_cognito_user_pool_client", `client-${configName}/client`);
    expect(c.name).toBe(client.ClientName);
    expect(c.generate_secret).toBe(typeof client.ClientSecret === "string");
    expect(sorted(c.allowed_oauth_flows)).toEqual(sorted(client.AllowedOAuthFlows ?? []));
    expect(c.allowed_oauth_flows_user_pool_client).toBe(client.AllowedOAuthFlowsUserPoolClient);
    expect(sorted(resolveScopes(tf, c.allowed_oauth_scopes))).toEqual(sorted(client.AllowedOAuthScopes ?? []));
    expect(sorted(c.callback_urls)).toEqual(sorted(client.CallbackURLs ?? []));
    expect(sorted(c.logout_urls)).toEqual(sorted(client.LogoutURLs ?? []));
    const units = c.token_validity_units[0];
    expect(c.access_token_validity * minutes[units.access_token]).toBe(
      describedMinutes(client, "AccessTokenValidity", "AccessToken", "hours"),
    );
    expect(c.id_token_validity * minutes[units.id_token]).toBe(describedMinutes(client, "IdTokenValidity", "IdToken", "hours"));
    expect(c.refresh_token_validity * minutes[units.refresh_token]).toBe(
      describedMinutes(client, "RefreshTokenValidity", "RefreshToken", "days"),
    );
    if (name !== "off-drift") {
      expect(sorted(c.explicit_auth_flows)).toEqual(sorted(client.ExplicitAuthFlows));
      expect(sorted(c.supported_identity_providers)).toEqual(sorted(client.SupportedIdentityProviders ?? []));
      expect(c.prevent_user_existence_errors).toBe(client.PreventUserExistenceErrors);
      expect(c.enable_token_revocation).toBe(client.EnableTokenRevocation);
      expect(c.auth_session_validity).toBe(client.AuthSessionValidity);
    }
  });

  test.each(described.groups.map((g) => [g.GroupName, g]))("group %s: GroupName, Description and Precedence", (_, group: Json) => {
    const g = of("aws_cognito_user_group", `users/group-${group.GroupName}`);
    expect(g.name).toBe(group.GroupName);
    expect(g.description).toBe(group.Description ?? "");
    expect(g.precedence).toBe(group.Precedence);
  });

  const adoptedUsers = described.users.filter((u) => config.adopt!.users.includes(u.Username));
  if (adoptedUsers.length > 0) {
    test.each(adoptedUsers.map((u) => [u.Username, u]))("user %s: Username, and its attributes kept as they are", (_, user: Json) => {
      const u = of("aws_cognito_user", `users/user-${user.Username}`);
      expect(u.username).toBe(user.Username);
      // An imported user keeps what it has: the stack writes no attribute and ignores their changes.
      expect(u.attributes).toBeUndefined();
      expect(u.lifecycle.ignore_changes).toEqual(expect.arrayContaining(["attributes", "enabled", "password", "temporary_password"]));
    });
  }
});

describe("what the first apply changes", () => {
  test.each(["username-optional", "email-on"])("%s: nothing described is changed (the import plan changes nothing)", (name) => {
    const { mapping, config, tf } = adopt(name, CASES.find(([n]) => n === name)![1]);
    const outcomes = compareWithSynth(mapping.sources, tf, config.name);
    expect(outcomes.filter((o) => o.fate === "changed")).toEqual([]);
    expect(outcomes.filter((o) => o.fate === "kept").length).toBeGreaterThan(50);
  });

  test("email-on: users named by their sub are not adopted, and ADOPTION.md's rows say why", () => {
    const { mapping } = adopt("email-on");
    expect(mapping.notAdopted).toEqual([
      expect.objectContaining({ file: "users.json", path: "Users[0]", why: expect.stringContaining("users sign in with their e-mail") }),
    ]);
    expect(mapping.document.users).toEqual([]);
  });

  test("a force-new attribute that changed is caught from the artefact, whatever the mapping meant", () => {
    const { mapping, config, tf } = adopt("username-optional", CASES[0]![1]);
    expect(replacements(compareWithSynth(mapping.sources, tf, config.name))).toEqual([]);
    const doctored = mapping.sources.map((source) =>
      source.type === "pool"
        ? { ...source, body: { ...source.body, Name: "renamed", UsernameConfiguration: { CaseSensitive: true } } }
        : source,
    );
    expect(replacements(compareWithSynth(doctored, tf, config.name)).map((o) => o.attribute)).toEqual([
      "name",
      "username_configuration.case_sensitive",
    ]);
  });

  test("off-drift: each setting the configuration cannot hold is named, and nothing else", () => {
    const { mapping, config, tf } = adopt("off-drift");
    const changed = compareWithSynth(mapping.sources, tf, config.name)
      .filter((o) => o.fate === "changed")
      .map((o) => `${o.file} ${o.path}`)
      .sort();
    expect(changed).toEqual(
      [
        "describe-user-pool.json UserPool.UserPoolTier",
        "describe-user-pool.json UserPool.AccountRecoverySetting.RecoveryMechanisms",
        "describe-user-pool.json UserPool.AdminCreateUserConfig.AllowAdminCreateUserOnly",
        "describe-user-pool.json UserPool.Policies.PasswordPolicy.MinimumLength",
        "describe-user-pool.json UserPool.Policies.PasswordPolicy.PasswordHistorySize",
        "describe-user-pool.json UserPool.UserPoolTags",
        "portal-web.json UserPoolClient.ExplicitAuthFlows",
        "portal-web.json UserPoolClient.PreventUserExistenceErrors",
        "portal-web.json UserPoolClient.AccessTokenValidity",
        "portal-web.json UserPoolClient.IdTokenValidity",
        "groups.json Groups[0].RoleArn",
      ].sort(),
    );
    // Triggers and the users' own state are left as they are: the stack ignores their changes.
    const ignored = compareWithSynth(mapping.sources, tf, config.name)
      .filter((o) => o.fate === "left" && (o.note ?? "").includes("ignore_changes"))
      .map((o) => `${o.file} ${o.path}`);
    expect(ignored).toEqual(
      expect.arrayContaining([
        "describe-user-pool.json UserPool.LambdaConfig.PreSignUp",
        "describe-user-pool.json UserPool.LambdaConfig.PostConfirmation",
        "users.json Users[0].Attributes",
        "users.json Users[1].Enabled",
      ]),
    );
    expect(mapping.notAdopted.map((n) => `${n.file} ${n.path}`)).toEqual([
      "confidential-web.json UserPoolClient.ClientSecret",
      "describe-user-pool.json UserPool.CustomDomain",
    ]);
  });
});
