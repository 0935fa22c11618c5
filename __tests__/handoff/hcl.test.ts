import { interpolationOnly, objectKey, quoteLiteral, quoteTemplate, renderValue, splitTemplate } from "../../handoff/hcl";

// HCL text as written: templates and strings. Blocks and attributes are in hcl-blocks.test.ts; Terraform reading
// the text back is in hcl.terraform.test.ts.

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
});

describe("strings", () => {
  test("a template keeps its sequences and escapes only its literal text", () => {
    expect(quoteTemplate('{"Resource":"${aws_s3_bucket.b.arn}/*"}')).toBe('"{\\"Resource\\":\\"${aws_s3_bucket.b.arn}/*\\"}"');
    expect(quoteTemplate('${filebase64sha256("assets/a.zip")}x')).toBe('"${filebase64sha256("assets/a.zip")}x"');
    expect(quoteTemplate("a\nb\\c")).toBe('"a\\nb\\\\c"');
  });

  test("a comment inside a sequence is dropped (HCL reads it as a space); one that runs to the line's end is refused", () => {
    expect(quoteTemplate("a ${ 1 /* } */ } b")).toBe('"a ${1} b"');
    expect(interpolationOnly("${ aws_x.y.id /* the id */ }")).toBe("aws_x.y.id");
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

  test("a string that is one interpolation becomes its bare expression", () => {
    expect(interpolationOnly("${aws_iam_role.r.arn}")).toBe("aws_iam_role.r.arn");
    expect(interpolationOnly("${a}${b}")).toBeUndefined();
    expect(interpolationOnly("x${a}")).toBeUndefined();
    expect(interpolationOnly("${~ a ~}")).toBeUndefined();
    expect(renderValue(["${a.b.c}", "x"])).toEqual(['[a.b.c, "x"]']);
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
