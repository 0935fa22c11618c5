import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  formatHcl,
  HclWriter,
  interpolationOnly,
  objectKey,
  quoteLiteral,
  quoteTemplate,
  renderValue,
  splitTemplate,
  stringExpression,
  writeBody,
} from "../../handoff/hcl";
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
  unicode_line_separators: "one\u2028two\u2029three\u0085four",
  escape_runs: "$$${a} %%%{b} $$$ %%% $",
  quote_and_brace_in_nested_string: '${"}\\"${"{"}"} after',
};

/** Text from a configuration that must stay data in HCL: Terraform reads each as this literal. */
const HOSTILE_LITERALS: Record<string, string> = {
  interpolation: '${file("/etc/passwd")} and ${var.secret}',
  directive: "%{ for x in [1] }${x}%{ endfor }",
  escapes_already: "$${x} %%{y} $$ %%",
  heredoc: "<<EOT\n${x}\nEOT\n<<-EOT\n  x\n  EOT",
  quotes_and_backslashes: 'a "quoted" \\" \\\\ \\n \\${x} end\\',
  newlines: "a\nb\r\nc\rd\te",
  line_separators: "a\u2028b\u2029c\u0085d",
  closing_the_string: '" } resource "x" "y" { a = "',
  comment_markers: "# not a comment // nor /* this */",
  escape_runs: "$${x} $$${y} %%%{z} ${",
  lone_openers: "${ %{ } $",
};

/** An expression as hclwrite lays it out (what every file of the hand-off passes through). */
async function laidOut(expression: string): Promise<string> {
  const text = await formatHcl(`x = ${expression}\n`);
  return text.replace(/^x = /, "").trimEnd();
}

describe("splitTemplate", () => {
  test("separates literal text from sequences, keeping escapes literal and nested quotes inside the sequence", () => {
    expect(splitTemplate('a $${b} ${f("}", "${x}")} %{ if true }y%{ endif }')).toEqual([
      { kind: "literal", text: "a $${b} " },
      { kind: "sequence", text: '${f("}", "${x}")}' },
      { kind: "literal", text: " " },
      { kind: "sequence", text: "%{ if true }" },
      { kind: "literal", text: "y" },
      { kind: "sequence", text: "%{ endif }" },
    ]);
  });

  test("a block comment inside a sequence is skipped, braces and quotes in it included", () => {
    expect(splitTemplate('a ${ 1 /* } " */ } b')).toEqual([
      { kind: "literal", text: "a " },
      { kind: "sequence", text: '${ 1 /* } " */ }' },
      { kind: "literal", text: " b" },
    ]);
    expect(splitTemplate('${"${ 1 /* } */ }"}x')).toEqual([
      { kind: "sequence", text: '${"${ 1 /* } */ }"}' },
      { kind: "literal", text: "x" },
    ]);
    // inside a string, /* is text
    expect(splitTemplate('${"/* }"} */')).toEqual([
      { kind: "sequence", text: '${"/* }"}' },
      { kind: "literal", text: " */" },
    ]);
  });

  test("a line comment (# or //) inside a sequence runs to the end of its line", () => {
    for (const marker of ["#", "//"]) {
      expect(splitTemplate(`\${ 1 ${marker} } "\n }x`)).toEqual([
        { kind: "sequence", text: `\${ 1 ${marker} } "\n }` },
        { kind: "literal", text: "x" },
      ]);
    }
  });

  test("fails on an unterminated sequence, naming the string", () => {
    expect(() => splitTemplate("x ${var.a")).toThrow('unterminated template sequence in "x ${var.a"');
  });

  test("fails on a sequence left open by a string, a block comment or a nested sequence inside it", () => {
    for (const value of ['x ${"a}', 'x ${"${a"}', "x ${ a /* } */", "x %{ if true } ${ %{ endif }"]) {
      expect(() => splitTemplate(value)).toThrow(`unterminated template sequence in ${JSON.stringify(value)}`);
    }
  });

  test("escapes of any run length stay literal text, and so does a lone $ or % before a sequence", () => {
    expect(splitTemplate("$${a} %%{b} $$${c} %%%{d} $")).toEqual([{ kind: "literal", text: "$${a} %%{b} $$${c} %%%{d} $" }]);
    expect(splitTemplate("$$${a}${b}")).toEqual([
      { kind: "literal", text: "$$${a}" },
      { kind: "sequence", text: "${b}" },
    ]);
  });

  test("a heredoc inside a sequence is skipped as the shared template scanner skips it: a brace in it closes nothing", () => {
    expect(splitTemplate("${<<EOT\n}\nEOT\n}x")).toEqual([
      { kind: "sequence", text: "${<<EOT\n}\nEOT\n}" },
      { kind: "literal", text: "x" },
    ]);
    // the hand-off refuses it all the same (a sequence on several lines, a heredoc in an expression)
    expect(() => quoteTemplate("${<<EOT\n}\nEOT\n}x")).toThrow(/a template sequence spans lines/);
  });
});

