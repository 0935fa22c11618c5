import { ConfigError, show } from "./errors";
import { CLI_CLIENT_FIELD, fromCliClient, fromCliResourceServer } from "./aws-cli";
import {
  AppClientConfig,
  AppClientKind,
  AuthorizerFunctionConfig,
  BackendConfig,
  ChecksConfig,
  EncryptionConfig,
  GrantConfig,
  GroupConfig,
  Integration,
  ResourceServerConfig,
  RouteConfig,
  ScopegateConfig,
  UserConfig,
  UserPoolConfig,
} from "./model";
import { JsonObject, Reader, at } from "./reader";
import {
  CLIENT_NAME,
  DOMAIN_PREFIX,
  EMAIL,
  KMS_KEY_ARN,
  GROUP_NAME,
  LOG_RETENTION_DAYS,
  NAME,
  REGION,
  RESOURCE_SERVER_IDENTIFIER,
  SCOPE_NAME,
  STAGE_NAME,
  STANDARD_SCOPES,
  USERNAME,
  USER_ADMIN_SCOPE,
} from "./rules";
import { basicUsernameKey } from "../../functions/authorizer/basic-users";
import { THREAT_PROTECTION_MODES, readJwksSnapshot } from "../../functions/authorizer/config";
import { HTTP_METHODS, formatRouteKey, grantCovers, parseRouteKey, resourcePathProblem } from "../../core/routes";
import { scopeIdentifier } from "../../core/scopes";
import { BASIC_RATE_LIMIT_DEFAULT_REQUESTS_PER_5_MINUTES } from "./model";
import { RULE_IDS, RuleId, isRuleId } from "../../checks/contract";

const TOP_LEVEL = [
  "$schema",
  "environments",
  "name",
  "region",
  "backend",
  "userPool",
  "resourceServers",
  "appClients",
  "groups",
  "users",
  "api",
  "authorizer",
  "authorizationTable",
  "checks",
  "encryption",
] as const;

/**
 * Validates a configuration document and applies every default.
 *
 * @param document the parsed JSON (AWS CLI input files already inlined by the loader)
 * @param source names the document in the error message (a file path or "the built-in example")
 * @throws ConfigError listing every problem, each with its path, the value and what is allowed
 */
export function parseConfig(document: unknown, source: string): ScopegateConfig {
  const r = new Reader();
  const root = r.object(document, "", TOP_LEVEL) ?? {};

  const name = r.string(root, "name", "", NAME);
  const region = r.string(root, "region", "", { ...REGION, default: "us-east-1" });
  const backend = readBackend(r, root.backend, region);
  const userPool = readUserPool(r, root.userPool, name);
  const resourceServers = r.array(root, "resourceServers", "").map((item, i) => readResourceServer(r, item, at("resourceServers", i)));
  r.unique(
    resourceServers,
    (s) => s.identifier,
    (i) => `resourceServers[${i}].identifier`,
    "identifier",
  );

  const customScopes = resourceServers.flatMap((server) => server.scopes.map((scope) => scopeIdentifier(server.identifier, scope.name)));
  const appClients = r.array(root, "appClients", "").map((item, i) => readAppClient(r, item, at("appClients", i), customScopes));
  r.unique(
    appClients,
    (c) => c.name,
    (i) => `appClients[${i}].name`,
    "client name",
  );
  const legacyClients = appClients.filter((c) => c.kind === "legacy");
  if (legacyClients.length > 1) {
    r.report(
      "appClients",
      `at most one client of kind "legacy" (the Basic sign-in client), got ${legacyClients.length}: ${legacyClients.map((c) => c.name).join(", ")}`,
    );
  }

  const groups = r.array(root, "groups", "", { default: [] }).map((item, i) => readGroup(r, item, at("groups", i)));
  r.unique(
    groups,
    (g) => g.name,
    (i) => `groups[${i}].name`,
    "group name",
  );
  const users = r
    .array(root, "users", "", { default: [] })
    .map((item, i) => readUser(r, item, at("users", i), groups, userPool.signInWith));
  r.unique(
    users,
    (u) => u.username.toLowerCase(),
    (i) => `users[${i}].username`,
    "username (case-insensitive)",
  );

  appClients.forEach((client, i) =>
    client.basicUsers.forEach((username, j) => {
      const userPath = at(at(at("appClients", i), "basicUsers"), j);
      if (!users.some((user) => basicUsernameKey(user.username) === basicUsernameKey(username))) {
        r.report(userPath, `user ${show(username)} is not configured; configured users: ${list(users.map((u) => u.username))}`);
      } else if (userPool.mfa === "ON") {
        r.report(
          userPath,
          'a Basic account cannot answer an MFA challenge, and userPool.mfa "ON" requires one of every user; set mfa "OPTIONAL" ' +
            "(application accounts never enrol) or remove the account",
        );
      }
    }),
  );
  appClients.forEach((client, i) =>
    r.unique(
      client.basicUsers,
      (username) => basicUsernameKey(username),
      (j) => at(at(at("appClients", i), "basicUsers"), j),
      "username (case-insensitive)",
    ),
  );

  const api = readApi(r, root.api, name, customScopes, legacyClients.length > 0);
  const authorizer = readAuthorizer(r, root.authorizer);
  const authorizationTable = readAuthorizationTable(r, root.authorizationTable, users, appClients, api.routes);

  const usesLambda = api.routes.some((route) => route.guard === "lambda");
  if (usesLambda && appClients.every((c) => c.kind === "legacy")) {
    // Only Basic can reach the Lambda guard then, which is fine, but a pool with nothing but a
    // password client is almost always a mistake worth naming.
    r.report("appClients", "routes use the lambda guard but no browser or machine client exists to obtain access tokens; add one");
  }

  const checks = readChecks(r, root.checks);
  const encryption = readEncryption(r, root.encryption, region);

  if (r.issues.length > 0) throw new ConfigError(source, r.issues);
  return {
    name,
    region,
    backend,
    userPool,
    resourceServers,
    appClients,
    groups,
    users,
    api,
    authorizer,
    authorizationTable,
    checks,
    encryption,
  };
}

