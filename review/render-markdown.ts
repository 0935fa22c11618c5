/**
 * The review as GitHub-flavoured Markdown, for a pull-request comment: a verdict, counts per
 * stack, the risk table, grant changes, then every change under its construct path (destructive
 * first) with its attribute diff. Values are already masked; references such as
 * `${aws_cognito_user_pool.user-pool_54D4728B.id}` are shown by construct path
 * (`${user-pool/pool.id}`).
 *
 * The comment stays under GitHub's size limit: when the full report is too long, attribute tables
 * and then resource lists are left out (review.json always has everything).
 *
 * Every value from the synth output or the plan (a pull request can put anything there) crosses
 * into Markdown through core/markdown.ts: names as code, sentences as prose whose linkable words are
 * code, rows through one table function, so nothing in the comment mentions, links or embeds HTML.
 *
 * @packageDocumentation
 */
import { markdownCode, markdownCodeBlock, markdownRow, markdownText } from "../core/markdown";
import { SEVERITIES, SEVERITY_ICON, countBySeverity, highestSeverity } from "../core/severity";
import { humanizeReferences } from "../core/terraform-json/references";
import {
  ACTIONS_BY_CONCERN,
  ActionCounts,
  AttributeChange,
  ChangeAction,
  ResourceChange,
  ReviewReport,
  RiskFlag,
  SENSITIVE,
  StackChanges,
  KNOWN_AFTER_APPLY,
  countActions,
  fails,
  verdictItems,
} from "./model";
import { jsonDocument } from "./values";

/** Hidden marker that identifies the review comment, so CI updates it instead of adding another. */
export const REVIEW_MARKER = "<!-- scopegate-review -->";

/** GitHub rejects comments over 65,536 characters; stay well below. */
export const DEFAULT_MAX_LENGTH = 60000;

/** Options of {@link renderMarkdown}. */
export interface RenderOptions {
  /** Longest Markdown to produce, in characters. @default DEFAULT_MAX_LENGTH */
  readonly maxLength?: number;
}

const ACTION_TITLE: Readonly<Record<ChangeAction, string>> = {
  replace: "Replace",
  remove: "Remove",
  change: "Change",
  import: "Import",
  add: "Add",
};
const ACTION_ICON: Readonly<Record<ChangeAction, string>> = { replace: "±", remove: "−", change: "~", import: "←", add: "+" };
const MAX_VALUE_LENGTH = 160;
const MAX_DIFF_LINES = 80;
const MAX_RISK_ROWS = 60;

/** Level of detail; lowered until the report fits. */
type Detail = "attributes" | "resources" | "counts";

/** Renders a review as Markdown (starting with {@link REVIEW_MARKER}). */
export function renderMarkdown(report: ReviewReport, options: RenderOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  for (const detail of ["attributes", "resources"] as const) {
    const markdown = render(report, detail);
    if (markdown.length <= maxLength) return markdown;
  }
  return render(report, "counts");
}

function render(report: ReviewReport, detail: Detail): string {
  const { changeSet } = report;
  const out: string[] = [REVIEW_MARKER, "## scopegate review", "", sourceLine(report), "", verdictLine(report), ""];
  out.push(...countsSection(changeSet.stacks));
  out.push(...risksSection(report, detail));
  out.push(...acceptedSection(report));
  out.push(...grantsSection(report));
  out.push(...integrationsSection(report));
  if (detail !== "counts") {
    for (const stack of changeSet.stacks) out.push(...stackSection(report, stack, detail));
  }
  if (detail !== "attributes") out.push("_Details left out to fit a pull-request comment: see review.json._", "");
  if (changeSet.notes.length > 0) {
    out.push("### Notes", "", ...changeSet.notes.map((note) => `- ${markdownText(note)}`), "");
  }
  out.push(footer(report));
  return `${out.join("\n").trimEnd()}\n`;
}

/** The counts of changes per action, one row per stack (and a total for several). */
function countsSection(stacks: readonly StackChanges[]): string[] {
  if (stacks.length === 0) return ["No resource changes.", ""];
  const out = [
    markdownRow(["Stack", "Add", "Import", "Change", "Replace", "Remove"]),
    markdownRow(["---", "---:", "---:", "---:", "---:", "---:"]),
  ];
  for (const stack of stacks) out.push(countsRow(code(stack.name), countActions(stack.changes)));
  if (stacks.length > 1) out.push(countsRow("**Total**", countActions(stacks.flatMap((s) => s.changes))));
  out.push("");
  return out;
}

/** The risk table; at the `counts` detail, its first {@link MAX_RISK_ROWS} rows and a count of the rest. */
function risksSection(report: ReviewReport, detail: Detail): string[] {
  if (report.flags.length === 0) return [];
  const out = [
    `### Risks (${report.flags.length})`,
    "",
    markdownRow(["Severity", "Resource", "Attribute", "Finding", "Why", "Rule"]),
    markdownRow(["---", "---", "---", "---", "---", "---"]),
  ];
  const rows = detail === "counts" ? report.flags.slice(0, MAX_RISK_ROWS) : report.flags;
  for (const flag of rows) out.push(riskRow(report, flag));
  if (rows.length < report.flags.length) out.push("", `… and ${report.flags.length - rows.length} more in review.json.`);
  out.push("");
  return out;
}