describe("strings", () => {
  test("a template keeps its sequences and escapes only its literal text", async () => {
    expect(await laidOut(quoteTemplate('{"Resource":"${aws_s3_bucket.b.arn}/*"}'))).toBe(
      '"{\\"Resource\\":\\"${aws_s3_bucket.b.arn}/*\\"}"',
    );
    expect(await laidOut(quoteTemplate('${filebase64sha256("assets/a.zip")}x'))).toBe('"${filebase64sha256("assets/a.zip")}x"');
    expect(quoteTemplate("a\nb\\c")).toBe('"a\\nb\\\\c"');
  });

  test("a sequence is written as its tokens one space apart, which hclwrite spaces as terraform fmt does, inside nested strings too", async () => {
    expect(quoteTemplate('x${a-b - c}${ {"k"=1}["k"] }')).toBe('"x${ a-b - c }${ { "k" = 1 } [ "k" ] }"');
    expect(await laidOut(quoteTemplate('x${a-b - c}${ {"k"=1}["k"] }'))).toBe('"x${a-b - c}${ { "k" = 1 }["k"]}"');
    expect(await laidOut(stringExpression('${upper("${ {"a"=1}.a}")==-1?x[0]:f(y...)}'))).toBe(
      'upper("${ { "a" = 1 }.a}") == -1 ? x[0] : f(y...)',
    );
  });

  test("a comment inside a sequence is dropped (HCL reads it as a space); one that runs to the line's end is refused", async () => {
    expect(await laidOut(quoteTemplate("a ${ 1 /* } */ } b"))).toBe('"a ${1} b"');
    expect(quoteTemplate('${"${ 2 /* } */ }"}')).not.toContain("/*");
    expect(await laidOut(interpolationOnly("${ aws_x.y.id /* the id */ }") as string)).toBe("aws_x.y.id");
    expect(() => quoteTemplate("a ${ 1 # }\n } b")).toThrow(/a template sequence spans lines/);
  });

  test("literal text stays literal: quotes, backslashes, escapes, line breaks and heredoc-looking text", () => {
    expect(quoteTemplate('say "hi" \\ $${x} %%{y} $} %} $')).toBe('"say \\"hi\\" \\\\ $${x} %%{y} $} %} $"');
    expect(quoteTemplate("<<EOT\nx\nEOT")).toBe('"<<EOT\\nx\\nEOT"');
    expect(quoteTemplate("\\u0041 \\n")).toBe('"\\\\u0041 \\\\n"');
  });

  test("a literal escapes template sequences so HCL reads the same text", () => {
    expect(quoteLiteral("${x} %{y} $z")).toBe('"$${x} %%{y} $z"');
  });

  test("a string that is one interpolation becomes its bare expression", async () => {
    expect(await laidOut(interpolationOnly("${aws_iam_role.r.arn}") as string)).toBe("aws_iam_role.r.arn");
    expect(interpolationOnly("${a}${b}")).toBeUndefined();
    expect(interpolationOnly("x${a}")).toBeUndefined();
    expect(interpolationOnly("${~ a ~}")).toBeUndefined();
    expect(await laidOut(renderValue(["${a.b.c}", "x"]).join("\n"))).toBe('[a.b.c, "x"]');
  });

  test("object keys are bare only where HCL reads them as the same literal name", () => {
    expect([objectKey("name"), objectKey("managed-by"), objectKey("application/json"), objectKey("for"), objectKey("a.b")]).toEqual([
      "name",
      "managed-by",
      '"application/json"',
      '"for"',
      '"a.b"',
    ]);
  });
});

