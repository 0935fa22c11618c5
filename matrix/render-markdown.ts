/**
 * The access matrix as GitHub-flavoured Markdown: one section per stack with the matrix (callers ×
 * routes), then its routes, callers, the reasons used and notes.
 *
 * @packageDocumentation
 */
import { countCells, reasonsUsed } from "./describe";
import { cellOf, type AccessMatrix, type MatrixCell } from "./model";

/**
 * Renders matrices as one Markdown document, a section per stack.
 *
 * @param matrices - one per stack (configuration or environment)
 * @returns the document, ending with a newline
 */
export function renderMatrixMarkdown(matrices: readonly AccessMatrix[]): string {
  const out = [
    "# Effective access",
    "",
    "Who can call what, computed from the configuration (no cloud access). ✅ the backend is called; ⛔ refused, " +
      "with the HTTP status and the reason code. Routes on the `lambda` guard are decided by the scopegate authorizer's own " +
      "`decide` (scope and grant); routes on the `cognito` guard by the native authorizer's rule (scope only).",
    "",
  ];
  for (const matrix of matrices) out.push(...section(matrix));
  return `${out.join("\n").trimEnd()}\n`;
}

function section(matrix: AccessMatrix): string[] {
  const counts = countCells(matrix);
  const out = [
    `## \`${matrix.stack}\``,
    "",
    `From ${matrix.source}: ${matrix.routes.length} routes, ${matrix.callers.length} callers, ${counts.allowed} of ${matrix.cells.length} calls allowed.`,
    "",
  ];
  out.push(
    row(["Caller", "Principal", ...matrix.routes.map((route) => `${code(route.key)}<br>${route.guard}`)]),
    row(["---", "---", ...matrix.routes.map(() => "---")]),
  );
  for (const caller of matrix.callers) {
    const cells = matrix.routes.map((route) => {
      const cell = cellOf(matrix, caller.id, route.key);
      return cell === undefined ? "" : matrixCell(cell);
    });
    out.push(row([caller.label, code(caller.principal), ...cells]));
  }

  out.push("", "**Routes**", "", row(["Route", "Guard", "A token needs one of"]), row(["---", "---", "---"]));
  for (const route of matrix.routes) {
    out.push(row([code(route.key), route.guard, route.scopes.length === 0 ? "(no scope)" : route.scopes.map(code).join(", ")]));
  }

  out.push("", "**Callers**", "", row(["Caller", "Credential", "Token scopes", "Grants"]), row(["---", "---", "---", "---"]));
  for (const caller of matrix.callers) {
    const scopes = caller.credential.kind === "access-token" ? caller.credential.scopes.map(code).join(" ") : "—";
    out.push(row([caller.label, caller.credentialLabel, scopes, caller.grants.length === 0 ? "—" : caller.grants.map(code).join(", ")]));
  }

  out.push("", "**Reasons**", "", row(["Reason", "Status", "Meaning"]), row(["---", "---", "---"]));
  for (const use of reasonsUsed(matrix)) out.push(row([code(use.reason), use.statuses.join(", "), use.meaning]));

  const refusedWhy = matrix.cells.filter((cell) => !cell.allowed);
  if (refusedWhy.length > 0) {
    out.push("", "<details><summary>Why each call is refused</summary>", "");
    const labels = new Map(matrix.callers.map((caller) => [caller.id, caller.label] as const));
    for (const cell of refusedWhy)
      out.push(`- ${labels.get(cell.caller)} → ${code(cell.route)}: ${cell.httpStatus} ${code(cell.reason)}, ${escape(cell.why)}`);
    out.push("", "</details>");
  }

  if (matrix.notes.length > 0) out.push("", ...matrix.notes.map((note) => `- ${escape(note)}`));
  out.push("");
  return out;
}

/** `✅ <scope> + grant <route>`, `✅ <scope>, no grant needed`, or `⛔ <status> <reason>`. */
function matrixCell(cell: MatrixCell): string {
  if (!cell.allowed) return `⛔ ${cell.httpStatus} ${code(cell.reason)}`;
  const scopes = cell.scopesUsed.map(code).join(" or ");
  if (cell.grantUsed === undefined) return `✅ ${scopes || "ID token"}, no grant needed`;
  return `✅ ${scopes === "" ? "" : `${scopes} + `}grant ${code(cell.grantUsed)}`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, "\\|")).join(" | ")} |`;
}

function code(text: string): string {
  return `\`${text}\``;
}

/** Keeps `<…>` placeholders (principals, notes) visible instead of read as HTML. */
function escape(text: string): string {
  return text.replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
