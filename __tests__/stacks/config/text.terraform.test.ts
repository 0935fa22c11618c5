import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHandoff } from "../../../handoff/cli";
import { parseConfigs } from "../../../stacks/config/environments";
import { configurationTextIssues } from "../../../stacks/config/text";
import { PROJECT_ROOT, synthOutput } from "../../../testing/app";
import { exampleDocument } from "../../../testing/config";
import { describeWithTerraform, planAlone } from "../../../testing/terraform";

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
function mustRefuse(s: string): boolean {
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

const samples = [...FIXED, ...fc.sample(text, { seed: SEED, numRuns: SAMPLES })];
const accepted = samples.filter((s) => !mustRefuse(s));
const scopeTexts = accepted.filter((s) => SCOPE_DESCRIPTION.test(s));

/**
 * The longest `api.name` of every character it may hold while the account logging role is managed:
 * the plan checks the log group (`/aws/apigateway/<api.name>/…`) and role (`<api.name>-apigw-logs`) names.
 */
const API_NAME = "Api.name_with-every.allowed_char-0123456789-ABCDEFGHI";

/** The example with one group per accepted text (its description) and one scope per printable-ASCII text. */
function documentWith(groupTexts: readonly string[], scopeDescriptions: readonly string[]): Record<string, any> {
  const doc = exampleDocument();
  doc.api.name = API_NAME;
  groupTexts.forEach((description, i) => doc.groups.push({ name: `text-${i}`, description }));
  scopeDescriptions.forEach((description, i) => doc.resourceServers[0].scopes.push({ name: `text-${i}`, description }));
  return doc;
}

describe("the text gate over generated strings", () => {
  test("the samples hold both kinds, so both halves of the property are exercised", () => {
    expect(accepted.length).toBeGreaterThan(10);
    expect(samples.length - accepted.length).toBeGreaterThan(10);
    expect(scopeTexts.length).toBeGreaterThan(10);
    const all = accepted.join("");
    for (const piece of ['"', "\\", "\n", "$$", "%%", "$}", "<<EOT", "<<-EOT", "\\u", "/*", "😀", "\u00e9"]) expect(all).toContain(piece);
  });

  test("every string with a template sequence, outside NFC or with a control character is refused at its path", () => {
    samples.forEach((s, i) => {
      const issues = configurationTextIssues({ groups: [{ name: "g", description: s }] });
      if (mustRefuse(s)) expect({ i, s, paths: issues.map((issue) => issue.path) }).toEqual({ i, s, paths: ["groups[0].description"] });
      else expect({ i, s, issues }).toEqual({ i, s, issues: [] });
    });
  });

  test("the configuration with every accepted string is valid", () => {
    expect(() => parseConfigs(documentWith(accepted, scopeTexts), "generated.json")).not.toThrow();
  });
});

/** Group descriptions and scope descriptions as a plan sets them. */
async function plannedTexts(
  tf: Parameters<typeof planAlone>[0],
  dir: string,
): Promise<{ groups: Record<string, string>; scopes: Record<string, string>; logGroups: string[]; roles: string[] }> {
  const { plan } = await planAlone(tf, dir);
  const after = (type: string) => (plan.resource_changes as any[]).filter((c) => c.type === type).map((c) => c.change.after);
  const groups = Object.fromEntries(after("aws_cognito_user_group").map((g) => [g.name as string, g.description as string]));
  const scopes = Object.fromEntries(
    after("aws_cognito_resource_server").flatMap((server) =>
      (server.scope as { scope_name: string; scope_description: string }[]).map((s) => [s.scope_name, s.scope_description]),
    ),
  );
  const logGroups = after("aws_cloudwatch_log_group").map((g) => g.name as string);
  const roles = after("aws_iam_role").map((r) => r.name as string);
  return { groups, scopes, logGroups, roles };
}

describeWithTerraform("configuration text under Terraform (offline plan)", (tf) => {
  const expected = {
    groups: Object.fromEntries(accepted.map((s, i) => [`text-${i}`, s])),
    scopes: Object.fromEntries(scopeTexts.map((s, i) => [`text-${i}`, s])),
  };
  let fromJson: Awaited<ReturnType<typeof plannedTexts>>;
  let fromHcl: Awaited<ReturnType<typeof plannedTexts>>;

  beforeAll(async () => {
    // GIVEN one configuration holding every accepted string, synthesized and handed off
    const file = join(mkdtempSync(join(tmpdir(), "scopegate-text-config-")), "config.json");
    writeFileSync(file, JSON.stringify(documentWith(accepted, scopeTexts)));
    const synth = { outdir: synthOutput(file) };
    const handoffOut = join(mkdtempSync(join(tmpdir(), "scopegate-text-handoff-")), "handoff");
    const handoff = await runHandoff(["--from", synth.outdir, "--out", handoffOut], PROJECT_ROOT, { SCOPEGATE_CONFIG: file });
    if (handoff.status !== 0) throw new Error(`handoff failed: ${handoff.stderr}`);
    // WHEN Terraform plans the stack's JSON and its hand-off HCL
    [fromJson, fromHcl] = await Promise.all([
      plannedTexts(tf, join(synth.outdir, "stacks", "scopegate-example")),
      plannedTexts(tf, join(handoffOut, "scopegate-example")),
    ]);
  }, 600000);

  test("from cdk.tf.json, every planned text is the configured text, exactly", () => {
    // THEN Terraform evaluated nothing: each value is the literal text
    expect(pick(fromJson.groups, expected.groups)).toEqual(expected.groups);
    expect(pick(fromJson.scopes, expected.scopes)).toEqual(expected.scopes);
  });

  test("the longest api.name accepted with every allowed character plans as a log group and an IAM role name", () => {
    expect(API_NAME).toHaveLength(53);
    for (const planned of [fromJson, fromHcl]) {
      expect(planned.logGroups).toContain(`/aws/apigateway/${API_NAME}/v1/access`);
      expect(planned.roles).toContain(`${API_NAME}-apigw-logs`);
    }
  });

  test("from the hand-off's HCL, every planned text is the configured text, exactly", () => {
    expect(pick(fromHcl.groups, expected.groups)).toEqual(expected.groups);
    expect(pick(fromHcl.scopes, expected.scopes)).toEqual(expected.scopes);
  });
});

/** The entries of `values` under the keys of `expected` (the example's own groups and scopes left out). */
function pick(values: Record<string, string>, expected: Record<string, string>): Record<string, string | undefined> {
  return Object.fromEntries(Object.keys(expected).map((key) => [key, values[key]]));
}
