/**
 * Turns a described pool into a scopegate configuration document with its `adopt` section: what
 * the configuration can hold is mapped, what would replace a resource is refused, and what the
 * stack cannot take over is left out and said so. Whether the synthesized stack keeps or changes
 * each described attribute is not decided here: `compare.ts` reads it from the synthesized
 * Terraform.
 *
 * @packageDocumentation
 */
import { type JsonObject, isJsonObject } from "../core/json";
import { CONFIGURATION_DEFAULTS } from "../core/defaults";
import { scopeIdentifier } from "../core/scopes";
import { show, type ShowOptions } from "../core/show";
import {
  CLIENT_NAME,
  GROUP_NAME,
  NAME,
  RESOURCE_SERVER_IDENTIFIER,
  RESOURCE_SERVER_NAME,
  SCOPE_NAME,
  USERNAME,
  USER_ADMIN_SCOPE,
  USER_POOL_NAME,
} from "../stacks/config/rules";
import { AdoptError } from "./errors";
import { DescribeFile, DescribedPool, FileProblem } from "./describe";

/** Options of {@link mapDescribedPool}. */
export interface MapOptions {
  /**
   * The stack's name (`name`): also the prefix of every app client's name (`<name>-<client>`).
   *
   * @default the pool's name in lowercase, other characters as hyphens
   */
  readonly stackName?: string;
  /**
   * The application accounts the legacy client (`ALLOW_ADMIN_USER_PASSWORD_AUTH`) lets sign in
   * with Basic (`appClients[].basicUsers`); each must be an adopted user.
   *
   * @default [] - a pool with a legacy client is refused without them
   */
  readonly basicUsers?: readonly string[];
}

/** A described resource the configuration leaves out: the stack neither manages nor changes it. */
export interface NotAdopted {
  readonly file: string;
  readonly path: string;
  /** What it is: `app client "reports" (3abc…)`. */
  readonly what: string;
  readonly why: string;
}

/** Where a configured resource came from, for the comparison of `compare.ts`. */
export interface AdoptedSource {
  readonly type: "pool" | "mfa" | "domain" | "resourceServer" | "client" | "group" | "user";
  readonly file: string;
  /** JSON path of the described object in its file: `UserPool`, `Groups[2]`. */
  readonly path: string;
  readonly body: JsonObject;
  /** Its name in the configuration (client name, identifier, group name, username); empty for the pool. */
  readonly name: string;
}

/** What {@link mapDescribedPool} makes of a described pool. */
export interface PoolMapping {
  /** The configuration document, keys and lists in a stable order. */
  readonly document: JsonObject;
  readonly sources: readonly AdoptedSource[];
  readonly notAdopted: readonly NotAdopted[];
}

const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d)_[0-9A-Za-z]+$/;
const MINUTES_PER_UNIT: Readonly<Record<string, number>> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };
/** What Cognito applies when a client's output has no validity (clients made before validities existed). */
const API_DEFAULT_MINUTES = { access: 60, id: 60, refresh: 30 * 1440 };
/**
 * Standard attributes the provider leaves out of state as they are (`sub` is required and immutable
 * in every pool; Cognito adds `identities` for federated users): never a schema change.
 */
const STANDARD_AS_IS = ["sub", "identities"];

/** Records one described setting the stack would replace or cannot hold. */
type Refuse = (file: string, path: string, value: unknown, why: string, fix: string) => void;

/** What the section mappers find while they read the described pool, in the order they read it. */
class Findings {
  readonly refused: FileProblem[] = [];
  readonly notAdopted: NotAdopted[] = [];
  readonly sources: AdoptedSource[] = [];
  readonly refuse: Refuse = (file, path, value, why, fix) => {
    this.refused.push({ file, path, message: `is ${show(value, DESCRIBED)}: ${why}; ${fix}` });
  };
}

/** The pool's identity and the stack's name, which every section mapper reads. */
interface PoolIdentity {
  readonly poolId: string;
  /** The AWS region of the pool id; undefined when the id is not one (and refused). */
  readonly region: string | undefined;
  readonly poolName: string;
  readonly stackName: string;
}

const KEEP_ATTACHED = "or leave the pool attached (userPool.existing) instead of adopting it";

