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
  return [
    ...browserUserCallers(config, browsers),
    ...idTokenCallers(browsers),
    ...machineCallers(config, machines),
    ...basicCallers(config, legacy),
  ];
}

/** 1. Each configured user through each browser client, with an access token carrying every scope the client allows. */
function browserUserCallers(config: ScopegateConfig, browsers: readonly AppClientConfig[]): ListedCaller[] {
  return browsers.flatMap((client) =>
    config.users.map((user): ListedCaller => ({
      id: `user:${user.username}@${client.name}`,
      kind: "browser-user",
      label: `${user.username} through ${client.name}`,
      credentialLabel: `access token, authorization code + PKCE via ${client.name}`,
      credential: { kind: "access-token", scopes: client.scopes },
      principal: userPrincipalOf(config, user),
      client: client.name,
      username: user.username,
      grants: grantsOf(config, { user: user.username }),
    })),
  );
}

/** 2. An ID token through each browser client that may ask for `openid` (any user). */
function idTokenCallers(browsers: readonly AppClientConfig[]): ListedCaller[] {
  return browsers.filter(issuesIdTokens).map((client): ListedCaller => ({
    id: `id-token@${client.name}`,
    kind: "id-token",
    label: `ID token through ${client.name}`,
    credentialLabel: `any user's ID token via ${client.name} (it asks for openid)`,
    credential: { kind: "id-token" },
    principal: "(none)",
    client: client.name,
    grants: [],
  }));
}

/** 3. Each machine client, with a client_credentials token carrying every custom scope it allows. */
function machineCallers(config: ScopegateConfig, machines: readonly AppClientConfig[]): ListedCaller[] {
  return machines.map((client): ListedCaller => ({
    id: `client:${client.name}`,
    kind: "machine",
    label: `${client.name} (client_credentials)`,
    credentialLabel: `access token, client_credentials of ${client.name}`,
    credential: { kind: "access-token", scopes: client.scopes },
    principal: clientPrincipal(`<id of ${client.name}>`),
    client: client.name,
    grants: grantsOf(config, { client: client.name }),
  }));
}

/**
 * 4. Each configured user with Basic credentials when a legacy client exists, marked designated or
 * not; otherwise one "Basic credentials" row that the authorizer refuses (`BASIC_DISABLED`).
 */
function basicCallers(config: ScopegateConfig, legacy: AppClientConfig | undefined): ListedCaller[] {
  if (legacy === undefined) {
    return [
      {
        id: "basic:*",
        kind: "basic-disabled",
        label: "Basic credentials (no legacy client)",
        credentialLabel: "any Basic username and password",
        credential: { kind: "basic", enabled: false },
        principal: "(none)",
        grants: [],
      },
    ];
  }
  const designated = designatedBasicUsers(legacy.basicUsers);
  return config.users.map((user): ListedCaller => {
    const isDesignated = isDesignatedBasicUser(designated, user.username);
    return {
      id: `basic:${user.username}`,
      kind: "basic-user",
      label: `${user.username} with Basic${isDesignated ? " (designated)" : " (not designated)"}`,
      credentialLabel: isDesignated
        ? `Basic username and password, signed in through ${legacy.name} (a designated Basic account)`
        : `Basic username and password: refused, not among ${legacy.name}'s basicUsers`,
      credential: { kind: "basic", enabled: true, designated: isDesignated },
      // Refused before any grant lookup unless designated.
      principal: isDesignated ? userPrincipalOf(config, user) : "(none)",
      client: legacy.name,
      username: user.username,
      grants: grantsOf(config, { user: user.username }),
    };
  });
}

/** The routes the grants table gives a principal. */
function grantsOf(config: ScopegateConfig, principal: PrincipalRef): readonly string[] {
  return config.authorizationTable.grants.find((grant) => samePrincipal(grant.principal, principal))?.routes ?? [];
}

/** A user's principal in the grants table. */
function userPrincipalOf(config: ScopegateConfig, user: UserConfig): string {
  // With e-mail sign-in the username Cognito puts in tokens is the generated sub, known after apply
  // (or declared, for a person already in an attached pool).
  return userPrincipal(config.userPool.signInWith === "email" ? (user.sub ?? `<sub of ${user.username}>`) : user.username);
}

function issuesIdTokens(client: AppClientConfig): boolean {
  return client.scopes.includes("openid");
}

function samePrincipal(a: PrincipalRef, b: PrincipalRef): boolean {
  return "user" in a ? "user" in b && a.user === b.user : "client" in b && a.client === b.client;
}
