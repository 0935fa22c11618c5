/**
 * The one gate every configured string passes before any section is read: configuration text is
 * data, never something Terraform evaluates.
 *
 * Terraform reads almost every string of `cdk.tf.json` (and of the hand-off's HCL) as a template:
 * `${…}` is evaluated (`${file("/proc/self/environ")}`, `${nonsensitive(var.user_passwords)}`),
 * `%{…}` is a directive, and cdktf itself resolves `${TfToken[…]}` at synth. A configured string
 * that held such a sequence would be run by `terraform plan` with the deployer's credentials and
 * variables. Terraform also normalises every string to Unicode NFC, so text in another form would
 * deploy as something other than what the authorizer, the matrix and the review read.
 *
 * The rule is therefore simple and positional only where it must be: **configuration text never
 * contains a template sequence and is always NFC**, wherever it is written (even where Terraform
 * happens to read it literally, such as backend settings and variable defaults: refusing there is
 * harmless and keeps one rule); and **text is a name** (no control characters or line
 * terminators) except in the few free-text fields listed in {@link FREE_TEXT}.
 *
 * Why here, once: {@link configurationTextIssues} walks the raw document (every string value and
 * every object key at any depth: environments' overrides, inlined AWS CLI input files, the JWKS
 * snapshot, fields that are unknown or misspelt), not a list of fields. A field added to the model
 * later is covered without anyone remembering it, and no construct needs to escape anything. The
 * result is refused, not escaped: an escaped `$${` would reach AWS as the text the user wrote, but
 * the authorizer, matrix and review would each need to agree on the unescaping; refusing keeps one
 * value everywhere.
 *
 * No construct joins configuration text directly in front of a Terraform expression (where a
 * trailing `$` or `%` would turn the expression's `${` into the escape `$${`): every such join in
 * `stacks/` puts a literal separator, a quote or the end of the string after the configured part,
 * so a trailing `$` or `%` is accepted.
 *
 * @see https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences-1
 * @packageDocumentation
 */
import { ConfigIssue, show } from "./errors";
import { at } from "./reader";

/** What opens a Terraform template sequence, or one of cdktf's list and map token markers. */
const TEMPLATE_SEQUENCE = /[$%]\{|[#&]\{TfToken\[/;

/**
 * Bidirectional embeddings, overrides and isolates: they reorder how text is shown (in a review, in
 * HANDOFF.md) without changing it, so they are refused everywhere. Right-to-left text needs none.
 */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;

/** A UTF-16 surrogate that is not half of a pair: it has no UTF-8 form, and would be written as U+FFFD. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/** C0 controls, DEL, C1 controls and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/** In free text, line breaks and tabs are text; every other control character is still refused. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FREE_TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/u;

/**
 * The fields where a line break or a tab is text, as paths relative to a configuration (an
 * environment's overrides use the same paths under `environments.<name>`); `*` is any list index.
 * Every other string, object keys included, is a name.
 *
 * - `groups[*].description`: Cognito's `CreateGroup` takes any text up to 2048 characters.
 * - `checks.suppressions[*].reason`: read by people and `npm run check`, never sent to AWS.
 *
 * Scope descriptions stay names: their parser already limits them to printable ASCII.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateGroup.html
 */
export const FREE_TEXT: readonly (readonly (string | "*")[])[] = [
  ["groups", "*", "description"],
  ["checks", "suppressions", "*", "reason"],
];

/**
 * Every problem of the configuration's text, with the path where the text is written: template
 * sequences, lone surrogates, text outside Unicode NFC and bidirectional controls anywhere,
 * control characters and line terminators outside {@link FREE_TEXT}.
 *
 * @param document - the parsed configuration, AWS CLI input files already inlined
 * @returns the problems in document order (empty when all text is acceptable)
 */
export function configurationTextIssues(document: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  walk(document, "", [], issues);
  return issues;
}

function walk(value: unknown, path: string, keys: readonly (string | number)[], issues: ConfigIssue[]): void {
  if (typeof value === "string") {
    const problem = textProblem(value, isFreeText(keys));
    if (problem !== undefined) issues.push({ path: path || "(root)", message: problem });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, at(path, index), [...keys, index], issues));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const keyPath = at(path, key);
      const problem = textProblem(key, false);
      if (problem !== undefined) issues.push({ path: keyPath, message: `this key: ${problem}` });
      walk(item, keyPath, [...keys, key], issues);
    }
  }
}

function isFreeText(keys: readonly (string | number)[]): boolean {
  const relative = keys[0] === "environments" && typeof keys[1] === "string" ? keys.slice(2) : keys;
  return FREE_TEXT.some(
    (pattern) =>
      pattern.length === relative.length &&
      pattern.every((part, i) => (part === "*" ? typeof relative[i] === "number" : part === relative[i])),
  );
}

/** What is wrong with one piece of text, and the fix; `undefined` when nothing is. */
function textProblem(text: string, freeText: boolean): string | undefined {
  const sequence = TEMPLATE_SEQUENCE.exec(text);
  if (sequence !== null) {
    return (
      `holds the template sequence ${show(sequence[0])} in ${show(text)}; configuration text is written to Terraform as literal text, ` +
      'and Terraform would evaluate it; remove the sequence, or write it without "{" after "$" or "%"'
    );
  }
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate !== null) {
    return `holds the lone surrogate ${codePoint(surrogate[0])} in ${escaped(text)}; it has no UTF-8 form and would be written as U+FFFD; remove it`;
  }
  const normalized = text.normalize("NFC");
  if (normalized !== text) {
    return (
      `is not in Unicode NFC from character ${firstDifference(text, normalized) + 1}: ${escaped(text)}; ` +
      "Terraform normalises text to NFC, so AWS would get other text than the " +
      `authorizer, matrix and review read; write it in NFC: ${escaped(normalized)}`
    );
  }
  const bidi = BIDI_CONTROL.exec(text);
  if (bidi !== null) {
    return `holds the bidirectional control ${codePoint(bidi[0])} in ${escaped(text)}; it changes how the text is shown, not what it is; remove it`;
  }
  const control = (freeText ? FREE_TEXT_CONTROL : CONTROL).exec(text);
  if (control !== null) {
    const code = codePoint(control[0]);
    const kind = control[0] === "\u2028" || control[0] === "\u2029" ? "line terminator" : "control character";
    const allowed = freeText ? "only line breaks and tabs are text in this field" : "a name is one line of visible characters";
    return `holds the ${kind} ${code} in ${escaped(text)}; ${allowed}; remove it`;
  }
  return undefined;
}

/** The index of the first UTF-16 unit where `a` and `b` differ. */
function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i += 1;
  return i;
}

/** `U+XXXX` of a one-character string. */
function codePoint(c: string): string {
  return `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A string as JSON with every character outside printable ASCII as a `\u` escape, so look-alikes differ visibly. */
function escaped(text: string): string {
  const json = JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}