/** The `npm run check` findings the configuration suppresses, each with its reason. */
function acceptedSection(report: ReviewReport): string[] {
  const accepted = report.accepted ?? [];
  if (accepted.length === 0) return [];
  return [
    `### Accepted check findings (${accepted.length})`,
    "",
    "Not counted: the configuration suppresses these `npm run check` findings, each with its reason.",
    "",
    markdownRow(["Rule", "Severity", "Resource", "Finding", "Reason"]),
    markdownRow(["---", "---", "---", "---", "---"]),
    ...accepted.map((finding) =>
      markdownRow([code(finding.rule), finding.severity, code(finding.path), markdownText(finding.summary), markdownText(finding.reason)]),
    ),
    "",
  ];
}

/** The grants each principal gains or loses. */
function grantsSection(report: ReviewReport): string[] {
  if (report.grants.length === 0) return [];
  return [
    "### Grants",
    "",
    ...report.grants.map((grant) => {
      const principal = humanize(report, grant.stack, grant.principal);
      const verb = grant.kind === "added" ? "➕ gains" : "➖ loses";
      return `- ${code(principal)} ${verb} ${code(grant.route)} (${code(grant.path)})`;
    }),
    "",
  ];
}

/** Each route's integration URI that is added, changed or replaced. */
function integrationsSection(report: ReviewReport): string[] {
  const integrations = report.integrations ?? [];
  if (integrations.length === 0) return [];
  return [
    "### Integrations",
    "",
    ...integrations.map((i) => {
      const uri = i.action === "add" || sameText(i.before, i.after) ? inline(i.after) : `${inline(i.before)} → ${inline(i.after)}`;
      return `- ${ACTION_ICON[i.action]} ${code(i.route)}: ${uri} (${code(i.path)})`;
    }),
    "",
  ];
}

function sourceLine(report: ReviewReport): string {
  const source = report.changeSet.source;
  if (source.kind === "plan") return `Reviews the Terraform plan ${code(source.plan)}.`;
  return `Compares the Terraform synthesized from ${code(source.base)} with ${code(source.head)}.`;
}

function verdictLine(report: ReviewReport): string {
  const items = verdictItems(report);
  const highest = highestSeverity(items);
  if (highest === undefined) return "**No risks flagged.**";
  const bySeverity = countBySeverity(items);
  const counts = SEVERITIES.map((s) => `${bySeverity[s]} ${s}`).join(" · ");
  return `**Highest risk: ${SEVERITY_ICON[highest]} ${highest}** · ${counts}`;
}

function footer(report: ReviewReport): string {
  if (report.failOn === "none") return "<sub>Generated by `npm run review`.</sub>";
  const verdict = fails(report) ? "**fails**" : "passes";
  return `<sub>Generated by \`npm run review\`. Flags and access changes at or above \`${report.failOn}\` fail this check: it ${verdict}.</sub>`;
}

function countsRow(label: string, counts: ActionCounts): string {
  return markdownRow([
    label,
    String(counts.add),
    String(counts.import),
    String(counts.change),
    String(counts.replace),
    String(counts.remove),
  ]);
}

function riskRow(report: ReviewReport, flag: RiskFlag): string {
  const attribute = flag.attribute === "" ? "—" : code(flag.attribute);
  const summary = markdownText(humanize(report, flag.stack, flag.summary));
  return markdownRow([
    `${SEVERITY_ICON[flag.severity]} ${flag.severity}`,
    code(flag.path),
    attribute,
    summary,
    markdownText(flag.why),
    code(flag.rule),
  ]);
}

function stackSection(report: ReviewReport, stack: StackChanges, detail: Detail): string[] {
  const counts = countActions(stack.changes);
  const parts = ACTIONS_BY_CONCERN.filter((a) => counts[a] > 0).map((a) => `${counts[a]} to ${a}`);
  const out = [`### ${code(stack.name)}: ${parts.join(", ")}`, ""];
  for (const action of ACTIONS_BY_CONCERN) {
    const changes = stack.changes.filter((c) => c.action === action);
    if (changes.length === 0) continue;
    out.push(`#### ${ACTION_TITLE[action]} (${changes.length})`, "");
    const withTables = detail === "attributes" && (action === "change" || action === "replace" || action === "import");
    if (!withTables) {
      out.push(...changes.map((c) => `- ${ACTION_ICON[action]} ${code(c.path)} ${code(c.address)}${importNote(c)}${replacedNote(c)}`), "");
      continue;
    }
    for (const change of changes) {
      // An import without attribute changes (a synth diff cannot see any; a plan that keeps it as it is) is one line.
      if (change.attributes.length === 0)
        out.push(`- ${ACTION_ICON[action]} ${code(change.path)} ${code(change.address)}${importNote(change)}`);
      else out.push(...changeBlock(report, change));
    }
    if (changes.some((c) => c.attributes.length === 0)) out.push("");
  }
  return out;
}

