/**
 * The vocabulary of the effective access matrix: who calls (callers), the access profiles they fall
 * into (callers with the same credential kind, client, token scopes and grants get the same answer
 * everywhere), what they call (routes), and whether API Gateway lets each call through and why.
 *
 * The matrix is stored factored. A call is decided by two independent questions:
 *
 * - what the caller's **credential** gets on the route before any grant is read (a client's token
 *   and its scopes against the route's scopes and guard; an ID token; Basic, designated or not):
 *   one {@link MatrixCredential} row per distinct credential, one {@link CredentialCell} per route;
 * - which of the route's calls the **principal's grants** cover: one {@link MatrixGrantSet} per
 *   distinct list of grants, with the routes it covers.
 *
 * A profile names its credential row and its grant set; its cell on a route is the two joined
 * (`matrix/cells.ts`: `expandCell`). So the matrix grows with (credentials + grant sets) × routes,
 * not with profiles × routes. Plain data, so a matrix can be written to JSON, read back and
 * compared with another.
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
  /** Its credential row ({@link MatrixCredential.id}): what its credential gets on each route. */
  readonly credentialId: string;
  /** Its grant set ({@link MatrixGrantSet.id}): which routes its grants cover. */
  readonly grantSetId: string;
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

/** One access profile on one route: a cell of the full grid, as `expandCell` (matrix/cells.ts) joins it. */
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
  /** The grant that covers the route, when one does (lambda guard, once the authorizer's `decide` runs). */
  readonly grantUsed?: string;
  /** Why, in one line. */
  readonly why: string;
}

/**
 * What a credential gets on a route before any grant is read:
 *
 * - `refused`: refused whatever the principal's grants (the guard does not take the credential, or
 *   the token holds none of the route's scopes);
 * - `allowed`: allowed whatever the grants (the native Cognito guard checks scopes only);
 * - `grant`: the token checks pass and the principal's grants decide (the scopegate authorizer):
 *   allowed when a grant covers the route, else refused `GRANT_MISSING`.
 */
export type CredentialOutcome = "refused" | "allowed" | "grant";

/** One credential on one route: a cell of the client × route table. */
export interface CredentialCell {
  /** {@link MatrixRoute.key}. */
  readonly route: string;
  readonly outcome: CredentialOutcome;
  /** `refused`: the status the caller sees; otherwise 200 (the status when allowed). */
  readonly httpStatus: MatrixStatus;
  /** `refused`: why; `allowed`: the native guard's reason; `grant`: `ALLOWED` (the reason when a grant covers the route). */
  readonly reason: MatrixReason;
  /** The route's scopes that the credential holds. */
  readonly scopesUsed: readonly string[];
  /**
   * Whether the scopegate authorizer's `decide` gave this answer: the joined cell then names the
   * principal's covering grant, when it has one, refused or not.
   */
  readonly decided: boolean;
  /**
   * Why, in one line: the whole reason when `refused` or `allowed`; for `grant`, what lets the token
   * through (`scope <s>`, `no scope required`, or Basic's grants-only rule), which the joined cell
   * completes with the grant.
   */
  readonly why: string;
}

/** One distinct credential (kind, app client, what it presents): a row of the client × route table. */
export interface MatrixCredential {
  /** `c<n>`, in order of first appearance; unique within one matrix only. */
  readonly id: string;
  readonly kind: CallerKind;
  /** How it is obtained, e.g. `access token, authorization code + PKCE via web`. */
  readonly label: string;
  readonly credential: CallerCredential;
  /** The configured app client, when there is one. */
  readonly client?: string;
  /** One per route, in route order. */
  readonly cells: readonly CredentialCell[];
}

/** A route a grant set covers, and the first of its grants that does (the one the authorizer finds). */
export interface GrantCover {
  /** {@link MatrixRoute.key}. */
  readonly route: string;
  /** The covering grant, `"<METHOD|*> <resource path>"`. */
  readonly grant: string;
}

/** One distinct list of grants: a row of the principal × route table. */
export interface MatrixGrantSet {
  /** `g<n>`, in order of first appearance; unique within one matrix only. */
  readonly id: string;
  /** The grants, in the configuration's order (the first that covers a route is the one used). */
  readonly grants: readonly string[];
  /** The principals holding exactly these grants, in caller order, e.g. `user#alice`; none for credentials refused before any lookup. */
  readonly principals: readonly string[];
  /** The routes the grants cover, in route order; every other route has no covering grant. */
  readonly covers: readonly GrantCover[];
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
  /** Callers grouped by what they may call, each naming its credential row and grant set. */
  readonly profiles: readonly AccessProfile[];
  /** The client × route table: every distinct credential on every route. */
  readonly credentials: readonly MatrixCredential[];
  /** The principal × route table: every distinct list of grants and the routes it covers. */
  readonly grantSets: readonly MatrixGrantSet[];
  /** What the reader should know to interpret principals and rows. */
  readonly notes: readonly string[];
}