function readBackend(r: Reader, value: unknown, region: string): BackendConfig {
  if (value === undefined) return { type: "local", path: "terraform.tfstate" };
  const o = r.object(value, "backend", ["type", "path", "bucket", "key", "region", "useLockfile", "dynamodbTable"]) ?? {};
  const type = r.oneOf(o, "type", "backend", ["local", "s3"] as const);
  if (type === "local") {
    for (const key of ["bucket", "key", "region", "useLockfile", "dynamodbTable"]) {
      if (o[key] !== undefined) r.report(at("backend", key), `applies only to "type": "s3"; remove it or switch the backend type`);
    }
    const path = r.string(o, "path", "backend", {
      default: "terraform.tfstate",
      pattern: /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]+$/,
      hint: 'a relative path inside the stack folder, without ".." (an absolute path would tie the output to one machine)',
    });
    return { type, path };
  }
  const bucket = r.string(o, "bucket", "backend", { pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, hint: "an S3 bucket name" });
  const key = r.string(o, "key", "backend", { pattern: /^[^/][\x21-\x7e]*$/, hint: 'an object key such as "scopegate/terraform.tfstate"' });
  const backendRegion = r.string(o, "region", "backend", { ...REGION, default: region });
  const useLockfile = r.boolean(o, "useLockfile", "backend", { default: true });
  const dynamodbTable = r.optionalString(o, "dynamodbTable", "backend", {
    pattern: /^[A-Za-z0-9_.-]{3,255}$/,
    hint: "a DynamoDB table name",
  });
  if (!useLockfile && dynamodbTable === undefined) {
    r.report("backend.useLockfile", "state without locking lets two applies corrupt it; keep useLockfile true or name a dynamodbTable");
  }
  return { type, bucket, key, region: backendRegion, useLockfile, ...(dynamodbTable ? { dynamodbTable } : {}) };
}

