import { AdoptConfig } from "./config/model";
import { AppClient } from "./constructs/app-client";
import { ResourceServer } from "./constructs/resource-server";
import { UserAccounts } from "./constructs/user-accounts";
import { UserPool } from "./constructs/user-pool";
import { ImportBlock } from "./import-block";

/**
 * The import id of each adopted Cognito resource, as provider hashicorp/aws 5.100 reads it (each
 * resource page's "Import" section). `aws_cognito_user_in_group` has no import: a membership the
 * configuration lists is created (Cognito adds a user to a group it is already in without error).
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/cognito_user_pool#import
 */
export const COGNITO_IMPORT_ID = {
  /** `aws_cognito_user_pool`: the pool id. */
  userPool: (userPoolId: string): string => userPoolId,
  /** `aws_cognito_user_pool_domain`: the domain (the prefix of a Cognito domain). */
  domain: (domain: string): string => domain,
  /** `aws_cognito_resource_server`: `<pool id>|<identifier>`. */
  resourceServer: (userPoolId: string, identifier: string): string => `${userPoolId}|${identifier}`,
  /** `aws_cognito_user_pool_client`: `<pool id>/<client id>`. */
  appClient: (userPoolId: string, clientId: string): string => `${userPoolId}/${clientId}`,
  /** `aws_cognito_user_group`: `<pool id>/<group name>`. */
  group: (userPoolId: string, name: string): string => `${userPoolId}/${name}`,
  /** `aws_cognito_user`: `<pool id>/<username>`. */
  user: (userPoolId: string, username: string): string => `${userPoolId}/${username}`,
} as const;

/** The stack's Cognito constructs that adopted resources are imported into. */
export interface AdoptionTargets {
  readonly userPool: UserPool;
  readonly resourceServers: readonly ResourceServer[];
  readonly clients: ReadonlyMap<string, AppClient>;
  readonly accounts: UserAccounts;
}

/**
 * Writes one Terraform `import` block ({@link ImportBlock}) for each resource `adopt` names, next
 * to the resource it is imported into (construct id `import`). Configuration validation has matched
 * every name to a configured entry; a name without its construct here is a bug, thrown as such.
 */
export function importAdopted(adopt: AdoptConfig, targets: AdoptionTargets): void {
  const poolId = adopt.userPoolId;
  const { userPool } = targets;
  if (userPool.resource === undefined)
    throw new Error("adopt needs a managed user pool; configuration validation refuses it with userPool.existing");
  new ImportBlock(userPool, "pool-import", { resource: userPool.resource, id: COGNITO_IMPORT_ID.userPool(poolId) });
  if (adopt.domain) {
    const domain = userPool.domain;
    if (domain === undefined) throw new Error("adopt.domain without a domain; configuration validation should have refused it");
    new ImportBlock(userPool, "domain-import", { resource: domain, id: COGNITO_IMPORT_ID.domain(domain.domainInput ?? "") });
  }
  for (const identifier of adopt.resourceServers) {
    const server = targets.resourceServers.find((candidate) => candidate.identifier === identifier);
    if (server === undefined) throw new Error(`adopt names unknown resource server "${identifier}"`);
    new ImportBlock(server, "import", { resource: server.resource, id: COGNITO_IMPORT_ID.resourceServer(poolId, identifier) });
  }
  for (const [name, clientId] of Object.entries(adopt.clients)) {
    const client = targets.clients.get(name);
    if (client === undefined) throw new Error(`adopt names unknown app client "${name}"`);
    new ImportBlock(client, "import", { resource: client.resource, id: COGNITO_IMPORT_ID.appClient(poolId, clientId) });
  }
  for (const name of adopt.groups) {
    const group = targets.accounts.groups.get(name);
    if (group === undefined) throw new Error(`adopt names unknown group "${name}"`);
    new ImportBlock(targets.accounts, `group-${name}-import`, { resource: group, id: COGNITO_IMPORT_ID.group(poolId, name) });
  }
  for (const username of adopt.users) {
    const user = targets.accounts.users.get(username);
    if (user === undefined) throw new Error(`adopt names unknown user "${username}"`);
    new ImportBlock(targets.accounts, `user-${username}-import`, { resource: user, id: COGNITO_IMPORT_ID.user(poolId, username) });
  }
}
