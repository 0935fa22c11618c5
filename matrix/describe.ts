/**
 * How a matrix reads, shared by the Markdown and HTML renderers: a cell's short text, the reasons a
 * matrix uses with their statuses, and its counts.
 *
 * @packageDocumentation
 */
import type { AccessMatrix, MatrixCell, MatrixStatus } from "./model";
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