/**
 * Maps a described pool onto a configuration: one mapper per section, each refusing what the stack
 * would replace or cannot hold and leaving out what it cannot take over; every refusal is reported
 * together once all sections are read.
 *
 * @throws AdoptError `ERR_ADOPT_REFUSED` listing every described setting the stack would replace or
 *   cannot hold; `ERR_ADOPT_USAGE` when no valid stack name follows from the pool's name
 */
export function mapDescribedPool(described: DescribedPool, options: MapOptions = {}): PoolMapping {
  const found = new Findings();
  const identity = mapPoolIdentity(described.pool, options, found);
  const { userPool, signInWith } = mapUserPool(described.pool, identity, found);
  adoptMfaConfiguration(described, found);
  const domainAdopted = mapDomain(described, found);
  const servers = mapResourceServers(described.resourceServers, found);
  // Users before clients: the legacy client's Basic accounts must be adopted users.
  const users = mapUsers(described.users, signInWith, found);
  const userNames = users.map((u) => String(u.username));
  const { clients, clientIds } = mapClients(described.clients, identity.stackName, options.basicUsers ?? [], userNames, found);
  const groups = mapGroups(described.groups, found);

  if (found.refused.length > 0) {
    const headline = `the pool ${show(identity.poolId, DESCRIBED)} cannot be adopted: the stack would replace it or a resource in it, or cannot hold what it has`;
    throw new AdoptError(
      "ERR_ADOPT_REFUSED",
      `${headline}:\n${found.refused.map((p) => `  - ${p.file} at ${p.path}: ${p.message}`).join("\n")}`,
    );
  }

  const document: JsonObject = {
    name: identity.stackName,
    region: identity.region ?? CONFIGURATION_DEFAULTS.region,
    userPool,
    resourceServers: servers,
    appClients: clients,
    groups,
    users,
    api: { routes: [adoptedRoute(servers)] },
    adopt: {
      userPoolId: identity.poolId,
      domain: domainAdopted,
      resourceServers: servers.map((s) => s.identifier),
      clients: Object.fromEntries(Object.entries(clientIds).sort(([a], [b]) => compare(a, b))),
      groups: groups.map((g) => g.name),
      users: users.map((u) => u.username),
    },
  };
  const notAdopted = found.notAdopted.sort((a, b) => compare(`${a.file}\0${a.path}`, `${b.file}\0${b.path}`));
  return { document, sources: found.sources, notAdopted };
}

/**
 * The pool's id, region and name, and the stack's name made from it.
 *
 * @throws AdoptError `ERR_ADOPT_USAGE` when the stack name (given or made) is not a valid one
 */
function mapPoolIdentity(described: DescribeFile, options: MapOptions, found: Findings): PoolIdentity {
  const { file, body: pool } = described;
  const poolId = String(pool.Id);
  const region = POOL_ID.exec(poolId)?.[1];
  if (region === undefined)
    found.refuse(
      file,
      "UserPool.Id",
      pool.Id,
      "not a pool id <region>_<id> of an AWS region",
      "describe the pool in AWS, not in an emulator",
    );
  const poolName = String(pool.Name ?? "");
  if (!USER_POOL_NAME.pattern.test(poolName)) {
    found.refuse(
      file,
      "UserPool.Name",
      pool.Name,
      `the configuration accepts ${USER_POOL_NAME.hint} and a changed name replaces the pool`,
      `rename the pool in AWS first, ${KEEP_ATTACHED}`,
    );
  }
  const stackName = options.stackName ?? slug(poolName, 32);
  if (!NAME.pattern.test(stackName)) {
    throw new AdoptError(
      "ERR_ADOPT_USAGE",
      `${options.stackName === undefined ? `the stack name made from the pool's name ${show(poolName, DESCRIBED)}` : "--name"} is ${show(stackName, DESCRIBED)}, not ${NAME.hint}; pass --name <stack name>`,
    );
  }
  return { poolId, region, poolName, stackName };
}