function readUserPool(r: Reader, value: unknown, name: string): UserPoolConfig {
  const path = "userPool";
  const o =
    r.object(value, path, [
      "name",
      "domainPrefix",
      "deletionProtection",
      "mfa",
      "signInWith",
      "passwordPolicy",
      "tier",
      "threatProtection",
    ]) ?? {};
  const tier = r.oneOf(o, "tier", path, ["ESSENTIALS", "PLUS"] as const, { default: "ESSENTIALS" });
  const threatProtection = r.oneOf(o, "threatProtection", path, THREAT_PROTECTION_MODES, { default: "off" });
  if (threatProtection !== "off" && tier !== "PLUS") {
    r.report(
      at(path, "threatProtection"),
      `needs userPool.tier "PLUS" (threat protection is a feature of the Plus tier), got ${show(threatProtection)} with tier ${show(tier)}; ` +
        'set tier "PLUS" or threatProtection "off"',
    );
  }
  const passwordPath = at(path, "passwordPolicy");
  const p =
    o.passwordPolicy === undefined
      ? {}
      : (r.object(o.passwordPolicy, passwordPath, [
          "minimumLength",
          "requireLowercase",
          "requireUppercase",
          "requireNumbers",
          "requireSymbols",
          "temporaryPasswordValidityDays",
        ]) ?? {});
  return {
    name: r.string(o, "name", path, {
      default: `${name}-users`,
      pattern: /^[\w\s+=,.@-]{1,128}$/,
      hint: "letters, digits, spaces and + = , . @ - _ (at most 128)",
    }),
    domainPrefix: r.string(o, "domainPrefix", path, DOMAIN_PREFIX),
    deletionProtection: r.boolean(o, "deletionProtection", path, { default: true }),
    mfa: r.oneOf(o, "mfa", path, ["OPTIONAL", "ON", "OFF"] as const, { default: "OPTIONAL" }),
    signInWith: r.oneOf(o, "signInWith", path, ["username", "email"] as const, { default: "username" }),
    tier,
    threatProtection,
    passwordPolicy: {
      minimumLength: r.integer(p, "minimumLength", passwordPath, { default: 14, min: 12, max: 99, unit: "characters" }),
      requireLowercase: r.boolean(p, "requireLowercase", passwordPath, { default: true }),
      requireUppercase: r.boolean(p, "requireUppercase", passwordPath, { default: true }),
      requireNumbers: r.boolean(p, "requireNumbers", passwordPath, { default: true }),
      requireSymbols: r.boolean(p, "requireSymbols", passwordPath, { default: true }),
      temporaryPasswordValidityDays: r.integer(p, "temporaryPasswordValidityDays", passwordPath, {
        default: 3,
        min: 1,
        max: 7,
        unit: "days",
      }),
    },
  };
}

function readResourceServer(r: Reader, value: unknown, path: string): ResourceServerConfig {
  const raw = r.object(value, path, ["identifier", "name", "scopes", "awsCliInput"]) ?? {};
  if (raw.awsCliInput !== undefined) {
    if (Object.keys(raw).length > 1) r.report(path, "give either awsCliInput (or awsCliInputFile) or the native fields, not both");
    return fromCliResourceServer(r, raw.awsCliInput, at(path, "awsCliInput"), readNativeResourceServer);
  }
  return readNativeResourceServer(r, raw, path);
}

/** Reads a resource server in scopegate's own shape (also the target of the AWS CLI mapping). */
export function readNativeResourceServer(
  r: Reader,
  o: JsonObject,
  path: string,
  names: ResourceServerFieldNames = NATIVE_RS_NAMES,
): ResourceServerConfig {
  const identifier = r.string(o, names.identifier, path, RESOURCE_SERVER_IDENTIFIER);
  const name = r.string(o, names.name, path, {
    default: identifier,
    pattern: /^[\w\s+=,.@-]{1,256}$/,
    hint: "letters, digits, spaces and + = , . @ - _",
  });
  const scopesPath = at(path, names.scopes);
  const scopes = r.array(o, names.scopes, path).map((item, i) => {
    const scopePath = at(scopesPath, i);
    const s = r.object(item, scopePath, [names.scopeName, names.scopeDescription]) ?? {};
    return {
      name: r.string(s, names.scopeName, scopePath, SCOPE_NAME),
      description: r.string(s, names.scopeDescription, scopePath, { pattern: /^[\x20-\x7e]{1,256}$/, hint: "1-256 printable characters" }),
    };
  });
  if (scopes.length === 0) r.report(scopesPath, "define at least one scope; a resource server without scopes protects nothing");
  r.unique(
    scopes,
    (s) => s.name,
    (i) => at(at(scopesPath, i), names.scopeName),
    "scope name",
  );
  return { identifier, name, scopes };
}

/** Field names of a resource server document (scopegate's own, or the AWS CLI's). */
export interface ResourceServerFieldNames {
  readonly identifier: string;
  readonly name: string;
  readonly scopes: string;
  readonly scopeName: string;
  readonly scopeDescription: string;
}

const NATIVE_RS_NAMES: ResourceServerFieldNames = {
  identifier: "identifier",
  name: "name",
  scopes: "scopes",
  scopeName: "name",
  scopeDescription: "description",
};

const CLIENT_FIELDS = [
  "name",
  "kind",
  "scopes",
  "callbackUrls",
  "logoutUrls",
  "allowImplicitFlow",
  "allowUserAdminScope",
  "accessTokenValidityMinutes",
  "idTokenValidityMinutes",
  "refreshTokenValidityDays",
  "basicUsers",
  "awsCliInput",
] as const;

