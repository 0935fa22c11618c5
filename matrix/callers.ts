/**
 * Every kind of caller a configuration lets in: the rows of the access matrix.
 *
 * @packageDocumentation
 */
import { designatedBasicUsers, isDesignatedBasicUser } from "../contracts/basic-users";
import { clientPrincipal, userPrincipal } from "../core/grant-item";
import type { AppClientConfig, PrincipalRef, ScopegateConfig, UserConfig } from "../stacks/config/model";
import type { ListedCaller } from "./model";

/**
 * Lists the callers of a configuration, in this order:
 *
 * 1. each configured user through each browser client, with an access token carrying every scope
 *    the client allows (authorization code + PKCE);
 * 2. an ID token through each browser client that may ask for `openid` (any user);
 * 3. each machine client, with a client_credentials token carrying every custom scope it allows;
 * 4. each configured user with Basic credentials, when a legacy client exists (marked designated or
 *    not: only the legacy client's `basicUsers` may use Basic); otherwise one "Basic credentials" row
 *    that the authorizer refuses (`BASIC_DISABLED`).
 *
 * @param config - the validated configuration
 * @returns the callers; ids are stable across configurations (see {@link MatrixCaller.id})
 */
export function listCallers(config: ScopegateConfig): ListedCaller[] {
  const browsers = config.appClients.filter((client) => client.kind === "browser");
  const machines = config.appClients.filter((client) => client.kind === "machine");
  const legacy = config.appClients.find((client) => client.kind === "legacy");
  const grantsOf = (principal: PrincipalRef): readonly string[] =>
    config.authorizationTable.grants.find((grant) => samePrincipal(grant.principal, principal))?.routes ?? [];
  const userKey = (user: UserConfig): string =>
    // With e-mail sign-in the username Cognito puts in tokens is the generated sub, known after apply
    // (or declared, for a person already in an attached pool).
    userPrincipal(config.userPool.signInWith === "email" ? (user.sub ?? `<sub of ${user.username}>`) : user.username);

  const callers: ListedCaller[] = [];
  for (const client of browsers) {
    for (const user of config.users) {
      callers.push({
        id: `user:${user.username}@${client.name}`,
        kind: "browser-user",
        label: `${user.username} through ${client.name}`,
        credentialLabel: `access token, authorization code + PKCE via ${client.name}`,
        credential: { kind: "access-token", scopes: client.scopes },
        principal: userKey(user),
        client: client.name,
        username: user.username,
        grants: grantsOf({ user: user.username }),
      });
    }
  }
  for (const client of browsers.filter(issuesIdTokens)) {
    callers.push({
      id: `id-token@${client.name}`,
      kind: "id-token",
      label: `ID token through ${client.name}`,
      credentialLabel: `any user's ID token via ${client.name} (it asks for openid)`,
      credential: { kind: "id-token" },
      principal: "(none)",
      client: client.name,
      grants: [],
    });
  }
  for (const client of machines) {
    callers.push({
      id: `client:${client.name}`,
      kind: "machine",
      label: `${client.name} (client_credentials)`,
      credentialLabel: `access token, client_credentials of ${client.name}`,
      credential: { kind: "access-token", scopes: client.scopes },
      principal: clientPrincipal(`<id of ${client.name}>`),
      client: client.name,
      grants: grantsOf({ client: client.name }),
    });
  }
  if (legacy !== undefined) {
    const designated = designatedBasicUsers(legacy.basicUsers);
    for (const user of config.users) {
      const isDesignated = isDesignatedBasicUser(designated, user.username);
      callers.push({
        id: `basic:${user.username}`,
        kind: "basic-user",
        label: `${user.username} with Basic${isDesignated ? " (designated)" : " (not designated)"}`,
        credentialLabel: isDesignated
          ? `Basic username and password, signed in through ${legacy.name} (a designated Basic account)`
          : `Basic username and password: refused, not among ${legacy.name}'s basicUsers`,
        credential: { kind: "basic", enabled: true, designated: isDesignated },
        // Refused before any grant lookup unless designated.
        principal: isDesignated ? userKey(user) : "(none)",
        client: legacy.name,
        username: user.username,
        grants: grantsOf({ user: user.username }),
      });
    }
  } else {
    callers.push({
      id: "basic:*",
      kind: "basic-disabled",
      label: "Basic credentials (no legacy client)",
      credentialLabel: "any Basic username and password",
      credential: { kind: "basic", enabled: false },
      principal: "(none)",
      grants: [],
    });
  }
  return callers;
}

function issuesIdTokens(client: AppClientConfig): boolean {
  return client.scopes.includes("openid");
}

function samePrincipal(a: PrincipalRef, b: PrincipalRef): boolean {
  return "user" in a ? "user" in b && a.user === b.user : "client" in b && a.client === b.client;
}