/** The configuration's `userPool` section: what replaces the pool is reproduced exactly or refused. */
function mapUserPool(
  described: DescribeFile,
  identity: PoolIdentity,
  found: Findings,
): { userPool: JsonObject; signInWith: "username" | "email" } {
  const { file, body: pool } = described;
  const signInWith = mapSignIn(described, found.refuse);
  refuseSchemaAttributes(described, found.refuse);
  const policies = isJsonObject(pool.Policies) && isJsonObject(pool.Policies.PasswordPolicy) ? pool.Policies.PasswordPolicy : {};
  const defaults = CONFIGURATION_DEFAULTS.userPool;
  const addOns = isJsonObject(pool.UserPoolAddOns) ? String(pool.UserPoolAddOns.AdvancedSecurityMode ?? "OFF") : "OFF";
  const tier = pool.UserPoolTier === "PLUS" ? "PLUS" : "ESSENTIALS";
  if (addOns !== "OFF" && tier !== "PLUS") {
    found.refuse(
      file,
      "UserPool.UserPoolAddOns.AdvancedSecurityMode",
      addOns,
      `the stack offers threat protection on the Plus tier only, and the pool's tier is ${show(pool.UserPoolTier ?? "not described", DESCRIBED)}`,
      `switch the pool to the Plus tier or threat protection off first, ${KEEP_ATTACHED}`,
    );
  }
  const mfa = ["OFF", "ON", "OPTIONAL"].includes(String(pool.MfaConfiguration)) ? String(pool.MfaConfiguration) : "OFF";
  const userPool: JsonObject = {
    name: identity.poolName,
    domainPrefix: hasDomain(pool) ? pool.Domain : `${identity.stackName}-auth`,
    deletionProtection: pool.DeletionProtection === "ACTIVE",
    mfa,
    signInWith,
    tier,
    threatProtection: addOns.toLowerCase(),
    passwordPolicy: {
      minimumLength: clamp(numberOr(policies.MinimumLength, defaults.passwordPolicy.minimumLength), 12, 99),
      requireLowercase: policies.RequireLowercase === true,
      requireUppercase: policies.RequireUppercase === true,
      requireNumbers: policies.RequireNumbers === true,
      requireSymbols: policies.RequireSymbols === true,
      temporaryPasswordValidityDays: clamp(numberOr(policies.TemporaryPasswordValidityDays, 7), 1, 7),
    },
  };
  found.sources.push({ type: "pool", file, path: "UserPool", body: pool, name: "" });
  return { userPool, signInWith };
}

/** How users sign in: sign-in attributes and case sensitivity replace the pool when they differ, so they are reproduced exactly or refused. */
function mapSignIn(described: DescribeFile, refuse: Refuse): "username" | "email" {
  const { file, body: pool } = described;
  const usernameAttributes = stringList(pool.UsernameAttributes);
  let signInWith: "username" | "email" = "username";
  if (usernameAttributes.length === 1 && usernameAttributes[0] === "email") signInWith = "email";
  else if (usernameAttributes.length > 0) {
    refuse(
      file,
      "UserPool.UsernameAttributes",
      pool.UsernameAttributes,
      'the stack signs users in with a username or their e-mail (username_attributes [] or ["email"]), and a change replaces the pool with every user',
      KEEP_ATTACHED,
    );
  }
  if (stringList(pool.AliasAttributes).length > 0) {
    refuse(
      file,
      "UserPool.AliasAttributes",
      pool.AliasAttributes,
      "the stack sets no alias attributes, and removing them replaces the pool with every user",
      KEEP_ATTACHED,
    );
  }
  const caseSensitive = isJsonObject(pool.UsernameConfiguration) ? pool.UsernameConfiguration.CaseSensitive : undefined;
  if (caseSensitive !== false) {
    refuse(
      file,
      "UserPool.UsernameConfiguration.CaseSensitive",
      caseSensitive,
      `the stack makes usernames case-insensitive (username_configuration.case_sensitive false)${caseSensitive === undefined ? ", a pool without UsernameConfiguration is case-sensitive," : ""} and a change replaces the pool with every user`,
      KEEP_ATTACHED,
    );
  }
  return signInWith;
}

