import { ConfigError, show } from "../errors";
import {
  ApiConfig,
  AppClientConfig,
  AuthorizationTableConfig,
  GroupConfig,
  ResourceServerConfig,
  ScopegateConfig,
  UserConfig,
  UserPoolConfig,
} from "../model";
import { Reader, at } from "../reader";
import { NAME, REGION } from "../rules";
import { basicUsernameKey } from "../../../contracts/basic-users";
import { scopeIdentifier } from "../../../core/scopes";
import { list } from "./shared";
import { readBackend } from "./backend";
import { readUserPool } from "./user-pool";
import { readResourceServer } from "./resource-servers";
import { readAppClient } from "./app-clients";
import { readGroup, readUser } from "./users";
import { readApi } from "./api";
import { isJsonObject, type JsonObject } from "../../../core/json";
import { readAuthorizer } from "./authorizer";
import { readAuthorizationTable } from "./grants";
import { readChecks } from "./checks";
import { readEncryption } from "./encryption";
import { readAdopt } from "./adopt";
import { readVerifiedPermissions } from "./verified-permissions";
import { CONFIGURATION_DEFAULTS } from "../../../core/defaults";

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
  "adopt",
  "verifiedPermissions",
] as const;

/**
 * Validates a configuration document and applies every default ({@link CONFIGURATION_DEFAULTS}, and those that
 * follow from other fields). Each section has its own module in this folder.
 *
 * @param document the parsed JSON (AWS CLI input files already inlined by the loader)
 * @param source names the document in the error message (a file path or "the built-in example")
 * @throws ConfigError listing every problem, each with its path, the value and what is allowed
 */
export function parseConfig(document: unknown, source: string): ScopegateConfig {
  const r = new Reader();
  const root = r.object(document, "", TOP_LEVEL) ?? {};

  const name = r.string(root, "name", "", NAME);
  const region = r.string(root, "region", "", { ...REGION, default: CONFIGURATION_DEFAULTS.region });
  const backend = readBackend(r, root.backend, region);
  const userPool = readUserPool(r, root.userPool, name, region);
  const resourceServers = readResourceServers(r, root);
  const customScopes = resourceServers.flatMap((server) => server.scopes.map((scope) => scopeIdentifier(server.identifier, scope.name)));
  const appClients = readAppClients(r, root, customScopes);
  const groups = readGroups(r, root);
  const users = readUsers(r, root, groups, userPool);
  checkBasicUsers(r, appClients, users, userPool);

  const api = readApi(
    r,
    root.api,
    name,
    customScopes,
    appClients.some((c) => c.kind === "legacy"),
  );
  const authorizer = readAuthorizer(r, root.authorizer);
  const authorizationTable = readGrants(r, root, users, appClients, api);
  checkTokenClientForLambda(r, api, appClients);

  const checks = readChecks(r, root.checks);
  const encryption = readEncryption(r, root.encryption, region);
  const adopt =
    root.adopt === undefined ? undefined : readAdopt(r, root.adopt, { region, userPool, resourceServers, appClients, groups, users });
  const verifiedPermissions = readVerifiedPermissions(r, root.verifiedPermissions);

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
    ...(adopt === undefined ? {} : { adopt }),
    verifiedPermissions,
  };
}

/** `resourceServers`: each server, and no identifier twice. */
function readResourceServers(r: Reader, root: JsonObject): ResourceServerConfig[] {
  const resourceServers = r.array(root, "resourceServers", "").map((item, i) => readResourceServer(r, item, at("resourceServers", i)));
  r.unique(
    resourceServers,
    (s) => s.identifier,
    (i) => `resourceServers[${i}].identifier`,
    "identifier",
  );
  return resourceServers;
}

/** `appClients`: each client (asking only for defined scopes), no name twice, and at most one legacy client. */
function readAppClients(r: Reader, root: JsonObject, customScopes: readonly string[]): AppClientConfig[] {
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
  return appClients;
}

/** `groups`: each group, and no name twice. */
function readGroups(r: Reader, root: JsonObject): GroupConfig[] {
  const groups = r
    .array(root, "groups", "", { default: CONFIGURATION_DEFAULTS.groups })
    .map((item, i) => readGroup(r, item, at("groups", i)));
  r.unique(
    groups,
    (g) => g.name,
    (i) => `groups[${i}].name`,
    "group name",
  );
  return groups;
}

/** `users`: each user (in configured groups, named as the pool signs in), and no username twice, case-insensitively. */
function readUsers(r: Reader, root: JsonObject, groups: readonly GroupConfig[], userPool: UserPoolConfig): UserConfig[] {
  const users = r
    .array(root, "users", "", { default: CONFIGURATION_DEFAULTS.users })
    .map((item, i) => readUser(r, item, at("users", i), groups, userPool.signInWith, userPool.existing !== undefined));
  r.unique(
    users,
    (u) => u.username.toLowerCase(),
    (i) => `users[${i}].username`,
    "username (case-insensitive)",
  );
  return users;
}

/**
 * Each client's `basicUsers`: configured users (matched case-insensitively, as Cognito does), none twice,
 * and only in a pool that does not require MFA of every user.
 */
function checkBasicUsers(r: Reader, appClients: readonly AppClientConfig[], users: readonly UserConfig[], userPool: UserPoolConfig): void {
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
}

/** `authorizationTable`: grants of configured principals on the API's routes. */
function readGrants(
  r: Reader,
  root: JsonObject,
  users: readonly UserConfig[],
  appClients: readonly AppClientConfig[],
  api: ApiConfig,
): AuthorizationTableConfig {
  // A refused route is left out of api.routes: grants are then not told they match no route.
  const writtenRoutes = isJsonObject(root.api) && Array.isArray(root.api.routes) ? root.api.routes.length : api.routes.length;
  return readAuthorizationTable(r, root.authorizationTable, users, appClients, api.routes, api.routes.length === writtenRoutes);
}

/** Routes on the lambda guard need a client that can obtain access tokens (a browser or machine client). */
function checkTokenClientForLambda(r: Reader, api: ApiConfig, appClients: readonly AppClientConfig[]): void {
  const usesLambda = api.routes.some((route) => route.guard === "lambda");
  if (usesLambda && appClients.every((c) => c.kind === "legacy")) {
    // Only Basic can reach the Lambda guard then, which is fine, but a pool with nothing but a
    // password client is almost always a mistake worth naming.
    r.report("appClients", "routes use the lambda guard but no browser or machine client exists to obtain access tokens; add one");
  }
}
