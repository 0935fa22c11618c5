/**
 * What a benchmark reports, and how it is printed (plain text on the terminal, Markdown in
 * bench/RESULTS.md).
 */

/** A table of measurements. */
export interface Table {
  /** One line above the table. */
  readonly title: string;
  /** Column headings. */
  readonly columns: readonly string[];
  /** Cells, one array per row, as many as columns. */
  readonly rows: ReadonlyArray<readonly string[]>;
}

/** A target from the issue, and whether this run met it. */
export interface TargetResult {
  /** The target, for example `first-seen within 1.2× jose jwtVerify alone`. */
  readonly target: string;
  /** What was measured, for example `×1.08`. */
  readonly measured: string;
  /** Whether the target was met; `undefined` when this run could not tell (a step was skipped). */
  readonly met: boolean | undefined;
  /** When missed: by how much, why, and the proposed fix. */
  readonly whenMissed?: string;
}

/** Everything one benchmark reports. */
export interface BenchReport {
  /** The script's name: `synth`, `authorizer`, … */
  readonly name: string;
  /** A heading. */
  readonly title: string;
  /** How it was measured (rounds, batch sizes, scaled or full). */
  readonly method: string;
  /** The measurements. */
  readonly tables: readonly Table[];
  /** The targets. */
  readonly targets: readonly TargetResult[];
  /** Remarks that belong with the numbers (approximations, what a number includes). */
  readonly notes: readonly string[];
}

const NUMERIC_CELL = /^(?:[×–+−-]|\d|$)/;

/** For each column, whether it holds numbers (right-aligned) rather than text (left-aligned). */
function numericColumns(table: Table): boolean[] {
  return table.columns.map((_, index) => index > 0 && table.rows.every((row) => NUMERIC_CELL.test(row[index] ?? "")));
}

function padRow(cells: readonly string[], widths: readonly number[], numeric: readonly boolean[]): string {
  return cells
    .map((cell, index) => (numeric[index] === true ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!)))
    .join("  ")
    .trimEnd();
}

/** A table as aligned plain text (columns of numbers right-aligned). */
export function tableToText(table: Table): string {
  const widths = table.columns.map((column, index) => Math.max(column.length, ...table.rows.map((row) => (row[index] ?? "").length)));
  const numeric = numericColumns(table);
  const lines = [table.title, padRow(table.columns, widths, numeric), widths.map((width) => "-".repeat(width)).join("  ")];
  for (const row of table.rows) lines.push(padRow(row, widths, numeric));
  return lines.join("\n");
}

function escapeCell(cell: string): string {
  return cell.replace(/\|/g, "\\|");
}

/** A table as Markdown (columns of numbers right-aligned, the others left-aligned). */
export function tableToMarkdown(table: Table): string {
  const numeric = numericColumns(table);
  const lines = [
    `**${table.title}**`,
    "",
    `| ${table.columns.map(escapeCell).join(" | ")} |`,
    `|${numeric.map((right) => (right ? "---:" : "---")).join("|")}|`,
  ];
  for (const row of table.rows) lines.push(`| ${row.map(escapeCell).join(" | ")} |`);
  return lines.join("\n");
}

/** `met`, `MISSED` or `not measured`. */
export function verdict(met: boolean | undefined): string {
  if (met === undefined) return "not measured";
  return met ? "met" : "MISSED";
}

/** The whole report as plain text. */
export function reportToText(report: BenchReport): string {
  const parts = [`== ${report.title} (${report.name}) ==`, report.method, ...report.tables.map(tableToText)];
  if (report.targets.length > 0) {
    parts.push(
      tableToText({
        title: "Targets",
        columns: ["target", "measured", "verdict"],
        rows: report.targets.map((target) => [target.target, target.measured, verdict(target.met)]),
      }),
    );
  }
  for (const target of report.targets)
    if (target.met === false && target.whenMissed !== undefined) parts.push(`Missed: ${target.target}\n  ${target.whenMissed}`);
  for (const note of report.notes) parts.push(`Note: ${note}`);
  return `${parts.join("\n\n")}\n`;
}

/** The whole report as a Markdown section. */
export function reportToMarkdown(report: BenchReport): string {
  const parts = [`## ${report.title} (\`bench/${report.name}.ts\`)`, report.method, ...report.tables.map(tableToMarkdown)];
  if (report.targets.length > 0) {
    parts.push(
      tableToMarkdown({
        title: "Targets",
        columns: ["target", "measured", "verdict"],
        rows: report.targets.map((target) => [target.target, target.measured, verdict(target.met)]),
      }),
    );
  }
  const missed = report.targets.filter((target) => target.met === false && target.whenMissed !== undefined);
  if (missed.length > 0) parts.push(missed.map((target) => `- **Missed: ${target.target}.** ${target.whenMissed}`).join("\n"));
  if (report.notes.length > 0) parts.push(report.notes.map((note) => `- ${note}`).join("\n"));
  return parts.join("\n\n");
}
