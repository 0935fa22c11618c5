import { isExpression, scanTemplate } from "../../core/terraform-json/template";

describe("scanTemplate: a Terraform JSON string read as Terraform's template scanner reads it", () => {
  test.each([
    ["plain text", "Read items", 0, []],
    ["an interpolation", 'Read ${file("x")}', 1, ["file"]],
    ["a directive", '%{ if fileexists("x") }a%{ endif }', 2, ["fileexists"]],
    ["an escaped interpolation", '$${file("x")}', 0, []],
    ["three dollars: a literal dollar and an escape", '$$${file("x")}', 0, []],
    ["an escaped directive", '%%{ if file("x") }', 0, []],
    ["a lone dollar at the end", "costs 5$", 0, []],
    ["a quoted template inside an interpolation", '${"${file(\\"x\\")}"}', 2, ["file"]],
    ["an escape inside a quoted template", '${"$${file(\\"x\\")}"}', 1, []],
    ["a backslash escape that only looks like a dollar", '${"\\u0024{file(1)}"}', 1, []],
    ["a comment between name and parenthesis", '${file /* c */ ("x")}', 1, ["file"]],
    ["a closing brace inside a comment", '${ /* } */ file("x") }', 1, ["file"]],
    ["a closing brace inside a string", '${ "}" } ${file("x")}', 2, ["file"]],
    ["a heredoc", '${<<-EOT\n  ${pathexpand("~")}\n  EOT\n}', 2, ["pathexpand"]],
    ["namespaces", "${core::file(1)} ${provider::aws::arn_parse(2)}", 2, ["core::file", "provider::aws::arn_parse"]],
  ])("%s", (_title, text, sequences, calls) => {
    const scan = scanTemplate(text);
    expect({ sequences: scan.sequences, calls: scan.calls }).toEqual({ sequences, calls });
    expect(isExpression(text)).toBe(sequences > 0);
  });

  test("finds traversals from a root name, once each, spaces allowed", () => {
    expect(scanTemplate("${path.cwd}/${ path . root }/${var.user_passwords}/${path.cwd}").references).toEqual([
      "path.cwd",
      "path.root",
      "var.user_passwords",
    ]);
  });

  test("reads the text as written and in NFC (Terraform normalises strings)", () => {
    // U+212A KELVIN SIGN is K in NFC: an identifier that only NFC spells is still found
    expect(scanTemplate("${\u212Aeys(x)}").calls).toEqual(expect.arrayContaining(["Keys"]));
  });
});