function importNote(change: ResourceChange): string {
  return change.importId === undefined ? "" : ` — imported from ${code(change.importId)}`;
}

function replacedNote(change: ResourceChange): string {
  return change.action === "replace" ? ` — forced by ${change.replacedBecause.map((p) => code(p)).join(", ")}` : "";
}

function changeBlock(report: ReviewReport, change: ResourceChange): string[] {
  const out = [
    `**${ACTION_ICON[change.action]} ${code(change.path)}** ${code(change.address)}${importNote(change)}${replacedNote(change)}`,
    "",
  ];
  // Computed attributes that only become unknown (ids, ARNs of a replaced resource) are listed in
  // one line; everything else gets a row.
  const computed = change.attributes.filter((a) => a.after === KNOWN_AFTER_APPLY && !a.forcesReplacement && a.cause === undefined);
  const rows = change.attributes.filter((a) => !computed.includes(a));
  if (rows.length > 0) {
    out.push(markdownRow(["Attribute", "Before", "After"]), markdownRow(["---", "---", "---"]));
    for (const attribute of rows) out.push(attributeRow(report, change.stack, attribute));
    out.push("");
  }
  if (computed.length > 0) out.push(`Known after apply: ${computed.map((a) => code(a.path)).join(", ")}.`, "");
  for (const attribute of rows) out.push(...documentDiff(report, change.stack, attribute));
  return out;
}

function attributeRow(report: ReviewReport, stack: string, attribute: AttributeChange): string {
  const notes = [
    attribute.forcesReplacement ? "⚠️ forces replacement" : "",
    attribute.cause ? `<br><sub>because ${markdownText(attribute.cause)}</sub>` : "",
  ];
  const name = `${code(attribute.path)}${notes[0] ? ` ${notes[0]}` : ""}${notes[1]}`;
  return markdownRow([name, cell(report, stack, attribute.before), cell(report, stack, attribute.after)]);
}

/** A line diff of two JSON documents held in a string attribute (policies, grant items). */
function documentDiff(report: ReviewReport, stack: string, attribute: AttributeChange): string[] {
  const before = jsonDocument(attribute.before);
  const after = jsonDocument(attribute.after);
  if (before === undefined || after === undefined) return [];
  const lines = lineDiff(pretty(report, stack, before), pretty(report, stack, after));
  if (lines === undefined) return [];
  const shown = lines.length > MAX_DIFF_LINES ? [...lines.slice(0, MAX_DIFF_LINES), "  …"] : lines;
  // The summary is our own words: HTML holds no value (GitHub would read a mention in it).
  return [
    `${code(attribute.path)} as JSON:`,
    "",
    "<details><summary>Line diff</summary>",
    "",
    ...markdownCodeBlock(shown, "diff"),
    "",
    "</details>",
    "",
  ];
}

function pretty(report: ReviewReport, stack: string, document: unknown): string[] {
  return humanize(report, stack, JSON.stringify(document, null, 2)).split("\n");
}

/** A unified-style diff (every line, prefixed `+`, `-` or ` `); `undefined` when too large. */
function lineDiff(a: readonly string[], b: readonly string[]): string[] | undefined {
  if (a.length * b.length > 250000) return undefined;
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i++]}`);
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push(`- ${a[i++]}`);
    } else {
      out.push(`+ ${b[j++]}`);
    }
  }
  return out;
}

function cell(report: ReviewReport, stack: string, value: unknown): string {
  if (value === null || value === undefined) return "_(unset)_";
  if (value === SENSITIVE) return "_(sensitive)_";
  if (value === KNOWN_AFTER_APPLY) return "_(known after apply)_";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const shown = humanize(report, stack, text);
  return code(shown.length > MAX_VALUE_LENGTH ? `${shown.slice(0, MAX_VALUE_LENGTH - 1)}…` : shown);
}

/**
 * A URI (or another value) as inline code, or what stands for it when it is not a string. Never
 * shortened, unlike {@link cell}: the end of a long host name is where another domain would hide.
 */
function inline(value: unknown): string {
  if (value === null || value === undefined) return "_(unset)_";
  if (value === KNOWN_AFTER_APPLY || value === SENSITIVE) return `_${value}_`;
  return code(typeof value === "string" ? value : JSON.stringify(value));
}

function sameText(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function humanize(report: ReviewReport, stack: string, text: string): string {
  const paths =
    report.paths?.get(stack) ?? new Map(report.changeSet.stacks.find((s) => s.name === stack)?.changes.map((c) => [c.address, c.path]));
  return humanizeReferences(text, (address) => {
    const path = paths.get(address);
    return path === undefined ? undefined : path.startsWith(`${stack}/`) ? path.slice(stack.length + 1) : path;
  });
}

function code(text: string): string {
  return markdownCode(text);
}