/** Refuses every schema attribute the stack would have to change: it writes no schema. */
function refuseSchemaAttributes(described: DescribeFile, refuse: Refuse): void {
  const { file, body: pool } = described;
  (Array.isArray(pool.SchemaAttributes) ? pool.SchemaAttributes : []).forEach((attribute, i) => {
    if (!isJsonObject(attribute) || STANDARD_AS_IS.includes(String(attribute.Name))) return;
    const name = String(attribute.Name);
    const custom = name.startsWith("custom:") || name.startsWith("dev:") || attribute.DeveloperOnlyAttribute === true;
    if (custom || attribute.Required === true || attribute.Mutable === false) {
      refuse(
        file,
        `UserPool.SchemaAttributes[${i}]`,
        name,
        `${custom ? "a custom attribute" : "a standard attribute made required or immutable"}: the stack writes no schema, and the provider cannot remove or change a schema attribute (the first apply would fail)`,
        KEEP_ATTACHED,
      );
    }
  });
}

/** The MFA configuration (get-user-pool-mfa-config), adopted with the pool for `compare.ts`. */
function adoptMfaConfiguration(described: DescribedPool, found: Findings): void {
  if (described.mfa !== undefined)
    found.sources.push({ type: "mfa", file: described.mfa.file, path: "", body: described.mfa.body, name: "" });
}

/** The pool's hosted-UI domain, adopted when it has one; a custom domain is left out. Whether the domain is adopted. */
function mapDomain(described: DescribedPool, found: Findings): boolean {
  const { file: poolFile, body: pool } = described.pool;
  if (typeof pool.CustomDomain === "string" && pool.CustomDomain !== "") {
    found.notAdopted.push({
      file: poolFile,
      path: "UserPool.CustomDomain",
      what: `custom domain ${show(pool.CustomDomain, DESCRIBED)}`,
      why: "the stack has no resource for a custom domain: left as it is",
    });
  }
  if (!hasDomain(pool)) return false;
  // The domain's own description when the folder has it, else what the pool's description says of it.
  const own = described.domain !== undefined && described.domain.body.Domain === pool.Domain ? described.domain : undefined;
  found.sources.push({
    type: "domain",
    file: own?.file ?? poolFile,
    path: own === undefined ? "UserPool" : "DomainDescription",
    body: own?.body ?? { Domain: pool.Domain },
    name: pool.Domain,
  });
  return true;
}

function hasDomain(pool: JsonObject): pool is JsonObject & { Domain: string } {
  return typeof pool.Domain === "string" && pool.Domain !== "";
}

/** The configuration's `resourceServers`: the identifier replaces a server when it differs, so it must be one the configuration holds. */
function mapResourceServers(described: readonly DescribeFile[], found: Findings): JsonObject[] {
  const servers = described
    .map((f) => mapResourceServer(f, found.refuse))
    .filter((s): s is JsonObject => s !== undefined)
    .sort((a, b) => compare(String(a.identifier), String(b.identifier)));
  [...described]
    .sort((a, b) => compare(String(a.body.Identifier), String(b.body.Identifier)))
    .forEach((f) =>
      found.sources.push({ type: "resourceServer", file: f.file, path: "ResourceServer", body: f.body, name: String(f.body.Identifier) }),
    );
  return servers;
}

/** The route of the adopted stack's API: guarded by the first custom scope, or by the Lambda authorizer when there is none. */
function adoptedRoute(servers: readonly JsonObject[]): JsonObject {
  const customScopes = servers.flatMap((s) =>
    (s.scopes as JsonObject[]).map((scope) => scopeIdentifier(String(s.identifier), String(scope.name))),
  );
  return customScopes.length > 0
    ? { method: "GET", path: "/adopted", guard: "cognito", scopes: [customScopes.slice().sort(compare)[0]] }
    : { method: "GET", path: "/adopted", guard: "lambda" };
}

