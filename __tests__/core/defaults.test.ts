import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AUTHORIZER_ENVIRONMENT_DEFAULTS, CONFIGURATION_DEFAULTS } from "../../core/defaults";
import { PROJECT_ROOT } from "../../testing/app";
import { type DefaultLeaves, defaultLeaves } from "../../testing/config";
import { parseConfig } from "../../stacks/config/parse";

/** The document holding the table of configuration defaults (`| Field | Default | Meaning |`). */
const DEFAULTS_TABLE_DOCUMENT = "docs/configuration.md";

/** The document holding the table of the authorizer's environment (`| Variable | Required | Meaning |`). */
const ENVIRONMENT_TABLE_DOCUMENT = "docs/authorizer.md";

/** The environment variable of each of {@link AUTHORIZER_ENVIRONMENT_DEFAULTS} (as functions/authorizer/config.ts reads them). */
const VARIABLES: Record<keyof typeof AUTHORIZER_ENVIRONMENT_DEFAULTS, string> = {
  grantCacheTtlSeconds: "GRANT_CACHE_TTL_SECONDS",
  basicAuthCacheTtlSeconds: "BASIC_AUTH_CACHE_TTL_SECONDS",
  clockToleranceSeconds: "CLOCK_TOLERANCE_SECONDS",
  maxTokenAgeSeconds: "MAX_TOKEN_AGE_SECONDS",
  maxTokenLifetimeSeconds: "MAX_TOKEN_LIFETIME_SECONDS",
  maxTokenLengthBytes: "MAX_TOKEN_LENGTH",
  verifiedTokenCacheSize: "VERIFIED_TOKEN_CACHE_SIZE",
  threatProtection: "THREAT_PROTECTION",
  basicSignInFailureLimit: "BASIC_SIGN_IN_FAILURE_LIMIT",
  basicSignInFailureWindowSeconds: "BASIC_SIGN_IN_FAILURE_WINDOW_SECONDS",
};

/** A table value: JSON where it parses (`true`, `365`, `null`, `{…}`, `"aws-managed"`), else the text itself. */
function tableValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Reads the defaults the table states, by configuration path:
 * - the Default column: one backticked value per field of the Field column, separated by ", "
 *   (`256`, `10` for `authorizer.memorySizeMb`, `timeoutSeconds`); prose after them is explanation;
 *   `required` and `none` state no default;
 * - the Meaning column: an item's optional field with its default, `name? (value)` or `"name"?: value`.
 * A list's fields (`appClients[]`) are keyed by the list's path, as in the defaults object.
 */
function tableDefaults(markdown: string): DefaultLeaves {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => /^\| Field \| Default \| Meaning \|$/.test(line));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (let i = start + 2; i < lines.length && lines[i].startsWith("|"); i++) rows.push(lines[i]);
  const result: DefaultLeaves = {};
  for (const row of rows) {
    const [fieldCell, defaultCell, meaningCell] = row
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
    const fields = [...fieldCell.matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\[\]$/, ""));
    // `authorizer.memorySizeMb`, `timeoutSeconds`: a later field without a dot shares the first one's section.
    const section = fields[0].includes(".") ? fields[0].slice(0, fields[0].lastIndexOf(".") + 1) : "";
    const paths = fields.map((field, i) => (i > 0 && !field.includes(".") ? section + field : field));
    if (!/^(required|none)\b/.test(defaultCell)) {
      const leading = /^`[^`]+`(?:, `[^`]+`)*/.exec(defaultCell)?.[0] ?? "";
      const values = [...leading.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      expect({ row: fieldCell, values: values.length }).toEqual({ row: fieldCell, values: paths.length });
      paths.forEach((path, i) => defaultLeaves(tableValue(values[i]), path, result));
    }
    for (const m of meaningCell.matchAll(/(?:"(\w+)"\?: ([^,}\s]+)|\b(\w+)\? \(([^)]*)\))/g)) {
      defaultLeaves(tableValue(m[2] ?? m[4]), `${paths[0]}.${m[1] ?? m[3]}`, result);
    }
  }
  return result;
}

describe("CONFIGURATION_DEFAULTS", () => {
  test(`the table of configuration defaults in ${DEFAULTS_TABLE_DOCUMENT} states every default, with its value, and no other`, () => {
    // GIVEN the defaults object and the documented table
    const markdown = readFileSync(join(PROJECT_ROOT, DEFAULTS_TABLE_DOCUMENT), "utf8");
    // WHEN both are read as configuration paths and values
    const documented = tableDefaults(markdown);
    const applied = defaultLeaves(CONFIGURATION_DEFAULTS, "");
    // THEN they are the same
    expect(documented).toEqual(applied);
  });

  test("the table reader finds a changed value, a missing default and an extra one", () => {
    // GIVEN the table WHEN one value is changed, one row removed and one added THEN each shows
    const markdown = readFileSync(join(PROJECT_ROOT, DEFAULTS_TABLE_DOCUMENT), "utf8");
    const applied = defaultLeaves(CONFIGURATION_DEFAULTS, "");
    expect(tableDefaults(markdown.replace("| `api.stageName` | `v1` |", "| `api.stageName` | `v2` |"))["api.stageName"]).toBe("v2");
    expect(tableDefaults(markdown.replace(/^\| `authorizer\.logRetentionDays` .*\n/m, ""))).not.toHaveProperty(
      "authorizer.logRetentionDays",
    );
    expect(applied).toHaveProperty(["authorizer.logRetentionDays"], 90);
    const extra = markdown.replace("| `api.stageName` | `v1` | |", "| `api.stageName` | `v1` | |\n| `api.description` | `none yet` | |");
    expect(tableDefaults(extra)).toHaveProperty(["api.description"], "none yet");
  });
});

