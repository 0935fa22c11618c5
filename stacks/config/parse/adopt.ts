import { show } from "../errors";
import { AdoptConfig, AppClientConfig, GroupConfig, ResourceServerConfig, UserConfig, UserPoolConfig } from "../model";
import { Reader, at } from "../reader";
import { isJsonObject } from "../../../core/json";
import { list } from "./shared";
import { CONFIGURATION_DEFAULTS } from "../../../core/defaults";

const DEFAULTS = CONFIGURATION_DEFAULTS.adopt;

/**
 * A user pool id as Cognito issues it, `<region>_<id>`.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPool.html
 */
const USER_POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d)_[0-9A-Za-z]+$/;

/**
 * An app client id (`[\w+]+`, at most 128 characters).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPoolClient.html
 */
const CLIENT_ID = /^[\w+]{1,128}$/;

/** What the `adopt` section refers to: the configuration's own entries. */
export interface AdoptTargets {
  readonly region: string;
  readonly userPool: UserPoolConfig;
  readonly resourceServers: readonly ResourceServerConfig[];
  readonly appClients: readonly AppClientConfig[];
  readonly groups: readonly GroupConfig[];
  readonly users: readonly UserConfig[];
}

/**
 * The `adopt` section: the pool id in the stack's region, and names that each exist in the
 * configuration (an adopted resource the configuration does not describe would be destroyed by the
 * first apply after its import, so it is refused here).
 */
export function readAdopt(r: Reader, value: unknown, targets: AdoptTargets): AdoptConfig {
  const path = "adopt";
  const o = r.object(value, path, ["userPoolId", "domain", "resourceServers", "clients", "groups", "users"]) ?? {};
  const userPoolId = r.string(o, "userPoolId", path, { hint: "the pool's Id from aws cognito-idp describe-user-pool, <region>_<id>" });
  const match = USER_POOL_ID.exec(userPoolId);
  if (userPoolId !== "" && match === null) {
    r.report(
      at(path, "userPoolId"),
      `must be a user pool id <region>_<id>, got ${show(userPoolId)}; copy UserPool.Id from describe-user-pool`,
    );
  } else if (match !== null && match[1] !== targets.region) {
    r.report(
      at(path, "userPoolId"),
      `the pool is in region ${show(match[1])} but the stack's region is ${show(targets.region)}, got ${show(userPoolId)}; ` +
        "set region to the pool's region",
    );
  }
  if (targets.userPool.existing !== undefined) {
    r.report(
      path,
      "cannot be combined with userPool.existing: an attached pool stays unmanaged, an adopted one is managed by this stack; " +
        "remove one of the two",
    );
  }

  // A created pool always has userPool.domainPrefix (it is required), so the adopted domain is that one.
  const domain = r.boolean(o, "domain", path, { default: DEFAULTS.domain });
  const named = (key: "resourceServers" | "groups" | "users", known: readonly string[], what: string): string[] => {
    const names = r.strings(o, key, path, { default: DEFAULTS[key] });
    const written = Array.isArray(o[key]) ? (o[key] as readonly unknown[]) : [];
    names.forEach((name) => {
      if (!known.includes(name)) {
        r.report(
          at(at(path, key), written.indexOf(name)),
          `${what} ${show(name)} is not configured; configured: ${list(known)}; add it to ${key} so the import keeps it, or remove it here`,
        );
      }
    });
    return names;
  };
  const resourceServers = named(
    "resourceServers",
    targets.resourceServers.map((s) => s.identifier),
    "resource server",
  );
  const groups = named(
    "groups",
    targets.groups.map((g) => g.name),
    "group",
  );
  const users = named(
    "users",
    targets.users.map((u) => u.username),
    "user",
  );

  const clients: Record<string, string> = {};
  const clientsPath = at(path, "clients");
  if (o.clients !== undefined && !isJsonObject(o.clients)) {
    r.report(clientsPath, `must map app client names to their client ids, got ${show(o.clients)}`);
  } else if (o.clients !== undefined) {
    const known = targets.appClients.map((c) => c.name);
    const seen = new Map<string, string>();
    for (const [name, id] of Object.entries(o.clients)) {
      const idPath = at(clientsPath, name);
      if (!known.includes(name)) {
        r.report(idPath, `app client ${show(name)} is not configured; configured: ${list(known)}; add it to appClients, or remove it here`);
      } else if (typeof id !== "string" || !CLIENT_ID.test(id)) {
        r.report(idPath, `must be the client's ClientId from describe-user-pool-client (letters, digits, _ and +), got ${show(id)}`);
      } else if (seen.has(id)) {
        r.report(idPath, `client id ${show(id)} is also given for ${show(seen.get(id))}; each existing client is adopted once`);
      } else {
        seen.set(id, name);
        clients[name] = id;
      }
    }
  }
  return { userPoolId, domain, resourceServers, clients, groups, users };
}
