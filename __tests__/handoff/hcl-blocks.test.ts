import { HclWriter, writeBody } from "../../handoff/hcl";
import { terraformFiles } from "../../handoff/terraform-files";

// Blocks and attributes as the recorded provider schema (handoff/aws-provider-blocks.json) decides them.

describe("blocks and attributes", () => {
  test("the provider schema decides: a block is written as a block, a map as an attribute, aligned as terraform fmt does", () => {
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
      { environment: ["list"] },
      "resource aws_lambda_function.fn",
    );
    expect(w.close().toString()).toBe(
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

  test("an empty nested block is written on one line, as terraform fmt leaves it", () => {
    const tf = { resource: { aws_wafv2_web_acl: { acl: { name: "a", default_action: { allow: {} }, rule_json: '[{"Name":"x"}]' } } } };
    expect(terraformFiles(tf, "s")["main.tf"]).toBe(
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

  test("fails on a resource type outside the recorded provider schema, naming it and the fix", () => {
    expect(() => terraformFiles({ resource: { aws_s3_bucket: { b: {} } } }, "s")).toThrow(
      /^stack s: aws_s3_bucket is not in handoff\/aws-provider-blocks\.json .*add its prefix to RECORDED_PREFIXES/,
    );
  });

  test("fails on a dynamic block rather than guessing", () => {
    const tf = { resource: { aws_iam_role: { r: { dynamic: { inline_policy: { for_each: "${var.x}" } } } } } };
    expect(() => terraformFiles(tf, "s")).toThrow('aws_iam_role.r: "dynamic" blocks are not translated; write the blocks out in the stack');
  });
});
