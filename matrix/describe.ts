/**
 * How a matrix reads, shared by the Markdown and HTML renderers: a cell's short text, the reasons a
 * matrix uses with their statuses, and its counts.
 *
 * @packageDocumentation
 */
import { cellCount, expandProfileCell, verdictOf } from "./cells";
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
  const uses = new Map<MatrixReason, { statuses: Set<string>; count: number }>();
  for (const profile of matrix.profiles) {
    for (const [column, route] of matrix.routes.entries()) {
      const verdict = verdictOf(matrix, profile, column);
      if (verdict === undefined) continue;
      let use = uses.get(verdict.reason);
      if (use === undefined) uses.set(verdict.reason, (use = { statuses: new Set<string>(), count: 0 }));
      use.statuses.add(`${verdict.httpStatus} (${route.guard})`);
      use.count += 1;
    }
  }
  return [...uses].map(([reason, use]) => ({
    reason,
    statuses: [...use.statuses].sort(),
    meaning: reasonMeaning(reason),
    count: use.count,
  }));
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
  for (const profile of matrix.profiles) {
    for (let column = 0; column < matrix.routes.length; column += 1) {
      const verdict = verdictOf(matrix, profile, column);
      if (verdict === undefined) continue;
      total += 1;
      if (verdict.allowed) allowed += 1;
      byStatus[verdict.httpStatus] = (byStatus[verdict.httpStatus] ?? 0) + 1;
    }
  }
  return { allowed, refused: total - allowed, total, byStatus };
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
  const callers = matrix.profiles
    .filter((profile) => profile.credentialId === credential.id)
    .reduce((total, profile) => total + profile.callers.length, 0);
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
