/**
 * Generated configurations of realistic API sizes, for `bench/scale.ts` and the scale tests: one
 * resource server with 20 scopes, browser and machine clients alternating, one legacy client for
 * the application accounts (one user in ten), users
 * with three grants each, every route on the Lambda guard. Users hold one of ten roles (the same
 * three grants), as teams grant access in practice; `uniqueGrants` gives every user grants of its
 * own instead, the worst case for access profiles (the `worst` size). Deterministic: the same size gives the same
 * document.
 */

/** The sizes `npm run bench:scale` measures. */
export const SCALE_SIZES = {
  small: { routes: 12, clients: 5, users: 10 },
  medium: { routes: 60, clients: 21, users: 50 },
  large: { routes: 240, clients: 41, users: 200 },
  /**
   * The shape where access profiles do not group: every user holds grants of its own, 20 browser
   * clients (and 20 machine clients), 240 routes, 200 users: about 4,000 profiles × 240 routes.
   */
  worst: { routes: 240, clients: 40, users: 200, uniqueGrants: true },
} as const satisfies Record<string, ScaleShape>;

/** A size name. */
export type ScaleSize = keyof typeof SCALE_SIZES;

/** The shape of one size. */
export interface ScaleShape {
  readonly routes: number;
  /** Browser and machine clients, alternating (a legacy client comes on top). */
  readonly clients: number;
  readonly users: number;
  /**
   * Every user holds grants of its own (no two users share a grant set).
   *
   * @default false: users hold one of ten roles
   */
  readonly uniqueGrants?: boolean;
}

const IDENTIFIER = "api.example.com";
const SCOPE_COUNT = 20;
const METHODS = ["GET", "POST", "PUT", "DELETE"] as const;
const ROLES = 10;

/** The route of index `i`: four methods on each of `/r<n>` and `/r<n>/{id}`, so resources stay few. */
function route(i: number): { method: string; path: string } {
  const resource = Math.floor(i / 8);
  const method = METHODS[i % 4]!;
  const path = i % 8 < 4 ? `/r${resource}` : `/r${resource}/{id}`;
  return { method, path };
}

/**
 * A configuration document (before validation) of the given shape.
 *
 * @param name - the stack name
 * @param shape - how many routes, clients and users
 * @returns the document `parseConfig` accepts
 */
export function scaleConfigDocument(
  name: string,
  shape: ScaleShape,
  options: { readonly uniqueGrants?: boolean } = {},
): Record<string, any> {
  const scope = (i: number) => `${IDENTIFIER}/s${i % SCOPE_COUNT}`;
  const routes = Array.from({ length: shape.routes }, (_, i) => ({ ...route(i), guard: "lambda", scopes: [scope(i), scope(i + 7)] }));
  const clients = Array.from({ length: shape.clients }, (_, i) =>
    i % 2 === 0
      ? {
          name: `web${i}`,
          kind: "browser",
          scopes: ["openid", scope(i), scope(i + 1), scope(i + 2)],
          callbackUrls: [`https://app${i}.example.com/callback`],
          logoutUrls: [`https://app${i}.example.com/signed-out`],
        }
      : { name: `svc${i}`, kind: "machine", scopes: [scope(i), scope(i + 3)] },
  );
  const users = Array.from({ length: shape.users }, (_, i) => ({ username: `user${i}`, email: `user${i}@example.com` }));
  const key = (i: number) => {
    const { method, path } = route(i % shape.routes);
    return `${method} ${path}`;
  };
  const grants = [
    ...users.map((user, i) => {
      const r = (options.uniqueGrants ?? shape.uniqueGrants) === true ? i : i % ROLES;
      return { principal: { user: user.username }, routes: [...new Set([key(r), key(r * 3 + 1), key(r * 7 + 2)])] };
    }),
    ...clients
      .filter((client) => client.kind === "machine")
      .map((client, i) => ({ principal: { client: client.name }, routes: [...new Set([key(i * 5), key(i * 5 + 4)])] })),
  ];
  return {
    name,
    userPool: { domainPrefix: `${name}-auth` },
    resourceServers: [
      {
        identifier: IDENTIFIER,
        scopes: Array.from({ length: SCOPE_COUNT }, (_, i) => ({ name: `s${i}`, description: `Scope ${i}` })),
      },
    ],
    // One user in ten is an application account designated for Basic.
    appClients: [
      ...clients,
      { name: "legacy", kind: "legacy", basicUsers: users.filter((_, i) => i % 10 === 0).map((user) => user.username) },
    ],
    users,
    api: { routes },
    authorizationTable: { grants },
  };
}