/** The configuration's `users`: a user the configuration cannot name as Cognito does is left out. */
function mapUsers(
  described: DescribeFile<readonly unknown[]> | undefined,
  signInWith: "username" | "email",
  found: Findings,
): JsonObject[] {
  const users: JsonObject[] = [];
  (described?.body ?? []).forEach((user, i) => {
    const file = described!.file;
    const u = user as JsonObject;
    const username = String(u.Username);
    const attributes = attributeMap(u.Attributes);
    if (signInWith === "email") {
      found.notAdopted.push({
        file,
        path: `Users[${i}]`,
        what: `user ${show(username, DESCRIBED)}`,
        why: "users sign in with their e-mail: Cognito names them by their sub, and the stack's user would be named by the e-mail address (a replacement): left as it is, not managed",
      });
      return;
    }
    if (!USERNAME.pattern.test(username)) {
      found.notAdopted.push({
        file,
        path: `Users[${i}].Username`,
        what: `user ${show(username, DESCRIBED)}`,
        why: `the configuration accepts usernames of ${USERNAME.hint}: left as it is, not managed`,
      });
      return;
    }
    users.push({ username, ...(attributes.email === undefined ? {} : { email: attributes.email }) });
    found.sources.push({ type: "user", file, path: `Users[${i}]`, body: u, name: username });
  });
  return users.sort((a, b) => compare(String(a.username), String(b.username)));
}

/** The configuration's `appClients`: each mapped to a kind by its flows and secret; a client of no kind is left out. */
function mapClients(
  described: readonly DescribeFile[],
  stackName: string,
  basicUsers: readonly string[],
  userNames: readonly string[],
  found: Findings,
): { clients: JsonObject[]; clientIds: Record<string, string> } {
  const clients: JsonObject[] = [];
  const clientIds: Record<string, string> = {};
  const usedNames = new Set<string>();
  const ordered = [...described].sort((a, b) => compare(String(a.body.ClientId), String(b.body.ClientId)));
  for (const f of ordered) {
    const c = f.body;
    const what = `app client ${show(c.ClientName, DESCRIBED)} (${String(c.ClientId)})`;
    const kind = clientKind(c);
    if (typeof kind !== "string") {
      found.notAdopted.push({ file: f.file, path: `UserPoolClient.${kind.path}`, what, why: `${kind.why}: left as it is, not managed` });
      continue;
    }
    if (kind === "legacy" && clients.some((other) => other.kind === "legacy")) {
      found.notAdopted.push({
        file: f.file,
        path: "UserPoolClient.ExplicitAuthFlows",
        what,
        why: "a stack has one legacy (Basic sign-in) client and another one is adopted: left as it is, not managed",
      });
      continue;
    }
    const name = uniqueName(clientName(String(c.ClientName ?? ""), stackName), usedNames);
    const client = mapClient(c, kind, name);
    if (kind === "legacy") client.basicUsers = legacyBasicUsers(f, basicUsers, userNames, found.refuse);
    clients.push(client);
    clientIds[name] = String(c.ClientId);
    found.sources.push({ type: "client", file: f.file, path: "UserPoolClient", body: c, name });
  }
  return { clients: clients.sort((a, b) => compare(String(a.name), String(b.name))), clientIds };
}

/** One app client of a kind: its scopes, URLs and token validities as the configuration holds them. */
function mapClient(c: JsonObject, kind: "browser" | "machine" | "legacy", name: string): JsonObject {
  const client: JsonObject = { name, kind };
  const scopes = stringList(c.AllowedOAuthScopes).sort(compare);
  if (kind !== "legacy") client.scopes = scopes;
  if (scopes.includes(USER_ADMIN_SCOPE) && kind === "browser") client.allowUserAdminScope = true;
  if (kind === "browser") {
    client.callbackUrls = stringList(c.CallbackURLs).sort(compare);
    client.logoutUrls = stringList(c.LogoutURLs).sort(compare);
    if (stringList(c.AllowedOAuthFlows).includes("implicit")) client.allowImplicitFlow = true;
  }
  const validity = tokenValidity(c);
  client.accessTokenValidityMinutes = clamp(Math.round(validity.access), 5, 1440);
  client.idTokenValidityMinutes = clamp(Math.round(validity.id), 5, 1440);
  client.refreshTokenValidityDays = clamp(Math.ceil(validity.refresh / 1440), 1, 3650);
  return client;
}

