import { PolicyStatement, statementsOfPolicyDocumentData, statementsOfPolicyJson } from "../../core/terraform-json/iam";
import { UNKNOWN } from "../../core/terraform-json/values";
import { StackTemplate, constructPathOf, managedResources, parseReference, stackBlocks } from "../../core/terraform-json/document";
import { commentAt, isExpression, quotedStringEnd, scanTemplate, sequenceEnd, templateSequences } from "../../core/terraform-json/template";

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

describe("templateSequences: where the outermost sequences are, and the traversals in them", () => {
  test("GIVEN interpolations, a directive, an escape and a nested template WHEN scanned THEN each outermost one has its span and traversals", () => {
    const text = 'a ${x.y.z} $${no.pe} %{ if p.q }b%{ endif } ${"${m.n}"}';
    const sequences = templateSequences(text);
    expect(sequences.map((s) => [s.opener, text.slice(s.start, s.end), s.terminated])).toEqual([
      ["${", "${x.y.z}", true],
      ["%{", "%{ if p.q }", true],
      ["%{", "%{ endif }", true],
      ["${", '${"${m.n}"}', true],
    ]);
    expect(sequences.map((s) => s.traversals.map((t) => t.parts.join(".")))).toEqual([["x.y.z"], ["p.q"], [], ["m.n"]]);
    const [first] = sequences[0].traversals;
    expect(first.ends.map((end) => text.slice(first.start, end))).toEqual(["x", "x.y", "x.y.z"]);
  });

  test("GIVEN spaces and comments inside a traversal WHEN scanned THEN its names are still one traversal, and an unterminated sequence runs to the end", () => {
    const [sequence] = templateSequences("${ a . b /* c */ . c ");
    expect(sequence.traversals.map((t) => t.parts)).toEqual([["a", "b", "c"]]);
    expect(sequence).toMatchObject({ terminated: false, end: 21 });
  });

  test("GIVEN a traversal that goes through a name WHEN scanned THEN the later names are not roots (the old scanner reported path.cwd here)", () => {
    expect(scanTemplate("${module.m.path.cwd}").references).toEqual(["module.m"]);
  });
});

describe("sequenceEnd, quotedStringEnd, commentAt: the ends the hand-off's formatter needs", () => {
  test.each([
    ["a plain sequence", "${a}", 2, 3],
    ["an object inside", "${ {a = 1} }x", 2, 11],
    ["a brace in a string", '${ "}" }', 2, 7],
    ["a brace in a comment", "${ /* } */ a }", 2, 13],
    ["a strip marker", "${~ a ~}", 2, 7],
    ["a nested template", '${ "${b}" }', 2, 10],
    ["an unterminated sequence", "${ a", 2, undefined],
    ["an unterminated comment", "${ a /* }", 2, undefined],
  ])("sequenceEnd: %s", (_title, text, start, end) => {
    expect(sequenceEnd(text, start)).toBe(end);
  });

  test("quotedStringEnd skips escapes and sequences, and says when nothing closes the string", () => {
    expect(quotedStringEnd('"a\\"b${ "c" }d" x', 1)).toBe(14);
    expect(quotedStringEnd('"a $${"} x', 1)).toBe(6);
    expect(quotedStringEnd('"abc', 1)).toBeUndefined();
  });

  test("commentAt finds block and line comments, ending a line comment at its line break", () => {
    expect(commentAt("a /* b */ c", 2)).toEqual({ end: 9, terminated: true });
    expect(commentAt("a /* b", 2)).toEqual({ end: 6, terminated: false });
    expect(commentAt("a # b\r\nc", 2)).toEqual({ end: 5, terminated: true });
    expect(commentAt("a // b", 2)).toEqual({ end: 6, terminated: true });
    expect(commentAt("a / b", 2)).toBeUndefined();
  });
});

describe("stackBlocks, managedResources, constructPathOf: one way to list a stack's resources", () => {
  const tf = {
    resource: {
      aws_iam_role: { r: { name: "x", "//": { metadata: { path: "s/role" } } }, odd: "not a block" },
      aws_s3_bucket: { b: { "//": { metadata: { path: "" } } } },
    },
    data: { aws_caller_identity: { me: {} } },
  };

  test("GIVEN a cdk.tf.json WHEN listed THEN managed resources come first, with addresses and construct paths (none when empty)", () => {
    expect(stackBlocks(tf).map((b) => [b.mode, b.address, b.constructPath])).toEqual([
      ["managed", "aws_iam_role.r", "s/role"],
      ["managed", "aws_s3_bucket.b", undefined],
      ["data", "data.aws_caller_identity.me", undefined],
    ]);
    expect([...managedResources(tf).keys()]).toEqual(["aws_iam_role.r", "aws_s3_bucket.b"]);
    expect(stackBlocks("not json")).toEqual([]);
  });

  test("GIVEN the same JSON WHEN read by the checks' StackTemplate THEN it lists the same blocks, paths defaulting to the address", () => {
    const stack = new StackTemplate("s", tf);
    expect(stack.all.map((r) => [r.address, r.path])).toEqual([
      ["aws_iam_role.r", "s/role"],
      ["aws_s3_bucket.b", "aws_s3_bucket.b"],
      ["data.aws_caller_identity.me", "data.aws_caller_identity.me"],
    ]);
    expect(constructPathOf(managedResources(tf).get("aws_iam_role.r")!)).toBe("s/role");
  });
});