function readAppClient(r: Reader, value: unknown, path: string, customScopes: readonly string[]): AppClientConfig {
  const raw = r.object(value, path, CLIENT_FIELDS) ?? {};
  if (raw.awsCliInput !== undefined) {
    if (Object.keys(raw).some((key) => key !== "awsCliInput" && key !== "basicUsers")) {
      r.report(path, "give either awsCliInput (or awsCliInputFile) or the native fields, not both (basicUsers goes with either)");
    }
    const cliPath = at(path, "awsCliInput");
    const native = fromCliClient(r, raw.awsCliInput, cliPath);
    const before = r.issues.length;
    const client = readNativeAppClient(r, native, cliPath, customScopes);
    // Problems found in the mapped fields are reported under the AWS CLI's own field names.
    for (let i = before; i < r.issues.length; i++) {
      const issue = r.issues[i];
      const field = /^\.([A-Za-z]+)/.exec(issue.path.slice(cliPath.length))?.[1];
      if (issue.path.startsWith(cliPath) && field && CLI_CLIENT_FIELD[field]) {
        r.issues[i] = { ...issue, path: cliPath + "." + CLI_CLIENT_FIELD[field] + issue.path.slice(cliPath.length + 1 + field.length) };
      }
    }
    return { ...client, basicUsers: readBasicUsers(r, raw, path, client.kind) };
  }
  const client = readNativeAppClient(r, raw, path, customScopes);
  return { ...client, basicUsers: readBasicUsers(r, raw, path, client.kind) };
}

/**
 * The legacy client's designated Basic accounts. Only a legacy client has them, and it needs at
 * least one: nobody else may send a password as Basic. Each is checked against the configured
 * users in {@link parseConfig}.
 */
function readBasicUsers(r: Reader, o: JsonObject, path: string, kind: AppClientKind): readonly string[] {
  if (kind !== "legacy") {
    if (o.basicUsers !== undefined) r.report(at(path, "basicUsers"), `applies only to kind "legacy" (the Basic sign-in client); remove it`);
    return [];
  }
  const basicUsers = r.strings(o, "basicUsers", path, { default: [] });
  if (basicUsers.length === 0 && r.issues.every((issue) => issue.path !== at(path, "basicUsers"))) {
    r.report(
      at(path, "basicUsers"),
      `a legacy client must designate the application accounts that may use Basic, e.g. ["svc-reports"], got ${show(o.basicUsers ?? [])}; ` +
        "people sign in through a browser client instead",
    );
  }
  return basicUsers;
}

