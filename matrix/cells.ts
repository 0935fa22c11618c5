/**
 * Reading a factored access matrix: a cell of the full grid is its profile's credential cell joined
 * with its grant set on the route. {@link expandCell} gives one caller's cell, {@link eachCell}
 * every profile's, and {@link verdictOf} only the verdict (no text), for counting.
 *
 * The join, in one place:
 *
 * 1. credential `refused` or `allowed`: that answer, whatever the grants (a cell the authorizer's
 *    `decide` refused, e.g. `SCOPE_MISSING`, still names the covering grant when there is one);
 * 2. credential `grant` and a grant covers the route: allowed (`ALLOWED`), with the credential's
 *    scopes and that grant;
 * 3. credential `grant` and no grant covers it: refused `GRANT_MISSING` (403).
 *
 * This is the authorizer's `decide` taken apart: the route is configured, then the token's scopes,
 * then a covering grant; the first two depend on the credential only, the last on the grants only.
 *
 * @packageDocumentation
 */
import { REASONS } from "../functions/authorizer/reasons";
import type {
  AccessMatrix,
  AccessProfile,
  CredentialCell,
  MatrixCell,
  MatrixCredential,
  MatrixGrantSet,
  MatrixRoute,
  MatrixStatus,
} from "./model";
import type { MatrixReason } from "./reasons";

interface MatrixIndex {
  readonly profiles: ReadonlyMap<string, AccessProfile>;
  readonly routeColumn: ReadonlyMap<string, number>;
  readonly callerProfile: ReadonlyMap<string, string>;
  readonly credentials: ReadonlyMap<string, MatrixCredential>;
  /** Per grant set, route index → covering grant. */
  readonly covers: ReadonlyMap<string, readonly (string | undefined)[]>;
  /** Per grant set, the route indices it covers, ascending. */
  readonly covered: ReadonlyMap<string, readonly number[]>;
}

const indexes = new WeakMap<AccessMatrix, MatrixIndex>();

function indexOf(matrix: AccessMatrix): MatrixIndex {
  let index = indexes.get(matrix);
  if (index === undefined) {
    const routeColumn = new Map(matrix.routes.map((route, column) => [route.key, column]));
    index = {
      profiles: new Map(matrix.profiles.map((profile) => [profile.id, profile])),
      routeColumn,
      callerProfile: new Map(matrix.callers.map((caller) => [caller.id, caller.profile])),
      credentials: new Map(matrix.credentials.map((credential) => [credential.id, credential])),
      covers: new Map(matrix.grantSets.map((set) => [set.id, coverColumns(set, routeColumn, matrix.routes.length)])),
      covered: new Map(
        matrix.grantSets.map((set) => [
          set.id,
          [...new Set(set.covers.map((cover) => routeColumn.get(cover.route)).filter((c): c is number => c !== undefined))].sort(
            (a, b) => a - b,
          ),
        ]),
      ),
    };
    indexes.set(matrix, index);
  }
  return index;
}

function coverColumns(set: MatrixGrantSet, routeColumn: ReadonlyMap<string, number>, width: number): (string | undefined)[] {
  const columns = new Array<string | undefined>(width).fill(undefined);
  for (const cover of set.covers) {
    const column = routeColumn.get(cover.route);
    if (column !== undefined) columns[column] = cover.grant;
  }
  return columns;
}

/** The status of a missing grant, from the authorizer's reasons table. */
const GRANT_MISSING_STATUS = REASONS.GRANT_MISSING.httpStatus as MatrixStatus;

/**
 * Joins a credential cell with the profile's covering grant into the cell of the full grid.
 *
 * @param profile - the profile (its principal and grants name a missing grant)
 * @param route - the route
 * @param credential - the profile's credential cell on the route
 * @param grant - the first of the profile's grants that covers the route, if any
 * @returns the cell
 */
export function joinCell(profile: AccessProfile, route: MatrixRoute, credential: CredentialCell, grant: string | undefined): MatrixCell {
  // Literal objects, no spread: a large matrix joins millions of cells.
  if (credential.outcome !== "grant") {
    const cell: MatrixCell = {
      profile: profile.id,
      route: route.key,
      allowed: credential.outcome === "allowed",
      httpStatus: credential.httpStatus,
      reason: credential.reason,
      scopesUsed: credential.scopesUsed,
      why: credential.why,
    };
    return credential.decided && grant !== undefined ? { ...cell, grantUsed: grant } : cell;
  }
  if (grant !== undefined) {
    return {
      profile: profile.id,
      route: route.key,
      allowed: true,
      httpStatus: credential.httpStatus,
      reason: credential.reason,
      scopesUsed: credential.scopesUsed,
      grantUsed: grant,
      why: `${credential.why}; grant "${grant}"`,
    };
  }
  return {
    profile: profile.id,
    route: route.key,
    allowed: false,
    httpStatus: GRANT_MISSING_STATUS,
    reason: "GRANT_MISSING",
    scopesUsed: credential.scopesUsed,
    why: `no grant of ${profile.principal} covers ${route.key}${grantList(profile.grants)}`,
  };
}

