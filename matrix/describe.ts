/**
 * How a matrix reads, shared by the Markdown and HTML renderers: a cell's short text, the reasons a
 * matrix uses with their statuses, and its counts.
 *
 * @packageDocumentation
 */
import { profileCellOf, type AccessMatrix, type AccessProfile, type MatrixCell, type MatrixStatus } from "./model";
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

/** The reasons a matrix uses, in order of first appearance. */
export function reasonsUsed(matrix: AccessMatrix): ReasonUse[] {
  const guards = new Map(matrix.routes.map((route) => [route.key, route.guard] as const));
  const uses = new Map<MatrixReason, { statuses: Set<string>; count: number }>();
  for (const cell of matrix.cells) {
    const use = uses.get(cell.reason) ?? { statuses: new Set<string>(), count: 0 };
    use.statuses.add(`${cell.httpStatus} (${guards.get(cell.route) ?? "?"})`);
    use.count += 1;
    uses.set(cell.reason, use);
  }
  return [...uses].map(([reason, use]) => ({
    reason,
    statuses: [...use.statuses].sort(),
    meaning: reasonMeaning(reason),
    count: use.count,
  }));
}

/** How many calls a matrix allows and refuses. */
export function countCells(matrix: AccessMatrix): { allowed: number; refused: number; byStatus: Partial<Record<MatrixStatus, number>> } {
  const byStatus: Partial<Record<MatrixStatus, number>> = {};
  for (const cell of matrix.cells) byStatus[cell.httpStatus] = (byStatus[cell.httpStatus] ?? 0) + 1;
  const allowed = matrix.cells.filter((cell) => cell.allowed).length;
  return { allowed, refused: matrix.cells.length - allowed, byStatus };
}

/**
 * Most cells (profiles × routes) shown as a grid; a larger matrix is shown compact: one line per
 * profile with the routes it may call and its refusals counted by reason.
 */
export const GRID_CELL_LIMIT = 2_000;

/** Whether a matrix is too large for a grid (see {@link GRID_CELL_LIMIT}). */
export function isCompact(matrix: AccessMatrix): boolean {
  return matrix.cells.length > GRID_CELL_LIMIT;
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
  for (const route of matrix.routes) {
    const cell = profileCellOf(matrix, profile.id, route.key);
    if (cell === undefined) continue;
    if (cell.allowed) allowed.push(cell);
    else refused.set(`${cell.httpStatus} ${cell.reason}`, (refused.get(`${cell.httpStatus} ${cell.reason}`) ?? 0) + 1);
  }
  return {
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