describe("the one IAM policy reader: policy JSON and aws_iam_policy_document, per the IAM grammar", () => {
  const json = (statement: unknown) => statementsOfPolicyJson(JSON.stringify({ Version: "2012-10-17", Statement: statement }));

  test("GIVEN a statement with every element WHEN read THEN strings and lists read alike, expressions are unknown but kept as written", () => {
    const [statement] = json({
      Sid: "Read",
      Effect: "Allow",
      Action: "dynamodb:GetItem",
      Resource: ["${aws_dynamodb_table.t.arn}", "arn:x"],
      Principal: { AWS: "arn:aws:iam::1:root", Service: ["lambda.amazonaws.com"] },
      Condition: { StringEquals: { "aws:SourceAccount": "1" } },
    }) as PolicyStatement[];
    expect(statement).toMatchObject({
      label: 'Statement[0] (Sid "Read")',
      effect: "Allow",
      actions: ["dynamodb:GetItem"],
      notActions: undefined,
      resources: [UNKNOWN, "arn:x"],
      principals: [
        { type: "AWS", identifiers: ["arn:aws:iam::1:root"] },
        { type: "Service", identifiers: ["lambda.amazonaws.com"] },
      ],
      notPrincipals: undefined,
      written: { actions: ["dynamodb:GetItem"], resources: ["${aws_dynamodb_table.t.arn}", "arn:x"], notResources: undefined },
      conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["1"], written: ["1"] }],
    });
  });

  test('GIVEN "Principal": "*" WHEN read THEN it is the principal type *, as the data source writes it', () => {
    const [fromJson] = json({ Effect: "Allow", Action: "s3:GetObject", Principal: "*" }) as PolicyStatement[];
    const [fromData] = statementsOfPolicyDocumentData({
      statement: [{ actions: ["s3:GetObject"], principals: [{ type: "*", identifiers: ["*"] }] }],
    }) as PolicyStatement[];
    expect(fromJson.principals).toEqual([{ type: "*", identifiers: ["*"] }]);
    expect(fromData.principals).toEqual(fromJson.principals);
    expect(fromData.effect).toBe("Allow"); // the data source's default
  });

  test("GIVEN the same conditions written differently WHEN read THEN their condition text is the same; different values differ", () => {
    const text = (condition: unknown) =>
      (json({ Effect: "Allow", Action: "*", Condition: condition }) as PolicyStatement[])[0].conditionText;
    expect(text({ StringEquals: { a: "1", b: ["x", "y"] } })).toBe(text({ StringEquals: { b: ["y", "x"], a: ["1"] } }));
    expect(text({ StringEquals: { a: "1" } })).not.toBe(text({ StringEquals: { a: "2" } }));
    expect(text(undefined)).toBe("");
  });

  test.each([
    ["an Effect in other case", { Effect: "allow", Action: "*" }],
    ["an Effect only Terraform knows", { Effect: "${var.effect}", Action: "*" }],
  ])("GIVEN %s WHEN read THEN the effect is unknown (Effect is case-sensitive: Allow or Deny)", (_title, statement) => {
    expect((json(statement) as PolicyStatement[])[0].effect).toBe(UNKNOWN);
  });

  test.each([
    ["one interpolation", "${data.aws_iam_policy_document.p.json}"],
    ["not JSON", "{"],
    ["no Statement", JSON.stringify({ Version: "2012-10-17" })],
    ["a statement that is not an object", JSON.stringify({ Statement: [3, { Effect: "Allow", Action: "*" }] })],
  ])("GIVEN a policy with %s WHEN read THEN it is unknown", (_title, value) => {
    expect(statementsOfPolicyJson(value)).toBe(UNKNOWN);
  });

  test("GIVEN a Principal that is neither * nor an object WHEN read THEN the principals are unknown", () => {
    expect((json({ Effect: "Allow", Principal: "arn:x" }) as PolicyStatement[])[0].principals).toBe(UNKNOWN);
  });
});

describe("parseReference: a value that is one reference, read by the shared scanner", () => {
  test.each([
    ["${aws_iam_role.r.arn}", { mode: "managed", type: "aws_iam_role", name: "r", attribute: "arn" }],
    ["${data.aws_caller_identity.me.account_id}", { mode: "data", type: "aws_caller_identity", name: "me", attribute: "account_id" }],
    ["${ aws_iam_role.r-1_A.arn }", { mode: "managed", type: "aws_iam_role", name: "r-1_A", attribute: "arn" }],
    ["${aws_iam_role.r.arn}x", undefined],
    ["$${aws_iam_role.r.arn}", undefined],
    ["${aws_iam_role.r.arn[0]}", undefined],
    ["${aws_iam_role.r.arn.x}", undefined],
    ["${aws_iam_role.r}", undefined],
    ["${upper(aws_iam_role.r.arn)}", undefined],
    ["${aws_iam_role.r.arn}${aws_iam_role.r.arn}", undefined],
    ["%{ if aws_iam_role.r.arn }", undefined],
    [42, undefined],
  ])("%s", (value, expected) => {
    expect(parseReference(value)).toEqual(expected);
  });
});