/** The legacy client's Basic accounts (`--basic-users`): required, and each an adopted user. */
function legacyBasicUsers(f: DescribeFile, basicUsers: readonly string[], userNames: readonly string[], refuse: Refuse): string[] {
  const sorted = [...basicUsers].sort(compare);
  if (sorted.length === 0) {
    refuse(
      f.file,
      "UserPoolClient.ExplicitAuthFlows",
      f.body.ExplicitAuthFlows,
      "the client signs users in with ALLOW_ADMIN_USER_PASSWORD_AUTH (a legacy client), and the stack lets only designated application accounts use it",
      "pass --basic-users <username,…> naming them, or remove the file to leave the client unmanaged",
    );
  }
  sorted.forEach((username) => {
    if (!userNames.includes(username)) {
      refuse(
        f.file,
        "UserPoolClient",
        username,
        `--basic-users names a user that is not adopted (adopted: ${userNames.length === 0 ? "none" : userNames.join(", ")})`,
        "add the list-users output, or name an adopted user",
      );
    }
  });
  return sorted;
}

/** The configuration's `groups`: a group the configuration cannot name is left out. */
function mapGroups(described: DescribeFile<readonly unknown[]> | undefined, found: Findings): JsonObject[] {
  const groups: JsonObject[] = [];
  (described?.body ?? []).forEach((group, i) => {
    const file = described!.file;
    const g = group as JsonObject;
    const name = String(g.GroupName);
    if (!GROUP_NAME.pattern.test(name)) {
      found.notAdopted.push({
        file,
        path: `Groups[${i}].GroupName`,
        what: `group ${show(name, DESCRIBED)}`,
        why: `the configuration accepts group names of ${GROUP_NAME.hint}: left as it is, not managed`,
      });
      return;
    }
    groups.push({
      name,
      ...(typeof g.Description === "string" && g.Description !== "" ? { description: g.Description } : {}),
      ...(typeof g.Precedence === "number" ? { precedence: g.Precedence } : {}),
    });
    found.sources.push({ type: "group", file, path: `Groups[${i}]`, body: g, name });
  });
  return groups.sort((a, b) => compare(String(a.name), String(b.name)));
}

function mapResourceServer(f: DescribeFile, refuse: Refuse): JsonObject | undefined {
  const s = f.body;
  const rename =
    "rename it in the pool is not possible either (the identifier is its key); remove the file and the clients' scopes of it to leave it unmanaged";
  if (typeof s.Identifier !== "string" || !RESOURCE_SERVER_IDENTIFIER.pattern.test(s.Identifier)) {
    refuse(
      f.file,
      "ResourceServer.Identifier",
      s.Identifier,
      `the configuration accepts ${RESOURCE_SERVER_IDENTIFIER.hint}, and another identifier replaces the server`,
      rename,
    );
    return undefined;
  }
  if (typeof s.Name !== "string" || !RESOURCE_SERVER_NAME.pattern.test(s.Name)) {
    refuse(
      f.file,
      "ResourceServer.Name",
      s.Name,
      `the configuration accepts ${RESOURCE_SERVER_NAME.hint}`,
      "rename the server in the pool first",
    );
  }
  const scopes = (Array.isArray(s.Scopes) ? s.Scopes : []).flatMap((scope, i) => {
    const o = isJsonObject(scope) ? scope : {};
    if (typeof o.ScopeName !== "string" || !SCOPE_NAME.pattern.test(o.ScopeName)) {
      refuse(
        f.file,
        `ResourceServer.Scopes[${i}].ScopeName`,
        o.ScopeName,
        `the configuration accepts scope names of ${SCOPE_NAME.hint}`,
        "rename the scope in the pool first",
      );
      return [];
    }
    if (typeof o.ScopeDescription !== "string" || !/^[\x20-\x7e]{1,256}$/.test(o.ScopeDescription)) {
      refuse(
        f.file,
        `ResourceServer.Scopes[${i}].ScopeDescription`,
        o.ScopeDescription,
        "the configuration accepts 1-256 printable characters",
        "change the description in the pool first",
      );
      return [];
    }
    return [{ name: o.ScopeName, description: o.ScopeDescription }];
  });
  if (scopes.length === 0 && (!Array.isArray(s.Scopes) || s.Scopes.length === 0)) {
    refuse(
      f.file,
      "ResourceServer.Scopes",
      s.Scopes ?? [],
      "the configuration needs at least one scope per resource server",
      "add a scope in the pool, or remove the file to leave the server unmanaged",
    );
  }
  return { identifier: s.Identifier, name: s.Name, scopes: scopes.sort((a, b) => compare(a.name, b.name)) };
}

