import { evaluateStack } from "../../../checks/evaluate";
import { STACK, addressOf, evaluate, exampleTemplate, findingsOf, resource, rule } from "../fixtures";

const RULE = "SG-TF-001";
const SERVER = "aws_cognito_resource_server";
const GROUP = "aws_cognito_user_group";
const FUNCTION = "aws_lambda_function";

/** `[address, attribute, detail]` of each SG-TF-001 finding, all of them critical. */
function flagged(tf: unknown): string[][] {
  const findings = findingsOf(tf, RULE);
  for (const finding of findings) expect(finding.severity).toBe("critical");
  return findings.map((f) => [f.address, f.attribute, f.detail]);
}

/** The example with `text` as the description of the resource server's first scope. */
function withScopeDescription(text: string): any {
  const tf = exampleTemplate();
  resource(tf, SERVER, "server").scope[0].scope_description = text;
  return tf;
}

const READS_FILE = "it reads a file of the machine that runs Terraform, and a plan can print it";

describe("SG-TF-001: Terraform is not made to read files or the environment, unmask secrets or run programs", () => {
  test("the synthesized example passes, its own package hash included", () => {
    // GIVEN the example, whose authorizer function has source_code_hash = filebase64sha256 of its package
    const tf = exampleTemplate();
    expect(resource(tf, FUNCTION, "authorizer/function").source_code_hash).toMatch(
      /^\$\{filebase64sha256\("assets\/.+\/authorizer\.zip"\)\}$/,
    );
    // WHEN the rule runs THEN nothing is reported
    expect(flagged(tf)).toEqual([]);
  });

  test("fails when a scope description reads a file, naming the address, the attribute, the function and the fix", () => {
    // GIVEN a scope description with a planted file(...)
    const tf = withScopeDescription('Read ${file("x")}');
    // WHEN the rule runs
    const findings = findingsOf(tf, RULE);
    // THEN the description is reported, critical, with the fix
    const address = addressOf(tf, SERVER, "server");
    expect(findings.map((f) => [f.rule, f.severity, f.address, f.attribute, f.message])).toEqual([
      [
        RULE,
        "critical",
        address,
        "scope[0].scope_description",
        `${STACK}/resource-server-api.example.com/server (${address}): scope[0].scope_description calls file(): ${READS_FILE}`,
      ],
    ]);
    expect(findings[0].fix).toContain("Never run terraform plan or apply on this output");
    expect(findings[0].fix).toContain("npm run synth");
  });

  test("fails when a group description unmasks the users' passwords", () => {
    // GIVEN a user group whose description prints every password
    const tf = exampleTemplate();
    const [name] = Object.keys(tf.resource[GROUP]);
    tf.resource[GROUP][name].description = "${jsonencode(nonsensitive(var.user_passwords))}";
    // WHEN the rule runs THEN nonsensitive is reported (jsonencode is harmless), and the sensitive variable out of its place
    expect(flagged(tf)).toEqual([
      [
        `${GROUP}.${name}`,
        "description",
        "description calls nonsensitive(): it unmasks a sensitive value (such as the users' passwords), so a plan prints it",
      ],
      [
        `${GROUP}.${name}`,
        "description",
        "description refers to the sensitive var.user_passwords: only a user's password takes it; anywhere else a plan, an output or an error message can show it",
      ],
    ]);
  });

  test("fails when the sensitive variable is passed anywhere but a user's password, where a provider's error would print it", () => {
    // GIVEN the passwords map indexed into the user pool's MFA setting and into an output (users' passwords stay as synthesized)
    const tf = exampleTemplate();
    resource(tf, "aws_cognito_user_pool", "user-pool/pool").mfa_configuration = '${var.user_passwords["alice"]}';
    tf.output.passwords = { value: "${var.user_passwords}", sensitive: true };
    // WHEN the rule runs THEN both are reported, and no user's password is
    expect(flagged(tf).map(([address, attribute]) => [address, attribute])).toEqual([
      ["output.passwords", "value"],
      [addressOf(tf, "aws_cognito_user_pool", "user-pool/pool"), "mfa_configuration"],
    ]);
  });

  test.each([
    ["a directive", '%{ if fileexists("x") }yes%{ endif }', "fileexists"],
    ["the core:: namespace with spaces", '${ core::file ("x") }', "core::file"],
    ["spaces around ::", '${core :: file("x")}', "core::file"],
    ["a comment before the parenthesis", '${file /* harmless */ ("x")}', "file"],
    ["a line comment and a newline before the parenthesis", '${file # harmless\n("x")}', "file"],
    ["strip markers", '%{~ for f in fileset(".", "*") ~}${f}%{~ endfor ~}', "fileset"],
    ["a quoted template inside an interpolation", '${"${file("x")}"}', "file"],
    ["a heredoc inside an interpolation", '${<<EOT\n${filebase64("x")}\nEOT\n}', "filebase64"],
    ["an object constructor", '${ { a = filesha256("x") }["a"] }', "filesha256"],
    ["a second $ that is not an escape", '$ ${templatefile("x", {})}', "templatefile"],
    ["text that templatestring would evaluate", "${templatestring(local.t, {})}", "templatestring"],
    ["a provider-defined function", '${provider::aws::arn_parse("x")}', "provider::aws::arn_parse"],
    ["the home folder", '${pathexpand("~")}', "pathexpand"],
    ["the package hash of another file", '${filebase64sha256("/proc/self/environ")}', "filebase64sha256"],
    ["an unterminated sequence", '${file("x")', "file"],
  ])("fails on %s", (_title, text, call) => {
    // GIVEN a scope description holding the expression WHEN the rule runs THEN the call is reported
    const tf = withScopeDescription(text);
    expect(flagged(tf).map(([, attribute, detail]) => [attribute, detail.split("(): ")[0]])).toEqual([
      ["scope[0].scope_description", `scope[0].scope_description calls ${call}`],
    ]);
  });

  test.each([
    ["path.cwd", "${path.cwd}"],
    ["path.root with spaces", "${ path . root }"],
    ["path.module", "x-${path.module}"],
  ])("fails on a reference to %s", (_title, text) => {
    const tf = withScopeDescription(text);
    expect(flagged(tf)).toEqual([
      [
        addressOf(tf, SERVER, "server"),
        "scope[0].scope_description",
        `scope[0].scope_description refers to ${_title.split(" ")[0]}: it reveals the folders of the machine that runs Terraform`,
      ],
    ]);
  });

  test("fails when the expression is in an output, a local value, a provider, or an object key", () => {
    // GIVEN expressions planted outside resources, and in a tag's key
    const tf = exampleTemplate();
    tf.output.leak = { value: '${file("/proc/self/environ")}' };
    tf.locals = { secret: '${filebase64("x")}' };
    tf.provider.aws[0].default_tags = { tags: { team: '${filemd5("x")}' } };
    resource(tf, "aws_dynamodb_table", "table").tags = { '${filesha1("x")}': "v" };
    // WHEN the rule runs THEN each is reported where it is (in path order; blocks other than resources by address)
    expect(flagged(tf).map(([address, attribute, detail]) => [address, attribute, detail.split("(): ")[0]])).toEqual([
      ["local.secret", "value", "value calls filebase64"],
      ["output.leak", "value", "value calls file"],
      ["provider.aws[0]", "default_tags.tags.team", "default_tags.tags.team calls filemd5"],
      [addressOf(tf, "aws_dynamodb_table", "table"), 'tags.${filesha1("x")}', 'tags.${filesha1("x")} calls filesha1'],
    ]);
  });

  test("fails on data sources and provisioners that run programs or read the machine, and on module calls", () => {
    // GIVEN an external data source, a local-exec provisioner and a module call
    const tf = exampleTemplate();
    tf.data = { external: { probe: { program: ["sh", "-c", "env"] } } };
    resource(tf, "aws_dynamodb_table", "table").provisioner = [{ "local-exec": { command: "env" } }];
    tf.module = { extra: { source: "./extra" } };
    // WHEN the rule runs THEN each is reported
    expect(flagged(tf)).toEqual([
      ["data.external.probe", "", "data source external runs a program on the machine that runs Terraform, at plan"],
      ["module.extra", "source", "a module call loads Terraform configuration from elsewhere, which this check cannot see"],
      [
        addressOf(tf, "aws_dynamodb_table", "table"),
        "provisioner",
        "a provisioner runs commands (local-exec: on the machine that runs Terraform) when applied",
      ],
    ]);
  });

  test("passes escaped literals, a variable's default and backend settings: Terraform reads them as text", () => {
    // GIVEN `$${`, `$$${` and `%%{` escapes, and templates where Terraform reads literally
    const tf = withScopeDescription('$${file("x")} $$${file("y")} %%{ if fileexists("z") }');
    tf.variable.user_passwords.default = { alice: '${file("x")}' };
    tf.terraform.backend.local.path = '${file("x")}';
    // WHEN the rule runs THEN nothing is reported
    expect(flagged(tf)).toEqual([]);
  });

  test("a variable's validation is evaluated, so it is read", () => {
    const tf = exampleTemplate();
    tf.variable.user_passwords.validation = [{ condition: '${fileexists("x")}', error_message: "no" }];
    expect(flagged(tf).map(([address, attribute]) => [address, attribute])).toEqual([["var.user_passwords", "validation[0].condition"]]);
  });

  test("the package hash exception is exact: another attribute, another path or a longer expression is flagged", () => {
    // GIVEN the function's own hash expression moved or altered
    const tf = exampleTemplate();
    const fn = resource(tf, FUNCTION, "authorizer/function");
    const own = fn.source_code_hash as string;
    fn.description = own;
    fn.source_code_hash = `${own}${own.replace("authorizer.zip", "other.zip")}`;
    // WHEN the rule runs THEN both are reported
    expect(flagged(tf).map(([, attribute]) => attribute)).toEqual(["description", "source_code_hash"]);

    // AND a filename outside the stack's assets does not make its hash the stack's own
    const moved = exampleTemplate();
    const fn2 = resource(moved, FUNCTION, "authorizer/function");
    fn2.filename = "/proc/self/environ";
    fn2.source_code_hash = '${filebase64sha256("/proc/self/environ")}';
    expect(flagged(moved).map(([, attribute]) => attribute)).toEqual(["source_code_hash"]);
  });

  test("fails on another Terraform file in the stack's folder, which Terraform reads with cdk.tf.json", () => {
    // GIVEN the example with a .tf file beside it WHEN evaluated THEN the file is reported, unread
    const result = evaluateStack(
      { name: STACK, template: exampleTemplate(), suppressions: [], checksFile: true, otherTerraformFiles: ["evil.tf"] },
      [rule(RULE)],
    );
    expect(result.findings.map((f) => [f.rule, f.severity, f.address, f.message])).toEqual([
      [RULE, "critical", "evil.tf", "evil.tf: evil.tf sits next to cdk.tf.json: Terraform reads it too, and this check does not"],
    ]);
  });

  test("cannot be suppressed: the hand that edits the output can edit its suppressions", () => {
    // GIVEN a planted expression and a suppression of the rule for that resource
    const tf = withScopeDescription('${file("x")}');
    const result = evaluate(tf, [{ rule: RULE, resource: "resource-server-api.example.com", reason: "trust me" }], RULE);
    // WHEN evaluated THEN the finding stays open and the suppression is listed as matching nothing
    expect(result.findings.map((f) => f.rule)).toEqual([RULE]);
    expect(result.suppressed).toEqual([]);
    expect(result.unusedSuppressions.map((s) => s.rule)).toEqual([RULE]);
  });
});