/** Reads an app client in scopegate's own shape. */
function readNativeAppClient(r: Reader, o: JsonObject, path: string, customScopes: readonly string[]): AppClientConfig {
  const name = r.string(o, "name", path, CLIENT_NAME);
  const kind: AppClientKind = r.oneOf(o, "kind", path, ["browser", "machine", "legacy"] as const);
  const scopes = r.strings(o, "scopes", path, { default: [] });
  const callbackUrls = r.strings(o, "callbackUrls", path, { default: [] });
  const logoutUrls = r.strings(o, "logoutUrls", path, { default: [] });
  const allowImplicitFlow = r.boolean(o, "allowImplicitFlow", path, { default: false });
  const allowUserAdminScope = r.boolean(o, "allowUserAdminScope", path, { default: false });

  const defined = [...STANDARD_SCOPES, ...customScopes, ...(allowUserAdminScope ? [USER_ADMIN_SCOPE] : [])];
  scopes.forEach((scope, i) => {
    const scopePath = at(at(path, "scopes"), i);
    if (scope === USER_ADMIN_SCOPE && !allowUserAdminScope) {
      r.report(
        scopePath,
        `"${USER_ADMIN_SCOPE}" lets tokens change the user's own Cognito profile; set allowUserAdminScope: true to ask for it on purpose`,
      );
    } else if (!defined.includes(scope)) {
      const kindScopes = kind === "machine" ? `defined custom scopes: ${list(customScopes)}` : `defined scopes: ${list(defined)}`;
      r.report(scopePath, `scope ${show(scope)} is not defined; ${kindScopes}`);
    } else if (kind === "machine" && !customScopes.includes(scope)) {
      r.report(
        scopePath,
        `a machine client may only ask for custom scopes (client_credentials carries no user), got ${show(scope)}; defined custom scopes: ${list(customScopes)}`,
      );
    }
  });

  if (kind === "browser") {
    if (scopes.length === 0) r.report(at(path, "scopes"), "a browser client needs at least one scope");
    if (callbackUrls.length === 0) r.report(at(path, "callbackUrls"), "a browser client needs at least one callback URL");
    callbackUrls.forEach((url, i) => checkRedirectUrl(r, url, at(at(path, "callbackUrls"), i)));
    logoutUrls.forEach((url, i) => checkRedirectUrl(r, url, at(at(path, "logoutUrls"), i)));
  } else {
    const reason = kind === "machine" ? "client_credentials has no browser redirect" : "a legacy client never uses the hosted UI";
    if (callbackUrls.length > 0) r.report(at(path, "callbackUrls"), `must be empty for kind "${kind}" (${reason})`);
    if (logoutUrls.length > 0) r.report(at(path, "logoutUrls"), `must be empty for kind "${kind}" (${reason})`);
    if (allowImplicitFlow) r.report(at(path, "allowImplicitFlow"), `applies only to kind "browser"; remove it`);
    if (kind === "machine" && scopes.length === 0) r.report(at(path, "scopes"), "a machine client needs at least one custom scope");
    if (kind === "legacy" && scopes.length > 0) {
      r.report(
        at(path, "scopes"),
        'must be empty for kind "legacy": password sign-in tokens carry no custom scopes; grant routes in authorizationTable instead',
      );
    }
  }

  return {
    name,
    kind,
    scopes,
    basicUsers: [],
    callbackUrls,
    logoutUrls,
    allowImplicitFlow,
    accessTokenValidityMinutes: r.integer(o, "accessTokenValidityMinutes", path, { default: 60, min: 5, max: 1440, unit: "minutes" }),
    idTokenValidityMinutes: r.integer(o, "idTokenValidityMinutes", path, { default: 60, min: 5, max: 1440, unit: "minutes" }),
    refreshTokenValidityDays: r.integer(o, "refreshTokenValidityDays", path, { default: 10, min: 1, max: 3650, unit: "days" }),
  };
}

/** Redirect targets: https, a loopback http URL for development, or an app's own scheme. */
function checkRedirectUrl(r: Reader, value: string, path: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    r.report(path, `must be an absolute URL, got ${show(value)}`);
    return;
  }
  const loopback = url.hostname === "localhost" || url.hostname === "127.0.0.1";
  if (url.hash !== "" || value.includes("#")) {
    r.report(path, `must not contain a fragment (#), got ${show(value)}`);
  } else if (url.protocol === "http:" && !loopback) {
    r.report(path, `must use https (plain http only for localhost), got ${show(value)}`);
  } else if (["javascript:", "data:", "file:", "vbscript:"].includes(url.protocol)) {
    r.report(path, `must not use the ${url.protocol} scheme, got ${show(value)}`);
  }
}

function readGroup(r: Reader, value: unknown, path: string): GroupConfig {
  const o = r.object(value, path, ["name", "description", "precedence"]) ?? {};
  const precedence = o.precedence === undefined ? undefined : r.integer(o, "precedence", path, { min: 0, max: 2147483647 });
  return {
    name: r.string(o, "name", path, GROUP_NAME),
    description: r.string(o, "description", path, { default: "", maxLength: 2048 }),
    ...(precedence === undefined ? {} : { precedence }),
  };
}

function readUser(
  r: Reader,
  value: unknown,
  path: string,
  groups: readonly GroupConfig[],
  signInWith: UserPoolConfig["signInWith"],
): UserConfig {
  const o = r.object(value, path, ["username", "email", "groups", "password"]) ?? {};
  if (o.password !== undefined) {
    r.report(
      at(path, "password"),
      "passwords never go in the configuration; pass them in the sensitive Terraform variable user_passwords (see help)",
    );
  }
  const username = r.string(
    o,
    "username",
    path,
    signInWith === "email" ? { ...EMAIL, hint: 'an e-mail address (userPool.signInWith is "email")' } : USERNAME,
  );
  const email = r.optionalString(o, "email", path, EMAIL);
  if (signInWith === "email" && email !== undefined && email !== username && EMAIL.pattern.test(username)) {
    r.report(at(path, "email"), `must equal username when userPool.signInWith is "email" (or be left out), got ${show(email)}`);
  }
  const names = groups.map((g) => g.name);
  const memberOf = r.strings(o, "groups", path, { default: [] });
  memberOf.forEach((group, i) => {
    if (!names.includes(group)) r.report(at(at(path, "groups"), i), `group ${show(group)} is not defined; defined groups: ${list(names)}`);
  });
  return { username, ...(email !== undefined ? { email } : signInWith === "email" ? { email: username } : {}), groups: memberOf };
}

