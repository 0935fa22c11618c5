/**
 * The Cedar twin of a configuration: the access of every configured route for every caller, stated
 * as Cedar policies with their schema and entities, one more rendering of the model the access
 * matrix renders (`docs/cedar.md`). Synth writes it per stack under `cedar/`; the equality tests ask
 * it every cell of the matrix and find the same answer.
 *
 * - `lambda` routes: an access token of a browser or machine client (`APP_CLIENT_IDS`) holding one of
 *   the route's scopes (none required when the route has none) and a grant covering the route; Basic
 *   for the legacy client's designated accounts, with a grant covering the route.
 * - `cognito` routes: the native authorizer's rule: an access token holding one of the route's scopes,
 *   grants play no part.
 *
 * Grants are entity attributes (`grants` of each `User` and `Client`, the strings of the configuration
 * as written), and each route's policy names the grants that cover it (`"GET /items"` and
 * `"* /items"`): the same question the authorizer asks its table. Pure: no file, no wasm.
 *
 * @packageDocumentation
 */
import { formatRouteKey } from "../../core/routes";
import { designatedBasicUsers, isDesignatedBasicUser } from "../../contracts/basic-users";
import type { PrincipalRef, RouteConfig, ScopegateConfig } from "../config/model";
import { cedarString } from "./text";

/** The namespace of every type and action of the twin. */
export const CEDAR_NAMESPACE = "Scopegate";

/** The folder of a stack's output that holds the twin. */
export const CEDAR_FOLDER = "cedar";

/** The twin's files inside {@link CEDAR_FOLDER}. */
export const CEDAR_FILES = {
  schema: "schema.cedarschema.json",
  policies: "policies.cedar",
  entities: "entities.json",
} as const;

/** One static policy: its id (its `@id` annotation), its whole text, and its statement without the annotation. */
export interface CedarPolicy {
  readonly id: string;
  /** `@id("…")`, a line break, then {@link statement}: what `policies.cedar` holds. */
  readonly text: string;
  /** The policy without its annotation (what Verified Permissions stores; its description holds the id). */
  readonly statement: string;
}

/** An entity reference, as Cedar's JSON formats write one. */
export interface CedarUid {
  readonly type: string;
  readonly id: string;
}

/** One entity of `entities.json`. */
export interface CedarEntity {
  readonly uid: CedarUid;
  readonly attrs: Readonly<Record<string, boolean | readonly string[]>>;
  readonly parents: readonly CedarUid[];
}

/** The twin of one stack. */
export interface CedarTwin {
  /** The stack name: the id of the `Api` resource. */
  readonly stack: string;
  /** The Cedar JSON schema (`schema.cedarschema.json`). */
  readonly schema: Record<string, unknown>;
  /** The static policies, in route order (`policies.cedar`). */
  readonly policies: readonly CedarPolicy[];
  /** The users, machine clients and the API (`entities.json`). */
  readonly entities: readonly CedarEntity[];
}

/** The context of every request: how the caller authenticated, through which app client, with which scopes. */
export interface CedarContext {
  readonly credential: "access-token" | "id-token" | "basic";
  readonly client: string;
  readonly scopes: readonly string[];
}

/** A question to the twin, in the shape `isAuthorized` takes. */
export interface CedarRequest {
  readonly principal: CedarUid;
  readonly action: CedarUid;
  readonly resource: CedarUid;
  readonly context: CedarContext;
}

/** Who asks, in the request shape `docs/cedar.md` fixes. */
export type CedarCaller =
  /** A user's access token from a browser client, holding `scopes`. */
  | { readonly kind: "access-token"; readonly username: string; readonly client: string; readonly scopes: readonly string[] }
  /** A user's ID token from a browser client. */
  | { readonly kind: "id-token"; readonly username: string; readonly client: string }
  /** A machine client's client_credentials token, holding `scopes`. */
  | { readonly kind: "machine"; readonly client: string; readonly scopes: readonly string[] }
  /** A user's Basic credentials, signed in through the legacy client `client`. */
  | { readonly kind: "basic"; readonly username: string; readonly client: string };

const type = (name: string): string => `${CEDAR_NAMESPACE}::${name}`;

/**
 * The request that asks whether `caller` may call `routeKey` of the stack `stack`.
 *
 * @param stack - the stack (configuration) name
 * @param routeKey - the route as the configuration writes it, `"<METHOD> <path>"`
 * @param caller - who calls, and with what
 */
export function cedarRequest(stack: string, routeKey: string, caller: CedarCaller): CedarRequest {
  const ask = (principal: CedarUid, credential: CedarContext["credential"], scopes: readonly string[]): CedarRequest => ({
    principal,
    action: { type: type("Action"), id: routeKey },
    resource: { type: type("Api"), id: stack },
    context: { credential, client: caller.client, scopes },
  });
  // One case a row of the request table in docs/cedar.md.
  switch (caller.kind) {
    case "access-token":
      return ask({ type: type("User"), id: caller.username }, "access-token", caller.scopes);
    case "id-token":
      return ask({ type: type("User"), id: caller.username }, "id-token", []);
    case "machine":
      return ask({ type: type("Client"), id: caller.client }, "access-token", caller.scopes);
    case "basic":
      return ask({ type: type("User"), id: caller.username }, "basic", []);
  }
}

const STRING_SET = { type: "Set", element: { type: "String" } } as const;

/**
 * The twin of one configuration.
 *
 * @param config - the validated configuration of one stack (or the model its output records)
 */