describe("the configuration parser applies CONFIGURATION_DEFAULTS", () => {
  test("a minimal configuration takes each default from the object", () => {
    const config = parseConfig(
      {
        name: "minimal",
        userPool: { domainPrefix: "minimal-auth" },
        resourceServers: [{ identifier: "api.example.com", scopes: [{ name: "read", description: "Read" }] }],
        appClients: [{ name: "web", kind: "browser", scopes: ["api.example.com/read"], callbackUrls: ["https://app.example.com/cb"] }],
        api: { routes: [{ method: "GET", path: "/resource", guard: "cognito", scopes: ["api.example.com/read"] }] },
      },
      "a minimal configuration",
    );
    const d = CONFIGURATION_DEFAULTS;
    expect(config.region).toBe(d.region);
    expect(config.backend).toEqual({ type: d.backend.type, path: d.backend.path });
    expect(config.userPool).toMatchObject({
      name: d.userPool.name("minimal"),
      deletionProtection: d.userPool.deletionProtection,
      mfa: d.userPool.mfa,
      signInWith: d.userPool.signInWith,
      tier: d.userPool.tier,
      threatProtection: d.userPool.threatProtection,
      passwordPolicy: d.userPool.passwordPolicy,
    });
    const client = d["appClients[]"];
    expect(config.appClients[0]).toMatchObject({
      logoutUrls: client.logoutUrls,
      basicUsers: client.basicUsers,
      allowImplicitFlow: client.allowImplicitFlow,
      accessTokenValidityMinutes: client.accessTokenValidityMinutes,
      idTokenValidityMinutes: client.idTokenValidityMinutes,
      refreshTokenValidityDays: client.refreshTokenValidityDays,
    });
    expect(config.api).toMatchObject({
      name: d.api.name("minimal"),
      stageName: d.api.stageName,
      logRetentionDays: d.api.logRetentionDays,
      throttlingBurstLimit: d.api.throttlingBurstLimit,
      throttlingRateLimit: d.api.throttlingRateLimit,
      manageAccountLoggingRole: d.api.manageAccountLoggingRole,
      basicRateLimit: { enabled: false, requestsPer5MinutesPerIp: d.api.basicRateLimit.requestsPer5MinutesPerIp },
    });
    expect(config.api.routes[0].integration).toEqual(d.api["routes[]"].integration);
    expect(config.groups).toEqual(d.groups);
    expect(config.users).toEqual(d.users);
    expect(config.authorizationTable).toEqual(d.authorizationTable);
    expect(config.checks).toEqual(d.checks);
    expect(config.authorizer).toEqual(d.authorizer);
    expect(config.encryption).toEqual({ kmsKey: { type: d.encryption.kmsKey } });
  });

  test("each item of a list takes its defaults from the object", () => {
    // GIVEN a machine client without redirects, a lambda route without scopes, a group without a description, a user without groups
    const config = parseConfig(
      {
        name: "items",
        userPool: { domainPrefix: "items-auth" },
        resourceServers: [{ identifier: "api.example.com", scopes: [{ name: "read", description: "Read" }] }],
        appClients: [{ name: "batch", kind: "machine", scopes: ["api.example.com/read"] }],
        groups: [{ name: "staff" }],
        users: [{ username: "alice" }],
        api: { routes: [{ method: "GET", path: "/resource", guard: "lambda" }] },
      },
      "a configuration of items",
    );
    const d = CONFIGURATION_DEFAULTS;
    // THEN each left-out field holds its default
    expect(config.appClients[0]).toMatchObject({
      callbackUrls: d["appClients[]"].callbackUrls,
      logoutUrls: d["appClients[]"].logoutUrls,
      basicUsers: d["appClients[]"].basicUsers,
    });
    expect(config.api.routes[0].scopes).toEqual(d.api["routes[]"].scopes);
    expect(config.groups[0].description).toBe(d["groups[]"].description);
    expect(config.users[0].groups).toEqual(d["users[]"].groups);
    expect(config.users[0].existing ?? false).toBe(d["users[]"].existing);
  });
});

describe("AUTHORIZER_ENVIRONMENT_DEFAULTS", () => {
  test(`the table of the authorizer's environment in ${ENVIRONMENT_TABLE_DOCUMENT} states each default, and no other`, () => {
    // GIVEN the table: an optional variable with a default reads "no (30)" or "no (`off`)"
    const lines = readFileSync(join(PROJECT_ROOT, ENVIRONMENT_TABLE_DOCUMENT), "utf8").split("\n");
    const start = lines.findIndex((line) => /^\| Variable \| Required \| Meaning \|$/.test(line));
    expect(start).toBeGreaterThanOrEqual(0);
    const documented: Record<string, unknown> = {};
    for (let i = start + 2; i < lines.length && lines[i].startsWith("|"); i++) {
      const match = /^\| `([A-Z_]+)` \| no \((?:`([^`]+)`|(\d+))\) \|/.exec(lines[i]);
      if (match) documented[match[1]] = match[2] ?? Number(match[3]);
    }
    // THEN it states exactly the defaults the authorizer applies
    const applied = Object.fromEntries(
      Object.entries(AUTHORIZER_ENVIRONMENT_DEFAULTS).map(([key, value]) => [VARIABLES[key as keyof typeof VARIABLES], value]),
    );
    expect(documented).toEqual(applied);
  });
});