function readApi(
  r: Reader,
  value: unknown,
  name: string,
  customScopes: readonly string[],
  hasLegacyClient: boolean,
): ScopegateConfig["api"] {
  const path = "api";
  const o =
    r.object(value, path, [
      "name",
      "stageName",
      "routes",
      "logRetentionDays",
      "throttlingBurstLimit",
      "throttlingRateLimit",
      "manageAccountLoggingRole",
      "basicRateLimit",
    ]) ?? {};
  const routes = r.array(o, "routes", path).map((item, i) => readRoute(r, item, at(at(path, "routes"), i), customScopes));
  if (routes.length === 0 && Array.isArray(o.routes)) r.report(at(path, "routes"), "define at least one route");
  r.unique(
    routes,
    (route) => formatRouteKey({ method: route.method, resourcePath: route.path }),
    (i) => at(at(path, "routes"), i),
    "route",
  );
  return {
    name: r.string(o, "name", path, {
      default: `${name}-api`,
      pattern: /^[\w\s.-]{1,128}$/,
      hint: "letters, digits, spaces, '.', '_' and '-'",
    }),
    stageName: r.string(o, "stageName", path, { ...STAGE_NAME, default: "v1" }),
    routes,
    logRetentionDays: readRetention(r, o, path, 365),
    throttlingBurstLimit: r.integer(o, "throttlingBurstLimit", path, { default: 100, min: 1, max: 10000, unit: "requests" }),
    throttlingRateLimit: r.integer(o, "throttlingRateLimit", path, { default: 50, min: 1, max: 10000, unit: "requests per second" }),
    manageAccountLoggingRole: r.boolean(o, "manageAccountLoggingRole", path, { default: true }),
    basicRateLimit: readBasicRateLimit(
      r,
      o.basicRateLimit,
      at(path, "basicRateLimit"),
      hasLegacyClient && routes.some((route) => route.guard === "lambda"),
    ),
  };
}

/** `api.basicRateLimit`: on by default wherever the stage accepts Basic; off only on purpose. */
function readBasicRateLimit(r: Reader, value: unknown, path: string, acceptsBasic: boolean): ScopegateConfig["api"]["basicRateLimit"] {
  const o = value === undefined ? {} : (r.object(value, path, ["enabled", "requestsPer5MinutesPerIp"]) ?? {});
  const enabled = r.boolean(o, "enabled", path, { default: acceptsBasic });
  if (enabled && !acceptsBasic && o.enabled === true) {
    r.report(
      at(path, "enabled"),
      "the stage accepts no Basic credentials (no legacy client, or no route on the lambda guard), so there is nothing to limit; remove it",
    );
  }
  const requestsPer5MinutesPerIp = r.integer(o, "requestsPer5MinutesPerIp", path, {
    default: BASIC_RATE_LIMIT_DEFAULT_REQUESTS_PER_5_MINUTES,
    min: 10,
    max: 2_000_000_000,
    unit: "requests per source IP in 5 minutes",
  });
  return { enabled: enabled && acceptsBasic, requestsPer5MinutesPerIp };
}

function readRetention(r: Reader, o: JsonObject, path: string, fallback: number): number {
  const value = o.logRetentionDays;
  if (value === undefined) return fallback;
  if (!(LOG_RETENTION_DAYS as readonly unknown[]).includes(value)) {
    r.report(
      at(path, "logRetentionDays"),
      `must be one of CloudWatch's retention periods (${LOG_RETENTION_DAYS.join(", ")}), got ${show(value)}`,
    );
    return fallback;
  }
  return value as number;
}

function readRoute(r: Reader, value: unknown, path: string, customScopes: readonly string[]): RouteConfig {
  const o = r.object(value, path, ["method", "path", "guard", "scopes", "integration"]) ?? {};
  const method = r.oneOf(o, "method", path, HTTP_METHODS);
  const resourcePath = r.string(o, "path", path, { hint: 'a resource path such as "/resource" or "/orders/{id}"' });
  const pathProblem = resourcePath === "" ? undefined : resourcePathProblem(resourcePath);
  if (pathProblem !== undefined) r.report(at(path, "path"), pathProblem);
  const guard = r.oneOf(o, "guard", path, ["cognito", "lambda"] as const);
  const scopes = r.strings(o, "scopes", path, { default: [] });
  const defined = [...customScopes, ...STANDARD_SCOPES];
  scopes.forEach((scope, i) => {
    if (!defined.includes(scope))
      r.report(at(at(path, "scopes"), i), `scope ${show(scope)} is not defined; defined scopes: ${list(defined)}`);
  });
  if (guard === "cognito" && scopes.length === 0 && Array.isArray(o.scopes ?? [])) {
    r.report(
      at(path, "scopes"),
      "a route on the cognito guard needs at least one scope: without scopes the native authorizer also accepts ID tokens",
    );
  }
  return { method, path: resourcePath, guard, scopes, integration: readIntegration(r, o.integration, at(path, "integration")) };
}