export function renderCedarTwin(config: ScopegateConfig): CedarTwin {
  const tokenClients = config.appClients.filter((client) => client.kind !== "legacy").map((client) => client.name);
  const legacy = config.appClients.find((client) => client.kind === "legacy");
  const resource = `${type("Api")}::${cedarString(config.name)}`;
  const policies = config.api.routes.flatMap((route) => routePolicies(route, resource, tokenClients, legacy?.name));
  const routeKeys = config.api.routes.map((route) => formatRouteKey({ method: route.method, resourcePath: route.path }));
  const schema = {
    [CEDAR_NAMESPACE]: {
      commonTypes: {
        RequestContext: {
          type: "Record",
          attributes: { credential: { type: "String" }, client: { type: "String" }, scopes: STRING_SET },
        },
      },
      entityTypes: {
        User: { shape: { type: "Record", attributes: { grants: STRING_SET, designatedBasic: { type: "Boolean" } } } },
        Client: { shape: { type: "Record", attributes: { grants: STRING_SET } } },
        Api: {},
      },
      actions: Object.fromEntries(
        routeKeys.map((key) => [
          key,
          { appliesTo: { principalTypes: ["User", "Client"], resourceTypes: ["Api"], context: { type: "RequestContext" } } },
        ]),
      ),
    },
  };
  const grantsOf = (principal: PrincipalRef): string[] =>
    config.authorizationTable.grants.filter((grant) => samePrincipal(grant.principal, principal)).flatMap((grant) => grant.routes);
  const designated = designatedBasicUsers(legacy?.basicUsers ?? []);
  const entities: CedarEntity[] = [
    ...config.users.map((user) => ({
      uid: { type: type("User"), id: user.username },
      attrs: {
        grants: grantsOf({ user: user.username }),
        designatedBasic: legacy !== undefined && isDesignatedBasicUser(designated, user.username),
      },
      parents: [],
    })),
    ...config.appClients
      .filter((client) => client.kind === "machine")
      .map((client) => ({
        uid: { type: type("Client"), id: client.name },
        attrs: { grants: grantsOf({ client: client.name }) },
        parents: [],
      })),
    { uid: { type: type("Api"), id: config.name }, attrs: {}, parents: [] },
  ];
  return { stack: config.name, schema, policies, entities };
}

/** The policies of one route: who gets 200 on it. */
function routePolicies(route: RouteConfig, resource: string, tokenClients: readonly string[], legacy: string | undefined): CedarPolicy[] {
  const key = formatRouteKey({ method: route.method, resourcePath: route.path });
  const scope = (principal: string) =>
    [`permit (`, `  ${principal},`, `  action == ${type("Action")}::${cedarString(key)},`, `  resource == ${resource}`, `)`].join("\n");
  const policy = (id: string, principal: string, conditions: readonly string[]): CedarPolicy => {
    const statement = `${scope(principal)}\nwhen {\n  ${conditions.join(" &&\n  ")}\n};`;
    return { id, text: `@id(${cedarString(id)})\n${statement}`, statement };
  };
  const list = (values: readonly string[]) => `[${values.map(cedarString).join(", ")}]`;
  const covering = list([key, `* ${route.path}`]);
  if (route.guard === "cognito") {
    // The native authorizer: scopes only; a method without scopes takes ID tokens (the configuration refuses such a route).
    return [
      route.scopes.length === 0
        ? policy(`${key} cognito id-token`, "principal", ['context.credential == "id-token"'])
        : policy(`${key} cognito access-token`, "principal", [
            'context.credential == "access-token"',
            `context.scopes.containsAny(${list(route.scopes)})`,
          ]),
    ];
  }
  const policies: CedarPolicy[] = [];
  if (tokenClients.length > 0) {
    policies.push(
      policy(`${key} lambda access-token`, "principal", [
        'context.credential == "access-token"',
        `${list(tokenClients)}.contains(context.client)`,
        ...(route.scopes.length === 0 ? [] : [`context.scopes.containsAny(${list(route.scopes)})`]),
        `principal.grants.containsAny(${covering})`,
      ]),
    );
  }
  if (legacy !== undefined) {
    policies.push(
      policy(`${key} lambda basic`, `principal is ${type("User")}`, [
        'context.credential == "basic"',
        `context.client == ${cedarString(legacy)}`,
        "principal.designatedBasic",
        `principal.grants.containsAny(${covering})`,
      ]),
    );
  }
  return policies;
}

function samePrincipal(a: PrincipalRef, b: PrincipalRef): boolean {
  return "user" in a ? "user" in b && a.user === b.user : "client" in b && a.client === b.client;
}

/** The text of `policies.cedar`: a header, then each policy, one blank line between. */
export function policiesText(policies: readonly CedarPolicy[]): string {
  const header = [
    "// The Cedar twin of this stack's access, written by npm run synth from its configuration (docs/cedar.md).",
    "// Allow means the caller gets 200 from API Gateway; anything else is refused. Do not edit: npm run check",
    "// compares this file with what the stack's model gives.",
  ].join("\n");
  return `${[header, ...policies.map((policy) => policy.text)].join("\n\n")}\n`;
}

/**
 * The files of the twin, by name inside {@link CEDAR_FOLDER}, in a fixed order; the same
 * configuration always gives the same bytes.
 */
export function cedarTwinFiles(twin: CedarTwin): ReadonlyMap<string, string> {
  return new Map([
    [CEDAR_FILES.schema, `${JSON.stringify(twin.schema, null, 2)}\n`],
    [CEDAR_FILES.policies, policiesText(twin.policies)],
    [CEDAR_FILES.entities, `${JSON.stringify(twin.entities, null, 2)}\n`],
  ]);
}