/** A client's kind by its flows and secret, or why it has none. */
function clientKind(c: JsonObject): "browser" | "machine" | "legacy" | { path: string; why: string } {
  const flows = stringList(c.AllowedOAuthFlows);
  const oauth = c.AllowedOAuthFlowsUserPoolClient === true && flows.length > 0;
  const secret = typeof c.ClientSecret === "string";
  const authFlows = stringList(c.ExplicitAuthFlows);
  if (oauth && flows.includes("client_credentials")) {
    if (flows.includes("code") || flows.includes("implicit"))
      return { path: "AllowedOAuthFlows", why: "it mixes client_credentials with user flows, which no kind of the stack does" };
    if (!secret) return { path: "AllowedOAuthFlows", why: "a client_credentials client without a secret fits no kind" };
    return "machine";
  }
  if (oauth && flows.includes("code")) {
    if (secret)
      return {
        path: "ClientSecret",
        why: "a code-flow client with a secret fits no kind (a browser client has none, and generate_secret replaces the client)",
      };
    return "browser";
  }
  if (oauth) return { path: "AllowedOAuthFlows", why: "the implicit flow alone fits no kind" };
  if (authFlows.includes("ALLOW_ADMIN_USER_PASSWORD_AUTH") || authFlows.includes("ADMIN_NO_SRP_AUTH")) {
    if (secret)
      return {
        path: "ClientSecret",
        why: "a password sign-in client with a secret fits no kind (the legacy client has none, and generate_secret replaces the client)",
      };
    return "legacy";
  }
  return {
    path: "AllowedOAuthFlows",
    why: "it has no OAuth flow (code, client_credentials) and no ALLOW_ADMIN_USER_PASSWORD_AUTH, so it fits no kind",
  };
}

/** A client's token validities in minutes, as Cognito applies them. */
export function tokenValidity(c: JsonObject): { access: number; id: number; refresh: number } {
  const units = isJsonObject(c.TokenValidityUnits) ? c.TokenValidityUnits : {};
  const minutes = (value: unknown, unit: unknown, fallbackUnit: string, fallback: number): number =>
    typeof value === "number" ? value * (MINUTES_PER_UNIT[String(unit ?? fallbackUnit)] ?? MINUTES_PER_UNIT[fallbackUnit]) : fallback;
  return {
    access: minutes(c.AccessTokenValidity, units.AccessToken, "hours", API_DEFAULT_MINUTES.access),
    id: minutes(c.IdTokenValidity, units.IdToken, "hours", API_DEFAULT_MINUTES.id),
    refresh: minutes(c.RefreshTokenValidity, units.RefreshToken, "days", API_DEFAULT_MINUTES.refresh),
  };
}

/** A user's attributes (`[{Name, Value}]`) as a map. */
export function attributeMap(value: unknown): Record<string, string> {
  const map: Record<string, string> = {};
  for (const item of Array.isArray(value) ? value : []) {
    if (isJsonObject(item) && typeof item.Name === "string" && typeof item.Value === "string") map[item.Name] = item.Value;
  }
  return map;
}

/** The configured name of a client: what follows `<stack>-` when its name has that prefix, else its name made a valid one. */
function clientName(described: string, stackName: string): string {
  const rest = described.startsWith(`${stackName}-`) ? described.slice(stackName.length + 1) : undefined;
  if (rest !== undefined && CLIENT_NAME.pattern.test(rest)) return rest;
  const made = slug(described, 63);
  return CLIENT_NAME.pattern.test(made) ? made : "client";
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let i = 2; used.has(candidate); i++) candidate = `${name.slice(0, 60)}-${i}`;
  used.add(candidate);
  return candidate;
}

/** Lowercase letters and digits, every other run of characters one hyphen, starting with a letter. */
function slug(text: string, maxLength: number): string {
  let s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "");
  s = s.slice(0, maxLength).replace(/-+$/, "");
  return s;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Code-point order: the same on every machine, whatever the locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How adopt quotes a described value: whole (a name is never cut), and "not set" when the description has none. */
const DESCRIBED: ShowOptions = { absent: "not set", whole: true };