function readIntegration(r: Reader, value: unknown, path: string): Integration {
  if (value === undefined) return { type: "mock" };
  const o = r.object(value, path, ["type", "url"]) ?? {};
  const type = r.oneOf(o, "type", path, ["mock", "http_proxy"] as const);
  if (type === "mock") {
    if (o.url !== undefined) r.report(at(path, "url"), `applies only to "type": "http_proxy"; remove it`);
    return { type };
  }
  const url = r.string(o, "url", path, { pattern: /^https:\/\/[^\s]+$/, hint: "an https URL" });
  return { type, url };
}

function readAuthorizer(r: Reader, value: unknown): AuthorizerFunctionConfig {
  const path = "authorizer";
  const o =
    value === undefined
      ? {}
      : (r.object(value, path, [
          "resultTtlSeconds",
          "grantCacheTtlSeconds",
          "basicAuthCacheTtlSeconds",
          "memorySizeMb",
          "timeoutSeconds",
          "reservedConcurrency",
          "logRetentionDays",
          "jwksSnapshot",
        ]) ?? {});
  let jwksSnapshot: AuthorizerFunctionConfig["jwksSnapshot"];
  if (o.jwksSnapshot !== undefined) {
    // The authorizer's own check, so a snapshot it would refuse at cold start never deploys.
    jwksSnapshot = readJwksSnapshot(JSON.stringify(o.jwksSnapshot), (allowed) =>
      r.report(at(path, "jwksSnapshot"), `${allowed} (as the pool's jwks.json serves it), got ${show(o.jwksSnapshot)}`),
    );
  }
  return {
    resultTtlSeconds: r.integer(o, "resultTtlSeconds", path, { default: 300, min: 0, max: 3600, unit: "seconds" }),
    grantCacheTtlSeconds: r.integer(o, "grantCacheTtlSeconds", path, { default: 30, min: 0, max: 3600, unit: "seconds" }),
    basicAuthCacheTtlSeconds: r.integer(o, "basicAuthCacheTtlSeconds", path, { default: 60, min: 0, max: 3600, unit: "seconds" }),
    memorySizeMb: r.integer(o, "memorySizeMb", path, { default: 256, min: 128, max: 10240, unit: "MB" }),
    timeoutSeconds: r.integer(o, "timeoutSeconds", path, { default: 10, min: 1, max: 29, unit: "seconds (API Gateway waits at most 29)" }),
    reservedConcurrency:
      o.reservedConcurrency === null || o.reservedConcurrency === undefined
        ? null
        : r.integer(o, "reservedConcurrency", path, { min: 1, max: 1000 }),
    logRetentionDays: readRetention(r, o, path, 90),
    ...(jwksSnapshot ? { jwksSnapshot } : {}),
  };
}

