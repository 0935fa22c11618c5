/**
 * How a matrix reads, shared by the Markdown and HTML renderers: a cell's short text, the reasons a
 * matrix uses with their statuses, and its counts.
 *
 * @packageDocumentation
 */
import { cellCount, coveredColumns, credentialOf, expandProfileCell, verdictOf, type CellVerdict } from "./cells";
import { REASONS } from "../functions/authorizer/reasons";
import type { AccessMatrix, AccessProfile, MatrixCell, MatrixCredential, MatrixStatus } from "./model";
import { reasonMeaning, type MatrixReason } from "./reasons";

/** A cell in a few words. */
export interface CellSummary {
  /** `Allowed`, or `Refused <status>`. */
  readonly verdict: string;
  /** Allowed: what lets it through (scope, grant); refused: the reason code. */
  readonly detail: string;
}

/**
 * Summarizes a cell: allowed cells name the scope and the grant that let the call through,
 * refused cells their status and reason code (the full why is {@link MatrixCell.why}).
 */
export function summarizeCell(cell: MatrixCell): CellSummary {
  if (!cell.allowed) return { verdict: `Refused ${cell.httpStatus}`, detail: cell.reason };
  const scope = cell.scopesUsed.length > 0 ? cell.scopesUsed.join(" or ") : undefined;
  if (cell.reason === "NATIVE_SCOPES_ONLY") return { verdict: "Allowed", detail: `${scope}, no grant needed` };
  if (cell.reason === "NATIVE_ID_TOKEN_ACCEPTED") return { verdict: "Allowed", detail: "ID token, no grant needed" };
  const grant = `grant ${cell.grantUsed ?? "?"}`;
  return { verdict: "Allowed", detail: scope === undefined ? grant : `${scope} + ${grant}` };
}

/** One reason used in a matrix, with the statuses it produces on each guard. */
export interface ReasonUse {
  readonly reason: MatrixReason;
  /** e.g. `403 (lambda)`, `401 (cognito)`. */
  readonly statuses: readonly string[];
  readonly meaning: string;
  /** Cells with this reason. */
  readonly count: number;
}

/** The reasons a matrix uses, in order of first appearance (profile by profile, route by route). */
export function reasonsUsed(matrix: AccessMatrix): ReasonUse[] {
  const { keys, order } = tally(matrix);
  return order.map((reason) => {
    const used = [...keys.values()].filter((key) => key.reason === reason && key.count > 0);
    return {
      reason,
      statuses: [...new Set(used.map((key) => `${key.httpStatus} (${key.guard})`))].sort(),
      meaning: reasonMeaning(reason),
      count: used.reduce((total, key) => total + key.count, 0),
    };
  });
}

/** How many calls (profiles × routes) a matrix allows and refuses. */
export function countCells(matrix: AccessMatrix): {
  allowed: number;
  refused: number;
  total: number;
  byStatus: Partial<Record<MatrixStatus, number>>;
} {
  const byStatus: Partial<Record<MatrixStatus, number>> = {};
  let allowed = 0;
  let total = 0;
  for (const key of tally(matrix).keys.values()) {
    if (key.count === 0) continue;
    total += key.count;
    if (key.allowed) allowed += key.count;
    byStatus[key.httpStatus] = (byStatus[key.httpStatus] ?? 0) + key.count;
  }
  return { allowed, refused: total - allowed, total, byStatus };
}

/** Cells counted by verdict and guard. */
interface VerdictCount {
  readonly reason: MatrixReason;
  readonly httpStatus: MatrixStatus;
  readonly guard: string;
  readonly allowed: boolean;
  count: number;
}

const tallies = new WeakMap<AccessMatrix, { keys: Map<string, VerdictCount>; order: MatrixReason[] }>();

/**
 * Counts every cell of the full grid by verdict, from the factors: each credential row's verdicts
 * once (where the grants decide, as refused `GRANT_MISSING`), times its profiles, then for each
 * profile only the routes its grant set covers move to allowed. The order in which reasons first
 * appear comes from walking a profile's row only when it can show a reason not seen yet.
 */
