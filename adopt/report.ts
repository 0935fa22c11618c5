/**
 * ADOPTION.md: what the first apply after adoption does to the pool, written from the comparison
 * of the described values with the synthesized Terraform (`compare.ts`) and from what the
 * configuration leaves out (`map.ts`). Every value crosses into Markdown through `core/markdown.ts`.
 *
 * @packageDocumentation
 */
import { markdownCode, markdownRow, markdownText } from "../core/markdown";
import { type JsonObject } from "../core/json";
import { AttributeOutcome } from "./compare";
import { NotAdopted } from "./map";

/** The file written beside the configuration. */
export const ADOPTION_REPORT = "ADOPTION.md";

/** What the report is made of. */
export interface AdoptionFacts {
  /** The configuration's file name (the report is written beside it). */
  readonly configLabel: string;
  readonly document: JsonObject;
  readonly outcomes: readonly AttributeOutcome[];
  readonly notAdopted: readonly NotAdopted[];
  /** The described pool has a hosted-UI domain (prefix) to import; else the stack creates one. */
  readonly domainAdopted: boolean;
  readonly domainPrefix: string;
  /** Described users (by username) and whether list-users was given at all. */
  readonly usersDescribed: boolean;
  readonly groupsDescribed: boolean;
}

/** ADOPTION.md's text. */
export function adoptionReport(facts: AdoptionFacts): string {
  const changed = facts.outcomes.filter((o) => o.fate === "changed");
  const left = facts.outcomes.filter((o) => o.fate === "left");
  const kept = facts.outcomes.filter((o) => o.fate === "kept");
  const adopt = facts.document.adopt as JsonObject;
  const lines: string[] = [
    "# Adoption report",
    "",
    `${markdownCode(facts.configLabel)} adopts the user pool ${markdownCode(String(adopt.userPoolId))}: its first plan imports the ` +
      "pool and the resources below (Terraform `import` blocks) instead of creating them. This report compares each described " +
      "value with the value the synthesized stack writes.",
    "",
    `- ${kept.length} described ${kept.length === 1 ? "attribute is" : "attributes are"} reproduced exactly.`,
    `- ${changed.length} ${changed.length === 1 ? "attribute is" : "attributes are"} changed on first apply.`,
    `- ${left.length} ${left.length === 1 ? "attribute is" : "attributes are"} left as ${left.length === 1 ? "it is" : "they are"}.`,
    `- ${facts.notAdopted.length} described ${facts.notAdopted.length === 1 ? "resource is" : "resources are"} not adopted (left as ${facts.notAdopted.length === 1 ? "it is" : "they are"}, not managed).`,
    "",
    "## Changed on first apply",
    "",
  ];
  if (!facts.domainAdopted) {
    lines.push(
      `The pool has no hosted-UI domain prefix: the stack creates ${markdownCode(facts.domainPrefix)} (${markdownCode("userPool.domainPrefix")}).`,
      "",
    );
  }
  lines.push(...table(changed, "Nothing described is changed."), "", "## Left as it is", "", ...table(left, "Nothing."), "");
  lines.push("## Not adopted", "", "The stack has no resource for these: it neither changes nor removes them.", "");
  if (facts.notAdopted.length === 0) lines.push("Nothing.");
  else {
    lines.push(markdownRow(["What", "File", "JSON path", "Why"]), markdownRow(["---", "---", "---", "---"]));
    for (const n of facts.notAdopted)
      lines.push(markdownRow([markdownText(n.what), markdownCode(n.file), markdownCode(n.path), markdownText(n.why)]));
  }
  lines.push(
    "",
    "## Group memberships",
    "",
    "Existing group memberships are left as they are and not managed: the provider cannot import " +
      "`aws_cognito_user_in_group`, so the configuration gives adopted users no `groups`, and the stack neither adds nor removes a membership.",
    "",
    "## Not read",
    "",
    "- Passwords are never read; client secrets are ignored (only whether a client has one counts).",
    `- ${facts.groupsDescribed ? "" : "No list-groups output was given: no group is adopted. "}${facts.usersDescribed ? "" : "No list-users output was given: no user is adopted. "}Clients and resource servers without a describe output are not adopted.`,
    "",
    "## Reproduced",
    "",
    ...table(kept, "Nothing."),
    "",
  );
  return lines.join("\n");
}

function table(outcomes: readonly AttributeOutcome[], none: string): string[] {
  if (outcomes.length === 0) return [none];
  const rows = [
    markdownRow(["Resource", "File", "JSON path", "Terraform attribute", "Described", "After apply", "Note"]),
    markdownRow(["---", "---", "---", "---", "---", "---", "---"]),
  ];
  for (const o of outcomes) {
    rows.push(
      markdownRow([
        markdownCode(o.resource),
        markdownCode(o.file),
        markdownCode(o.path),
        markdownCode(o.attribute),
        value(o.old),
        o.fate === "left" ? "unchanged" : o.new === undefined ? "not set by the stack" : value(o.new),
        o.note === undefined ? "" : markdownText(o.note),
      ]),
    );
  }
  return rows;
}

function value(v: unknown): string {
  if (v === undefined) return "not described";
  return markdownCode(typeof v === "string" ? v : JSON.stringify(v));
}