describe("blocks and attributes", () => {
  test("the provider schema decides: a block is written as a block, a map as an attribute, laid out as terraform fmt does", async () => {
    const w = new HclWriter().open("resource", ["aws_lambda_function", "fn"]);
    writeBody(
      w,
      {
        "//": { metadata: { path: "s/fn" } },
        function_name: "f",
        environment: { variables: { A: "1", LONGER_NAME: "${aws_x.y.id}" } },
        tags: { "team-name": "platform" },
        depends_on: ["aws_iam_role.r"],
      },
      { environment: { nesting: "list", blocks: {} } },
      "resource aws_lambda_function.fn",
    );
    // the writer writes the tokens, one line each; hclwrite's format indents and aligns them
    expect(w.close().toString()).toContain('\nvariables = {\nA = "1"\nLONGER_NAME = aws_x . y . id\n}\n');
    expect(await w.render()).toBe(
      [
        'resource "aws_lambda_function" "fn" {',
        '  function_name = "f"',
        "  tags = {",
        '    team-name = "platform"',
        "  }",
        "",
        "  environment {",
        "    variables = {",
        '      A           = "1"',
        "      LONGER_NAME = aws_x.y.id",
        "    }",
        "  }",
        "",
        "  depends_on = [aws_iam_role.r]",
        "}",
        "",
      ].join("\n"),
    );
  });

  test("an empty nested block is written on one line, as terraform fmt leaves it", async () => {
    const tf = { resource: { aws_wafv2_web_acl: { acl: { name: "a", default_action: { allow: {} }, rule_json: '[{"Name":"x"}]' } } } };
    expect((await terraformFiles(tf, "s"))["main.tf"]).toBe(
      [
        'resource "aws_wafv2_web_acl" "acl" {',
        '  name      = "a"',
        '  rule_json = "[{\\"Name\\":\\"x\\"}]"',
        "",
        "  default_action {",
        "    allow {}",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });

  test("a construct path is written as a comment that no line break in it can end (text from a configuration stays data)", async () => {
    const path = 's/d\nresource "terraform_data" "evil" {}\r\u2028\u2029\u0085# x';
    const tf = { resource: { terraform_data: { d: { "//": { metadata: { path } }, input: "x" } } } };
    expect((await terraformFiles(tf, "s"))["main.tf"]).toBe(
      [
        '# s/d\\u000aresource "terraform_data" "evil" {}\\u000d\\u2028\\u2029\\u0085# x',
        'resource "terraform_data" "d" {',
        '  input = "x"',
        "}",
        "",
      ].join("\n"),
    );
  });

  test("text written bare (an argument's name, a reference, a provider, a variable's type) must be HCL tokens on one line, or it is refused", async () => {
    const evil = '\nresource "terraform_data" "evil" {}\n';
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["an argument's name", { resource: { terraform_data: { d: { [`input${evil}x`]: "y" } } } }, /is not an HCL name/],
      ["a reference", { resource: { terraform_data: { d: { depends_on: [`terraform_data.e${evil}`] } } } }, /unexpected "\\n"/],
      [
        "a lifecycle reference",
        { resource: { terraform_data: { d: { lifecycle: { ignore_changes: [`input${evil}`] } } } } },
        /unexpected "\\n"/,
      ],
      ["a provider", { resource: { terraform_data: { d: { provider: `aws.west${evil}` } } } }, /unexpected "\\n"/],
      ["a variable's type", { variable: { v: { type: `string${evil}` } } }, /unexpected "\\n"/],
      ["a block's name", { locals: { [`a${evil}`]: 1 } }, /is not an HCL name/],
    ];
    for (const [what, tf, message] of cases) {
      await expect(terraformFiles(tf, "s").then(() => what)).rejects.toThrow(
        expect.objectContaining({ code: "ERR_HANDOFF_UNSUPPORTED", message: expect.stringMatching(message) }),
      );
    }
  });

  test("fails on a resource type no provider binding describes, naming it", async () => {
    await expect(terraformFiles({ resource: { aws_no_such_thing: { b: {} } } }, "s")).rejects.toThrow(
      /^stack s: aws_no_such_thing is not a type of the AWS provider bindings \(@cdktf\/provider-aws\): the hand-off cannot tell its blocks from its attributes$/,
    );
    await expect(terraformFiles({ data: { aws_no_such_thing: { d: {} } } }, "s")).rejects.toThrow(
      /^stack s: data\.aws_no_such_thing is not a type of the AWS provider bindings/,
    );
  });

  test("fails on an argument the bindings type `any` (WAF's recursive statement) rather than guessing block or attribute", async () => {
    const rule = { name: "r", priority: 1, statement: { rate_based_statement: { limit: 100, aggregate_key_type: "IP" } } };
    const tf = { resource: { aws_wafv2_web_acl: { acl: { name: "a", default_action: { allow: {} }, rule: [rule] } } } };
    await expect(terraformFiles(tf, "s")).rejects.toThrow(
      expect.objectContaining({
        code: "ERR_HANDOFF_UNSUPPORTED",
        message: expect.stringMatching(/^aws_wafv2_web_acl\.acl\.rule\.statement: the provider bindings do not say whether it is a block/),
      }),
    );
  });

  test("fails on a dynamic block rather than guessing", async () => {
    const tf = { resource: { aws_iam_role: { r: { dynamic: { inline_policy: { for_each: "${var.x}" } } } } } };
    await expect(terraformFiles(tf, "s")).rejects.toThrow(
      'aws_iam_role.r: "dynamic" blocks are not translated; write the blocks out in the stack',
    );
  });
});

describeWithTerraform("HCL strings under Terraform", (tf) => {
  test("every tricky string evaluates to the same value from HCL as from Terraform JSON, and the HCL is fmt-clean", async () => {
    // GIVEN one configuration in JSON and its HCL, each with an output per tricky string
    const output = Object.fromEntries(Object.entries(TRICKY).map(([name, value]) => [name, { value }]));
    const base = mkdtempSync(join(tmpdir(), "scopegate-hcl-"));
    const [jsonDir, hclDir] = ["json", "hcl"].map((name) => join(base, name));
    for (const dir of [jsonDir, hclDir]) mkdirSync(dir);
    writeFileSync(join(jsonDir, "main.tf.json"), JSON.stringify({ output }));
    writeFileSync(join(hclDir, "outputs.tf"), (await terraformFiles({ output }, "s"))["outputs.tf"]);
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
    expect(values[0].unicode_line_separators.value).toBe(TRICKY.unicode_line_separators);
    expect(() => terraform(tf, hclDir, ["fmt", "-check", "-no-color"])).not.toThrow();
  }, 60000);

  test("text Terraform reads literally (a variable's default and description) reads back from the HCL as the same literal", async () => {
    // GIVEN variables whose default and description are hostile text, and outputs of them, in JSON and in HCL
    const variable = Object.fromEntries(
      Object.entries(HOSTILE_LITERALS).map(([name, value]) => [name, { type: "string", default: value, description: value }]),
    );
    const output = Object.fromEntries(Object.keys(HOSTILE_LITERALS).map((name) => [name, { value: `\${var.${name}}` }]));
    const base = mkdtempSync(join(tmpdir(), "scopegate-hcl-literal-"));
    const [jsonDir, hclDir] = ["json", "hcl"].map((name) => join(base, name));
    for (const dir of [jsonDir, hclDir]) mkdirSync(dir);
    writeFileSync(join(jsonDir, "main.tf.json"), JSON.stringify({ variable, output }));
    const files = await terraformFiles({ variable, output }, "s");
    writeFileSync(join(hclDir, "variables.tf"), files["variables.tf"]);
    writeFileSync(join(hclDir, "outputs.tf"), files["outputs.tf"]);
    // WHEN Terraform plans both
    const plans = [jsonDir, hclDir].map((dir) => {
      terraform(tf, dir, ["init", "-input=false", "-no-color"]);
      terraform(tf, dir, ["plan", "-input=false", "-no-color", "-out=plan.bin"]);
      return JSON.parse(terraform(tf, dir, ["show", "-json", "plan.bin"]));
    });
    // THEN every value is the literal text, from either syntax, and so is every description
    for (const [name, value] of Object.entries(HOSTILE_LITERALS)) {
      for (const plan of plans) {
        expect({ name, value: plan.planned_values.outputs[name].value }).toEqual({ name, value });
        expect({ name, description: plan.configuration.root_module.variables[name].description }).toEqual({ name, description: value });
      }
    }
    expect(() => terraform(tf, hclDir, ["fmt", "-check", "-no-color"])).not.toThrow();
  }, 60000);
});
