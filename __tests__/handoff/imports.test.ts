import { terraformFiles } from "../../handoff/terraform-files";
import { renderHandoffMarkdown } from "../../handoff/handoff-md";
import { evaluateStack } from "../../checks/evaluate";
import { computeAccessMatrix } from "../../matrix/compute";
import { createdUsers } from "../../handoff/same-input";
import { tfvarsExample } from "../../handoff/package";
import { exampleConfig, synthStack } from "../../testing/synth";

const POOL_ID = "us-east-1_AbC123xyZ";

function adopting(adopt: Record<string, unknown>) {
  return exampleConfig((doc) => {
    doc.adopt = { userPoolId: POOL_ID, ...adopt };
  });
}

describe("hand-off of import blocks", () => {
  test("a stack without adopt has no imports.tf", async () => {
    expect((await terraformFiles(synthStack().tf, "s"))["imports.tf"]).toBeUndefined();
  });

  test("each import block is written in imports.tf: to as a bare address, id as a string", async () => {
    const { tf } = synthStack(adopting({ resourceServers: ["api.example.com"] }));
    const [pool, server] = tf.import;
    expect((await terraformFiles(tf, "s"))["imports.tf"]).toBe(
      [
        "import {",
        `  to = ${pool.to}`,
        `  id = "${POOL_ID}"`,
        "}",
        "",
        "import {",
        `  to = ${server.to}`,
        `  id = "${POOL_ID}|api.example.com"`,
        "}",
        "",
      ].join("\n"),
    );
    // The address is one the stack's main.tf declares.
    const [type, name] = String(pool.to).split(".");
    expect((await terraformFiles(tf, "s"))["main.tf"]).toContain(`resource "${type}" "${name}" {`);
  });

  test("an id is escaped as any Terraform string (a literal quote, a template kept as a template)", async () => {
    const { tf } = synthStack(adopting({}));
    tf.import[0].id = 'a"b';
    expect((await terraformFiles(tf, "s"))["imports.tf"]).toContain('id = "a\\"b"');
  });

  test.each([
    ["a provider", (block: any) => (block.provider = "aws.other"), "import[0]: provider is not translated"],
    ["for_each", (block: any) => (block.for_each = "${var.x}"), "import[0]: for_each is not translated"],
    ["an address outside the stack", (block: any) => (block.to = "aws_cognito_user_pool.elsewhere"), "is not a resource of the stack"],
    ["an expression as address", (block: any) => (block.to = "${aws_cognito_user_pool.x}"), "is not a resource of the stack"],
    ["a non-string id", (block: any) => (block.id = 7), "id 7 is not a string"],
  ])("fails on an import block with %s, naming it", async (_what, edit, message) => {
    const { tf } = synthStack(adopting({}));
    edit(tf.import[0]);
    await expect(terraformFiles(tf, "s")).rejects.toThrow(
      expect.objectContaining({ code: "ERR_HANDOFF_UNSUPPORTED", message: expect.stringContaining(message) }),
    );
  });

  test("other unknown top-level blocks are still refused", async () => {
    const { tf } = synthStack();
    tf.moved = [{ from: "a.b", to: "a.c" }];
    await expect(terraformFiles(tf, "s")).rejects.toThrow(/top-level "moved" of cdk.tf.json is not translated/);
  });
});

describe("HANDOFF.md on import blocks", () => {
  function handoffDocument(config: ReturnType<typeof exampleConfig>): string {
    const { tf } = synthStack(config);
    return renderHandoffMarkdown({
      config,
      source: "test.json",
      tf,
      checks: evaluateStack({ name: config.name, template: tf, suppressions: config.checks.suppressions, checksFile: true }),
      matrix: computeAccessMatrix(config, { source: "test.json" }),
      requiredTerraform: ">= 1.5.0",
      users: createdUsers(tf),
      origin: {},
    });
  }

  test("lists imports.tf and says how many resources exist already, counted from the blocks", () => {
    const text = handoffDocument(adopting({ groups: ["readers"], users: ["alice"] }));
    expect(text).toContain("| `imports.tf` |");
    expect(text).toContain("3 of them exist already and are imported (`imports.tf`)");
  });

  test("adopted users are named as imported, and get no password: not in the commands, the state section or the tfvars example", () => {
    const config = adopting({ users: ["alice", "svc-reports"] });
    const text = handoffDocument(config);
    expect(text).toContain("Users: `bob`; existing, imported: `alice`, `svc-reports`.");
    expect(text).toContain(`export TF_VAR_user_passwords='{"bob":"…"}'`);
    expect(text).toContain("each of the 1 `aws_cognito_user` resources");
    expect(tfvarsExample(config)).toContain('#   "bob" = "<a password meeting the pool\'s policy>"');
    expect(tfvarsExample(config)).not.toContain('"alice"');
    const everyone = adopting({ users: ["alice", "bob", "svc-reports"] });
    expect(handoffDocument(everyone)).not.toContain("TF_VAR_user_passwords");
    expect(tfvarsExample(everyone)).toContain("# (this stack creates no users)");
  });

  test("says nothing of imports for a stack that adopts nothing", () => {
    const text = handoffDocument(exampleConfig());
    expect(text).not.toContain("imports.tf");
    expect(text).not.toContain("exist already");
  });
});
