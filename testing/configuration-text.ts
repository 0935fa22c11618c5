/**
 * Configuration text for the text gate's tests: generated strings (fast-check, a fixed seed) and
 * corner cases, split by an independent statement of the rule into those the gate must refuse and
 * those it must accept, and the example configuration holding the accepted ones.
 */
import fc from "fast-check";
import { exampleDocument } from "./config";

/** Fixed so a failure reproduces; `SCOPEGATE_FC_SEED` explores others. */
const SEED = Number(process.env.SCOPEGATE_FC_SEED ?? 20_261_206);
const SAMPLES = 120;

/** Pieces that mean something to Terraform templates, HCL strings, heredocs, JSON or Unicode. */
const fragment = fc.constantFrom(
  '"',
  "'",
  "\\",
  "\\\\",
  "\n",
  "\r\n",
  "\t",
  "$",
  "%",
  "$$",
  "%%",
  "$}",
  "%}",
  "{",
  "}",
  "${",
  "%{",
  "$${",
  "%%{",
  "${var.user_passwords}",
  "%{ if true }",
  "${TfToken[TOKEN.1]}",
  "<<EOT",
  "<<-EOT",
  "EOT",
  "\\u0041",
  "\\n",
  "#",
  "//",
  "/*",
  "*/",
  "~",
  "😀",
  "𝔘",
  "日本",
  "caf\u00e9", // NFC
  "cafe\u0301", // not NFC
  "\u212b", // Angstrom sign, NFC is U+00C5
  "\u0001",
  "\u2028",
  "\u202e", // right-to-left override
  "\ud83d", // half of a surrogate pair
);
const text = fc
  .array(
    fc.oneof(
      { arbitrary: fragment, weight: 4 },
      { arbitrary: fc.string({ unit: "grapheme", maxLength: 6 }), weight: 1 },
      { arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 6 }), weight: 2 },
    ),
    {
      minLength: 1,
      maxLength: 8,
    },
  )
  .map((parts) => parts.join(""))
  .filter((s) => s.length > 0);

/** What the gate must refuse in a group description: the rule, written out independently. */
export function mustRefuse(s: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  const wellFormed = Buffer.from(s, "utf8").toString("utf8") === s;
  return /[$%]\{|[#&]\{TfToken\[/.test(s) || !wellFormed || s !== s.normalize("NFC") || control.test(s);
}

/** Printable ASCII, 1-256: what a scope description may be. */
const SCOPE_DESCRIPTION = /^[\x20-\x7e]{1,256}$/;

/** Corner cases every run holds, besides the generated strings. */
const FIXED = [
  'say "hi" \\ C:\\path\\',
  "$$ %% $} %} 100% ends in $",
  "<<EOT\nnot a heredoc\nEOT",
  "<<-EOT\n  indented\n  EOT\n",
  "\\u0041 \\n \\t",
  "# // /* */ ~",
  "caf\u00e9 😀 𝔘 日本",
  "line one\r\nline two\ttab",
];

export const samples = [...FIXED, ...fc.sample(text, { seed: SEED, numRuns: SAMPLES })];
export const accepted = samples.filter((s) => !mustRefuse(s));
export const scopeTexts = accepted.filter((s) => SCOPE_DESCRIPTION.test(s));

/**
 * The longest `api.name` of every character it may hold while the account logging role is managed:
 * the plan checks the log group (`/aws/apigateway/<api.name>/…`) and role (`<api.name>-apigw-logs`) names.
 */
export const API_NAME = "Api.name_with-every.allowed_char-0123456789-ABCDEFGHI";

/** The example with one group per accepted text (its description) and one scope per printable-ASCII text. */
export function documentWith(groupTexts: readonly string[], scopeDescriptions: readonly string[]): Record<string, any> {
  const doc = exampleDocument();
  doc.api.name = API_NAME;
  groupTexts.forEach((description, i) => doc.groups.push({ name: `text-${i}`, description }));
  scopeDescriptions.forEach((description, i) => doc.resourceServers[0].scopes.push({ name: `text-${i}`, description }));
  return doc;
}
