/**
 * The vocabulary of the effective access matrix: who calls (callers), the access profiles they fall
 * into (callers with the same credential kind, client, token scopes and grants get the same answer
 * everywhere), what they call (routes), and for every profile and route whether API Gateway lets the
 * request through and why (cells). Plain data, so a matrix can be written to JSON, read back and
 * compared with another. The matrix grows with profiles × routes, not with users × clients × routes.
 *
 * @packageDocumentation
 */
import type { HttpMethod } from "../core/routes";
import type { Guard } from "../stacks/config/model";
import type { MatrixReason } from "./reasons";

/** How a caller authenticates. */
export type CallerKind =
  /** A configured user with an access token from a browser client (authorization code + PKCE). */
  | "browser-user"
  /** Any user's ID token from a browser client that may ask for `openid`. */
  | "id-token"
  /** A machine client with a client_credentials access token. */
  | "machine"
  /** A configured user sending `Authorization: Basic` (signed in through the legacy client). */
  | "basic-user"
  /** Basic credentials when no legacy client exists: refused everywhere. */
  | "basic-disabled";

/** What the caller presents in `Authorization`. */
export type CallerCredential =
  | {
      readonly kind: "access-token";
      /** Every scope the token can carry: all the app client's allowed scopes. */
      readonly scopes: readonly string[];
    }
  | { readonly kind: "id-token" }
  | {
      readonly kind: "basic";
      /** Whether a legacy client exists, so the authorizer has a `BASIC_AUTH_CLIENT_ID`. */
      readonly enabled: boolean;
      /**
       * Whether the user is one of the legacy client's designated Basic accounts (`basicUsers`);
       * anyone else is refused before Cognito is asked. Absent for the "Basic disabled" row.
       */
      readonly designated?: boolean;
    };

/** One kind of caller: a row of the matrix. */
export interface MatrixCaller {
  /**
   * Stable id, used to match callers between two matrices: `user:<username>@<client>`,
   * `id-token@<client>`, `client:<client>`, `basic:<username>`, `basic:*`.
   */
  readonly id: string;
  readonly kind: CallerKind;
  /** Readable name, e.g. `alice through web`. */
  readonly label: string;
  /** How it obtains its credential, e.g. `access token, authorization code + PKCE via web`. */
  readonly credentialLabel: string;
  readonly credential: CallerCredential;
  /**
   * The grants key the authorizer looks up, symbolic where the value exists only after apply:
   * `user#alice`, `user#<sub of alice@example.com>` (e-mail sign-in: tokens carry the `sub`),
   * `client#<id of machine>`, or `(none)` when refused before any lookup.
   */
  readonly principal: string;
  /** The configured app client it uses, when there is one. */
  readonly client?: string;
  /** The configured user, when there is one. */
  readonly username?: string;
  /** The principal's grants from `authorizationTable`, `"<METHOD|*> <resource path>"` each. */
  readonly grants: readonly string[];
  /** The {@link AccessProfile.id} of the profile it falls into. */
  readonly profile: string;
}

/** A caller before it is grouped into a profile. */
export type ListedCaller = Omit<MatrixCaller, "profile">;

/**
 * Callers that get the same answer on every route: the same kind, client, credential (token scopes)
 * and grants. A row of the matrix.
 */
export interface AccessProfile {
  /** `p<n>`, in order of first appearance; unique within one matrix only. */
  readonly id: string;
  readonly kind: CallerKind;
  /** Readable name, e.g. `alice through web`, or `user0, user5 … 12 users through web0`. */
  readonly label: string;
  readonly credentialLabel: string;
  readonly credential: CallerCredential;
  readonly client?: string;
  readonly grants: readonly string[];
  /** Its caller's principal, or `each of <n> principals` for a group. */
  readonly principal: string;
  /** The callers ({@link MatrixCaller.id}) in it, in caller order. */
  readonly callers: readonly string[];
}

/** One route of the API: a column of the matrix. */
export interface MatrixRoute {
  /** `"<METHOD> <resource path>"`. */
  readonly key: string;
  readonly method: HttpMethod;
  readonly path: string;
  /** `lambda` (scopegate authorizer: scope and grant) or `cognito` (native authorizer: scope only). */
  readonly guard: Guard;
  /** A Bearer token must hold one of these; none when empty (lambda guard only). */
  readonly scopes: readonly string[];
}

/** HTTP status a caller sees: 200 when the backend is called. */
export type MatrixStatus = 200 | 401 | 403;

/** One access profile on one route. */
export interface MatrixCell {
  /** {@link AccessProfile.id}. */
  readonly profile: string;
  /** {@link MatrixRoute.key}. */
  readonly route: string;
  /** Whether API Gateway calls the backend. */
  readonly allowed: boolean;
  readonly httpStatus: MatrixStatus;
  /** `ALLOWED`, a reason code of the authorizer, or a matrix reason for the native guard. */
  readonly reason: MatrixReason;
  /** The route's scopes that the credential holds (what lets it through, when allowed). */
  readonly scopesUsed: readonly string[];
  /** The grant that covers the route, when one does (lambda guard). */
  readonly grantUsed?: string;
  /** Why, in one line. */
  readonly why: string;
}

/** The effective access of one configuration (one stack). */
export interface AccessMatrix {
  /** Stack name (the configuration's `name`). */
  readonly stack: string;
  /** Where the configuration came from, e.g. `the built-in example`. */
  readonly source: string;
  readonly routes: readonly MatrixRoute[];
  /** Every caller, each naming its profile. */
  readonly callers: readonly MatrixCaller[];
  /** The rows: callers grouped by what they may call. */
  readonly profiles: readonly AccessProfile[];
  /** Row-major: every profile × every route, in profile then route order. */
  readonly cells: readonly MatrixCell[];
  /** What the reader should know to interpret principals and rows. */
  readonly notes: readonly string[];
}

interface MatrixIndex {
  readonly profileRow: ReadonlyMap<string, number>;
  readonly routeColumn: ReadonlyMap<string, number>;
  readonly callerProfile: ReadonlyMap<string, string>;
}

const indexes = new WeakMap<AccessMatrix, MatrixIndex>();

function indexOf(matrix: AccessMatrix): MatrixIndex {
  let index = indexes.get(matrix);
  if (index === undefined) {
    index = {
      profileRow: new Map(matrix.profiles.map((profile, row) => [profile.id, row])),
      routeColumn: new Map(matrix.routes.map((route, column) => [route.key, column])),
      callerProfile: new Map(matrix.callers.map((caller) => [caller.id, caller.profile])),
    };
    indexes.set(matrix, index);
  }
  return index;
}

/**
 * The cell of a profile on a route, by position (constant time).
 *
 * @returns the cell, or `undefined` when either is not part of the matrix
 */
export function profileCellOf(matrix: AccessMatrix, profileId: string, routeKey: string): MatrixCell | undefined {
  const { profileRow, routeColumn } = indexOf(matrix);
  const row = profileRow.get(profileId);
  const column = routeColumn.get(routeKey);
  return row === undefined || column === undefined ? undefined : matrix.cells[row * matrix.routes.length + column];
}

/**
 * The cell of `callerId` on `routeKey`: its profile's.
 *
 * @returns the cell, or `undefined` when either is not part of the matrix
 */
export function cellOf(matrix: AccessMatrix, callerId: string, routeKey: string): MatrixCell | undefined {
  const profile = indexOf(matrix).callerProfile.get(callerId);
  return profile === undefined ? undefined : profileCellOf(matrix, profile, routeKey);
}
