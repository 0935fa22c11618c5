import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { terraformFiles } from "../../handoff/terraform-files";
import { describeWithTerraform, terraform } from "../../testing/terraform";

/** Strings that are hard to carry from Terraform JSON to HCL, each a valid Terraform template. */
const TRICKY: Record<string, string> = {
  quotes_and_backslashes: 'say "hi" \\ C:\\path\\',
  escaped_interpolation: "literal $${not.a.reference} and $$ alone",
  escaped_directive: "literal %%{if} and 100%",
  newline_tab_control: "line one\nline two\ttabbed\r\u0001end",
  unicode: "café ✅ 日本",
  policy_with_reference:
    '{"Statement":[{"Resource":["${upper("arn:aws:s3:::bucket")}/*"],"Condition":{"x":"${jsonencode({"a" = "b\\"c"})}"}}]}',
  function_with_quoted_argument: '${replace("a:b:c", ":", "/")}',
  nested_template: '${"outer ${"inner"} done"}',
  directive: '%{ if length("ab") == 2 }two%{ else }other%{ endif }',
  braces_in_expression: '${jsonencode({"k" = {"n" = 1}})}',
  dollar_brace_inside_string_literal: '${"$${kept}"}',
  only_interpolation_number: "${1 + 2}",
  for_expression: '${[for s in ["a", "b"] : upper(s)]}',
  conditional_with_negation: '${length("x")==1?-1:2}',
  object_constructor_alone: 'x${{"a"=1}["a"]}',
  splat: '${[{"n" = 1}][*].n}',
  comment_in_interpolation: 'a ${ 1 /* } " */ + 1 } b',
  heredoc_looking_literal: "<<EOT\nnot a heredoc\nEOT\n<<-EOT\n  EOT",
  non_nfc_text: "cafe\u0301 \u212b",
  backslash_sequences_literal: '\\u0041 \\n \\" $$ $} %% %} $ %',
};

describeWithTerraform("HCL strings under Terraform", (tf) => {
  test("every tricky string evaluates to the same value from HCL as from Terraform JSON, and the HCL is fmt-clean", () => {
    // GIVEN one configuration in JSON and its HCL, each with an output per tricky string
    const output = Object.fromEntries(Object.entries(TRICKY).map(([name, value]) => [name, { value }]));
    const base = mkdtempSync(join(tmpdir(), "scopegate-hcl-"));
    const [jsonDir, hclDir] = ["json", "hcl"].map((name) => join(base, name));
    for (const dir of [jsonDir, hclDir]) mkdirSync(dir);
    writeFileSync(join(jsonDir, "main.tf.json"), JSON.stringify({ output }));
    writeFileSync(join(hclDir, "outputs.tf"), terraformFiles({ output }, "s")["outputs.tf"]);
    // WHEN Terraform plans both (no provider needed)
    const values = [jsonDir, hclDir].map((dir) => {
      terraform(tf, dir, ["init", "-input=false", "-no-color"]);
      terraform(tf, dir, ["plan", "-input=false", "-no-color", "-out=plan.bin"]);
      const plan = JSON.parse(terraform(tf, dir, ["show", "-json", "plan.bin"]));
      return plan.planned_values.outputs;
    });
    // THEN the values are equal, and they are what Terraform JSON means
    expect(values[1]).toEqual(values[0]);
    expect(values[0].escaped_interpolation.value).toBe("literal ${not.a.reference} and $$ alone");
    expect(values[0].policy_with_reference.value).toBe(
      '{"Statement":[{"Resource":["ARN:AWS:S3:::BUCKET/*"],"Condition":{"x":"{"a":"b\\"c"}"}}]}',
    );
    expect(values[0].only_interpolation_number.value).toBe(3);
    expect(values[0].comment_in_interpolation.value).toBe("a 2 b");
    expect(values[0].heredoc_looking_literal.value).toBe(TRICKY.heredoc_looking_literal);
    expect(values[0].backslash_sequences_literal.value).toBe(TRICKY.backslash_sequences_literal);
    // Terraform normalises text to NFC: why the configuration's text gate refuses any other form
    expect(values[0].non_nfc_text.value).toBe("caf\u00e9 \u00c5");
    expect(() => terraform(tf, hclDir, ["fmt", "-check", "-no-color"])).not.toThrow();
  }, 60000);
});