function grantList(grants: readonly string[]): string {
  return grants.length === 0 ? " (it has no grants)" : ` (its grants: ${grants.join(", ")})`;
}

/**
 * The cell of a profile on a route, joined from its factors.
 *
 * @returns the cell, or `undefined` when either is not part of the matrix
 */
export function expandProfileCell(matrix: AccessMatrix, profileId: string, routeKey: string): MatrixCell | undefined {
  const index = indexOf(matrix);
  const profile = index.profiles.get(profileId);
  const column = index.routeColumn.get(routeKey);
  if (profile === undefined || column === undefined) return undefined;
  const credential = index.credentials.get(profile.credentialId)?.cells[column];
  if (credential === undefined) return undefined;
  return joinCell(profile, matrix.routes[column]!, credential, index.covers.get(profile.grantSetId)?.[column]);
}

/**
 * The cell of `callerId` on `routeKey`: its profile's, joined from the profile's credential row and
 * grant set. This is how a reader of `access-matrix.json` gets a cell of the full grid.
 *
 * @param matrix - a matrix, computed or read back from JSON
 * @param callerId - a {@link MatrixCaller.id}, e.g. `user:alice@web`
 * @param routeKey - a {@link MatrixRoute.key}, e.g. `GET /resource`
 * @returns the cell, or `undefined` when either is not part of the matrix
 */
export function expandCell(matrix: AccessMatrix, callerId: string, routeKey: string): MatrixCell | undefined {
  const profile = indexOf(matrix).callerProfile.get(callerId);
  return profile === undefined ? undefined : expandProfileCell(matrix, profile, routeKey);
}

/**
 * Every cell of the full grid, profile by profile and route by route (a caller's cell is its
 * profile's). Lazy: a large matrix is never held expanded.
 */
export function* eachCell(matrix: AccessMatrix): Generator<MatrixCell> {
  const index = indexOf(matrix);
  for (const profile of matrix.profiles) {
    const credential = index.credentials.get(profile.credentialId);
    const covers = index.covers.get(profile.grantSetId);
    if (credential === undefined) continue;
    for (const [column, route] of matrix.routes.entries()) {
      const cell = credential.cells[column];
      if (cell !== undefined) yield joinCell(profile, route, cell, covers?.[column]);
    }
  }
}

/** A cell's verdict without its texts. */
export interface CellVerdict {
  readonly allowed: boolean;
  readonly httpStatus: MatrixStatus;
  readonly reason: MatrixReason;
}

const MISSING: CellVerdict = { allowed: false, httpStatus: GRANT_MISSING_STATUS, reason: "GRANT_MISSING" };
const verdicts = new WeakMap<CredentialCell, { readonly covered: CellVerdict; readonly uncovered: CellVerdict }>();

/**
 * The verdict of a profile's cell on the route at `column` (the join of {@link joinCell}, without
 * building any text): for counting and comparing large matrices.
 *
 * @returns the verdict, or `undefined` when the profile or column is not part of the matrix
 */
export function verdictOf(matrix: AccessMatrix, profile: AccessProfile, column: number): CellVerdict | undefined {
  const index = indexOf(matrix);
  const cell = index.credentials.get(profile.credentialId)?.cells[column];
  if (cell === undefined) return undefined;
  let known = verdicts.get(cell);
  if (known === undefined) {
    const own: CellVerdict = { allowed: cell.outcome !== "refused", httpStatus: cell.httpStatus, reason: cell.reason };
    known = cell.outcome === "grant" ? { covered: own, uncovered: MISSING } : { covered: own, uncovered: own };
    verdicts.set(cell, known);
  }
  return index.covers.get(profile.grantSetId)?.[column] === undefined ? known.uncovered : known.covered;
}

/** The number of cells of the full grid: profiles × routes. */
export function cellCount(matrix: AccessMatrix): number {
  return matrix.profiles.length * matrix.routes.length;
}

/**
 * The covering grant of a grant set on the route at `column`.
 *
 * @returns the grant, or `undefined` when none covers the route
 */
export function coverOf(matrix: AccessMatrix, grantSetId: string, column: number): string | undefined {
  return indexOf(matrix).covers.get(grantSetId)?.[column];
}

/** The route indices a grant set covers, ascending (empty for an unknown set). */
export function coveredColumns(matrix: AccessMatrix, grantSetId: string): readonly number[] {
  return indexOf(matrix).covered.get(grantSetId) ?? [];
}

/** A credential row by id. */
export function credentialOf(matrix: AccessMatrix, credentialId: string): MatrixCredential | undefined {
  return indexOf(matrix).credentials.get(credentialId);
}
