/**
 * The vocabulary of the effective access matrix: who calls (callers), what they call (routes), and
 * for every pair whether API Gateway lets the request through and why (cells). Plain data, so a
 * matrix can be written to JSON, read back and compared with another.
 *
 * @packageDocumentation
 */
import type { HttpMethod } from "../functions/authorizer/routes";
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

/** One caller on one route. */
export interface MatrixCell {
  /** {@link MatrixCaller.id}. */
  readonly caller: string;
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
  readonly callers: readonly MatrixCaller[];
  /** Row-major: every caller × every route, in caller then route order. */
  readonly cells: readonly MatrixCell[];
  /** What the reader should know to interpret principals and rows. */
  readonly notes: readonly string[];
}

/**
 * The cell of `callerId` on `routeKey`.
 *
 * @returns the cell, or `undefined` when either is not part of the matrix
 */
export function cellOf(matrix: AccessMatrix, callerId: string, routeKey: string): MatrixCell | undefined {
  return matrix.cells.find((cell) => cell.caller === callerId && cell.route === routeKey);
}
