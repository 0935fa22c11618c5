/**
 * The access matrix as GitHub-flavoured Markdown: one section per stack with the matrix (profiles ×
 * routes) where it is small, else its two factors (credentials × routes, grant sets × routes), then
 * its routes, profiles (small matrices), the reasons used and notes. Every name and sentence from the
 * configuration crosses into Markdown through core/markdown.ts (names as code, labels and reasons
 * as prose whose linkable words are code, rows through markdownRow): nothing mentions, links or
 * embeds HTML.
 *
 * @packageDocumentation
 */
import { markdownCode, markdownRow, markdownText } from "../core/markdown";
import { eachCell, expandProfileCell } from "./cells";
import { countCells, isCompact, memberLabels, reasonsUsed, summarizeCredential } from "./describe";
import type { AccessMatrix, MatrixCell } from "./model";

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
  const compact = isCompact(matrix);
  const out = [
    `## ${code(matrix.stack)}`,
    "",
    `From ${markdownText(matrix.source)}: ${matrix.routes.length} routes, ${matrix.callers.length} callers in ${matrix.profiles.length} access profiles, ` +
      `${counts.allowed} of ${counts.total} calls allowed.`,
    "",
  ];
  if (compact) out.push(...factored(matrix));
  else {
    out.push(
      row(["Profile", "Principal", ...matrix.routes.map((route) => `${code(route.key)}<br>${markdownText(route.guard)}`)]),
      row(["---", "---", ...matrix.routes.map(() => "---")]),
    );
    for (const profile of matrix.profiles) {
      const cells = matrix.routes.map((route) => {
        const cell = expandProfileCell(matrix, profile.id, route.key);
        return cell === undefined ? "" : matrixCell(cell);
      });
      out.push(row([markdownText(profile.label), code(profile.principal), ...cells]));
    }
  }

  out.push("", "**Routes**", "", row(["Route", "Guard", "A token needs one of"]), row(["---", "---", "---"]));
  for (const route of matrix.routes) {
    out.push(
      row([code(route.key), markdownText(route.guard), route.scopes.length === 0 ? "(no scope)" : route.scopes.map(code).join(", ")]),
    );
  }

  if (!compact) {
    out.push(
      "",
      "**Profiles**",
      "",
      row(["Profile", "Credential", "Token scopes", "Grants", "Callers"]),
      row(["---", "---", "---", "---", "---"]),
    );
    for (const profile of matrix.profiles) {
      const scopes = profile.credential.kind === "access-token" ? profile.credential.scopes.map(code).join(" ") : "—";
      const grants = profile.grants.length === 0 ? "—" : profile.grants.map(code).join(", ");
      const members =
        profile.callers.length === 1 ? "1" : `${profile.callers.length}: ${memberLabels(matrix, profile).map(markdownText).join(", ")}`;
      out.push(row([markdownText(profile.label), markdownText(profile.credentialLabel), scopes, grants, members]));
    }
  }

  out.push("", "**Reasons**", "", row(["Reason", "Status", "Meaning"]), row(["---", "---", "---"]));
  // A meaning is our own Markdown from the reasons table, never a configured value.
  for (const use of reasonsUsed(matrix)) out.push(row([code(use.reason), markdownText(use.statuses.join(", ")), use.meaning]));

  const refusedWhy = compact ? [] : [...eachCell(matrix)].filter((cell) => !cell.allowed);
  if (refusedWhy.length > 0) {
    out.push("", "<details><summary>Why each call is refused</summary>", "");
    const labels = new Map(matrix.profiles.map((profile) => [profile.id, profile.label] as const));
    for (const cell of refusedWhy)
      out.push(
        `- ${markdownText(labels.get(cell.profile) ?? cell.profile)} → ${code(cell.route)}: ${cell.httpStatus} ${code(cell.reason)}, ${markdownText(cell.why)}`,
      );
    out.push("", "</details>");
  }

  if (matrix.notes.length > 0) out.push("", ...matrix.notes.map((note) => `- ${markdownText(note)}`));
  out.push("");
  return out;
}

/** A matrix too large for a grid, as its two factors: what each credential gets, and what each grant set covers. */
function factored(matrix: AccessMatrix): string[] {
  const routes = (keys: readonly string[]) => (keys.length === 0 ? "—" : keys.map(code).join(", "));
  const out = [
    `${matrix.profiles.length} profiles × ${matrix.routes.length} routes is too large for a grid; it is shown in its two factors. ` +
      "A caller may call a route when its credential is allowed there, or when the grants decide and one of its principal's grants " +
      "covers the route (refused `GRANT_MISSING` otherwise).",
    "",
    "**Credentials × routes**: what a caller's credential gets on each route before any grant is read",
    "",
    row(["Credential", "Callers", "Token scopes", "The grants decide", "Allowed, no grant needed", "Refused whatever the grants"]),
    row(["---", "---", "---", "---", "---", "---"]),
  ];
  for (const credential of matrix.credentials) {
    const summary = summarizeCredential(matrix, credential);
    const scopes = credential.credential.kind === "access-token" ? credential.credential.scopes.map(code).join(" ") : "—";
    const refused = summary.refused.map(({ reason, count }) => `${count} × ${code(reason)}`).join(", ") || "—";
    out.push(
      row([markdownText(credential.label), String(summary.callers), scopes, routes(summary.grant), routes(summary.allowed), refused]),
    );
  }
  out.push(
    "",
    "**Grant sets × routes**: which routes a principal's grants cover (the grant the authorizer finds)",
    "",
    row(["Grant set", "Principals", "Grants", "Covers"]),
    row(["---", "---", "---", "---"]),
  );
  for (const set of matrix.grantSets) {
    const principals = set.principals.length === 0 ? "—" : set.principals.map(code).join(", ");
    const grants = set.grants.length === 0 ? "—" : set.grants.map(code).join(", ");
    out.push(row([code(set.id), principals, grants, routes(set.covers.map((cover) => cover.route))]));
  }
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
  return markdownRow(cells);
}

function code(text: string): string {
  return markdownCode(text);
}