function readAuthorizationTable(
  r: Reader,
  value: unknown,
  users: readonly UserConfig[],
  clients: readonly AppClientConfig[],
  routes: readonly RouteConfig[],
): ScopegateConfig["authorizationTable"] {
  const path = "authorizationTable";
  if (value === undefined) return { grants: [] };
  const o = r.object(value, path, ["grants"]) ?? {};
  const lambdaRoutes = routes
    .filter((route) => route.guard === "lambda")
    .map((route) => formatRouteKey({ method: route.method, resourcePath: route.path }));
  const usernames = users.map((u) => u.username);
  const machineClients = clients.filter((c) => c.kind === "machine").map((c) => c.name);

  const grants: GrantConfig[] = r.array(o, "grants", path, { default: [] }).map((item, i) => {
    const grantPath = at(at(path, "grants"), i);
    const g = r.object(item, grantPath, ["principal", "routes"]) ?? {};
    const principalPath = at(grantPath, "principal");
    const p = r.object(g.principal, principalPath, ["user", "client"]) ?? {};
    let principal: GrantConfig["principal"] = { user: "" };
    if ((p.user === undefined) === (p.client === undefined)) {
      r.report(
        principalPath,
        `must name exactly one of "user" (a configured username) or "client" (a machine client's name), got ${show(g.principal)}`,
      );
    } else if (p.user !== undefined) {
      const user = r.string(p, "user", principalPath);
      if (user !== "" && !usernames.includes(user))
        r.report(at(principalPath, "user"), `user ${show(user)} is not configured; configured users: ${list(usernames)}`);
      principal = { user };
    } else {
      const client = r.string(p, "client", principalPath);
      if (client !== "" && !machineClients.includes(client)) {
        r.report(
          at(principalPath, "client"),
          `client ${show(client)} is not a machine client; only client_credentials tokens name a client as principal; machine clients: ${list(machineClients)}`,
        );
      }
      principal = { client };
    }
    const routeKeys = r.strings(g, "routes", grantPath);
    routeKeys.forEach((key, j) => {
      const routePath = at(at(grantPath, "routes"), j);
      const parsed = parseRouteKey(key, { allowAnyMethod: true });
      if (!parsed.ok) {
        r.report(routePath, parsed.problem);
      } else if (!lambdaRoutes.some((route) => grantCovers(key, route))) {
        r.report(
          routePath,
          `${show(key)} matches no route on the lambda guard, so it would grant nothing; lambda routes: ${list(lambdaRoutes)}`,
        );
      }
    });
    return { principal, routes: routeKeys };
  });
  r.unique(
    grants,
    (g) => ("user" in g.principal ? `user ${g.principal.user}` : `client ${g.principal.client}`),
    (i) => `${path}.grants[${i}].principal`,
    "principal",
  );
  return { grants };
}

/** The `checks` section: `npm run check` findings accepted on purpose, each with its reason. */
function readChecks(r: Reader, value: unknown): ChecksConfig {
  if (value === undefined) return { suppressions: [] };
  const o = r.object(value, "checks", ["suppressions"]) ?? {};
  const suppressions = r.array(o, "suppressions", "checks", { default: [] }).map((item, i) => {
    const path = at(at("checks", "suppressions"), i);
    const s = r.object(item, path, ["rule", "resource", "reason"]) ?? {};
    const rule = r.string(s, "rule", path, { hint: 'a rule id such as "SG-LAMBDA-002"' });
    if (typeof s.rule === "string" && !isRuleId(rule)) {
      r.report(at(path, "rule"), `unknown rule ${show(rule)}; known rules: ${RULE_IDS.join(", ")}`);
    }
    const resource = r.string(s, "resource", path, {
      pattern: /^(?!\/)(?!.*\/\/)[^\s*?]+$/,
      hint: 'a construct path such as "authorizer/function", or a prefix of one at a "/"; no wildcards',
    });
    const reason = r.string(s, "reason", path, { hint: "why the finding is acceptable here" });
    if (typeof s.reason === "string" && s.reason.trim() === "") {
      r.report(at(path, "reason"), "must say why the finding is acceptable here, got an empty reason");
    }
    return { rule: rule as RuleId, resource, reason };
  });
  const where = (i: number) => at(at("checks", "suppressions"), i);
  r.unique(suppressions, (s) => `${s.rule} on ${s.resource}`, where, "suppression");
  return { suppressions };
}

/** The `encryption` section: which KMS key encrypts the table, the log groups and the function's environment. */
function readEncryption(r: Reader, value: unknown, region: string): EncryptionConfig {
  if (value === undefined) return { kmsKey: { type: "aws-managed" } };
  const o = r.object(value, "encryption", ["kmsKey"]) ?? {};
  const key = o.kmsKey;
  if (key === undefined || key === "aws-managed") return { kmsKey: { type: "aws-managed" } };
  if (key === "create") return { kmsKey: { type: "create" } };
  const match = typeof key === "string" ? KMS_KEY_ARN.pattern.exec(key) : null;
  if (match === null) {
    r.report("encryption.kmsKey", `must be "aws-managed" (the default), "create", or ${KMS_KEY_ARN.hint}, got ${show(key)}`);
    return { kmsKey: { type: "aws-managed" } };
  }
  if (match[1] !== region) {
    r.report(
      "encryption.kmsKey",
      `the key is in ${match[1]} but the stack's region is ${region}; DynamoDB, Lambda and CloudWatch Logs use a key of their own region: name a key in ${region}, or "create"`,
    );
  }
  return { kmsKey: { type: "existing", arn: key as string } };
}

function list(values: readonly string[]): string {
  return values.length === 0 ? "(none)" : values.join(", ");
}