function tally(matrix: AccessMatrix): { keys: Map<string, VerdictCount>; order: MatrixReason[] } {
  const known = tallies.get(matrix);
  if (known !== undefined) return known;
  const keys = new Map<string, VerdictCount>();
  const add = (verdict: CellVerdict, guard: string, count: number) => {
    const id = `${verdict.reason} ${verdict.httpStatus} ${guard}`;
    let key = keys.get(id);
    if (key === undefined) keys.set(id, (key = { ...verdict, guard, count: 0 }));
    key.count += count;
  };
  const guards = matrix.routes.map((route) => route.guard);
  const profilesOf = new Map<string, AccessProfile[]>();
  for (const profile of matrix.profiles) {
    const list = profilesOf.get(profile.credentialId);
    if (list === undefined) profilesOf.set(profile.credentialId, [profile]);
    else list.push(profile);
  }
  // Per credential: the reasons its row shows whatever the grants, and how many routes the grants decide.
  const fixed = new Map<string, { reasons: ReadonlySet<MatrixReason>; grantColumns: number }>();
  for (const [credentialId, profiles] of profilesOf) {
    const credential = credentialOf(matrix, credentialId);
    if (credential === undefined) continue;
    const reasons = new Set<MatrixReason>();
    let grantColumns = 0;
    const bare = { ...profiles[0]!, grantSetId: "" };
    for (const [column, cell] of credential.cells.entries()) {
      if (column >= guards.length) break;
      add(verdictOf(matrix, bare, column)!, guards[column]!, profiles.length);
      if (cell.outcome === "grant") grantColumns += 1;
      else reasons.add(cell.reason);
    }
    fixed.set(credentialId, { reasons, grantColumns });
    for (const profile of profiles) {
      for (const column of coveredColumns(matrix, profile.grantSetId)) {
        const cell = credential.cells[column];
        if (cell?.outcome !== "grant") continue;
        add({ allowed: false, httpStatus: GRANT_MISSING_STATUS, reason: "GRANT_MISSING" }, guards[column]!, -1);
        add({ allowed: true, httpStatus: cell.httpStatus, reason: cell.reason }, guards[column]!, 1);
      }
    }
  }
  // A profile's row is walked only when it shows a reason not seen yet: a few rows, not every one.
  const order: MatrixReason[] = [];
  const seen = new Set<MatrixReason>();
  for (const profile of matrix.profiles) {
    const row = fixed.get(profile.credentialId);
    const cells = credentialOf(matrix, profile.credentialId)?.cells;
    if (row === undefined || cells === undefined) continue;
    const shown = new Set(row.reasons);
    let covered = 0;
    for (const column of coveredColumns(matrix, profile.grantSetId)) {
      const cell = cells[column];
      if (cell?.outcome === "grant") {
        covered += 1;
        shown.add(cell.reason);
      }
    }
    if (covered < row.grantColumns) shown.add("GRANT_MISSING");
    if ([...shown].every((reason) => seen.has(reason))) continue;
    for (let column = 0; column < guards.length; column += 1) {
      const reason = verdictOf(matrix, profile, column)?.reason;
      if (reason !== undefined && !seen.has(reason)) {
        seen.add(reason);
        order.push(reason);
      }
    }
  }
  const result = { keys, order };
  tallies.set(matrix, result);
  return result;
}

/**
 * Most cells (profiles × routes) shown as a grid; a larger matrix is shown in its factored form
 * only: the client × route table and the principal × route table (and, in HTML, a caller picker
 * and a route picker that join them).
 */
export const GRID_CELL_LIMIT = 2_000;

/** Whether a matrix is too large for a grid (see {@link GRID_CELL_LIMIT}). */
export function isCompact(matrix: AccessMatrix): boolean {
  return cellCount(matrix) > GRID_CELL_LIMIT;
}

/** A profile's row in a few words: what it may call, and its refusals counted by reason. */
export interface ProfileSummary {
  /** The allowed cells, in route order. */
  readonly allowed: readonly MatrixCell[];
  /** Refusals per `<status> <reason>`, most frequent first. */
  readonly refused: readonly { readonly reason: string; readonly count: number }[];
}

/** Summarizes one profile's row. */
export function summarizeProfile(matrix: AccessMatrix, profile: AccessProfile): ProfileSummary {
  const allowed: MatrixCell[] = [];
  const refused = new Map<string, number>();
  for (const [column, route] of matrix.routes.entries()) {
    const verdict = verdictOf(matrix, profile, column);
    if (verdict === undefined) continue;
    if (verdict.allowed) allowed.push(expandProfileCell(matrix, profile.id, route.key)!);
    else refused.set(`${verdict.httpStatus} ${verdict.reason}`, (refused.get(`${verdict.httpStatus} ${verdict.reason}`) ?? 0) + 1);
  }
  return {
    allowed,
    refused: [...refused]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}

const GRANT_MISSING_STATUS = REASONS.GRANT_MISSING.httpStatus as MatrixStatus;

/** A credential's row in a few words. */
export interface CredentialSummary {
  /** How many callers present it. */
  readonly callers: number;
  /** The routes where the principal's grants decide, in route order. */
  readonly grant: readonly string[];
  /** The routes it may call with no grant (native guard), in route order. */
  readonly allowed: readonly string[];
  /** Refusals whatever the grants, per `<status> <reason>`, most frequent first. */
  readonly refused: readonly { readonly reason: string; readonly count: number }[];
}

const callerCounts = new WeakMap<AccessMatrix, ReadonlyMap<string, number>>();

/** How many callers present each credential. */
function callersPerCredential(matrix: AccessMatrix): ReadonlyMap<string, number> {
  let counts = callerCounts.get(matrix);
  if (counts === undefined) {
    const tally = new Map<string, number>();
    for (const profile of matrix.profiles) tally.set(profile.credentialId, (tally.get(profile.credentialId) ?? 0) + profile.callers.length);
    callerCounts.set(matrix, (counts = tally));
  }
  return counts;
}

/** Summarizes one credential's row of the client × route table. */
export function summarizeCredential(matrix: AccessMatrix, credential: MatrixCredential): CredentialSummary {
  const grant: string[] = [];
  const allowed: string[] = [];
  const refused = new Map<string, number>();
  for (const cell of credential.cells) {
    if (cell.outcome === "grant") grant.push(cell.route);
    else if (cell.outcome === "allowed") allowed.push(cell.route);
    else refused.set(`${cell.httpStatus} ${cell.reason}`, (refused.get(`${cell.httpStatus} ${cell.reason}`) ?? 0) + 1);
  }
  const callers = callersPerCredential(matrix).get(credential.id) ?? 0;
  return {
    callers,
    grant,
    allowed,
    refused: [...refused]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}

const callerLabels = new WeakMap<AccessMatrix, ReadonlyMap<string, string>>();

/** The callers of a profile by label, for a list: `alice through web` or the usernames. */
export function memberLabels(matrix: AccessMatrix, profile: AccessProfile): string[] {
  let labels = callerLabels.get(matrix);
  if (labels === undefined)
    callerLabels.set(matrix, (labels = new Map(matrix.callers.map((caller) => [caller.id, caller.label] as const))));
  return profile.callers.map((id) => labels.get(id) ?? id);
}
