import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STACK_MODEL_FILE, encodeStackModel } from "../../core/stack-model";
import { HANDOFF_MANIFEST } from "../../handoff/package";
import { runHandoff } from "../../handoff/cli";
import { PROJECT_ROOT, synthOutput } from "../../testing/app";
import { tree } from "../../testing/checkout";
import { exampleDocument } from "../../testing/config";

/** A configuration file holding `document`; returns its path. */
function configFile(document: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), "scopegate-rerun-config-")), "config.json");
  writeFileSync(file, JSON.stringify(document));
  return file;
}

/** A synth output of `config` (a file, or the built-in example) in a fresh folder (synthesized once per run). */
function synth(config?: string): string {
  return synthOutput(config);
}

function handoff(from: string, out: string, config?: string) {
  return runHandoff(["--from", from, "--out", out], PROJECT_ROOT, { SCOPEGATE_CONFIG: config ?? "" });
}

/** Every file below `dir` with its content as text, for before/after comparisons. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries([...tree(dir)].map(([file, content]) => [file, content.toString("latin1")]).sort());
}

/** What Terraform and a platform team leave in a stack folder after `init`, `plan` and `apply`. */
const THEIRS: Record<string, string> = {
  "terraform.tfstate": '{"version":4,"serial":7}\n',
  "terraform.tfstate.backup": '{"version":4,"serial":6}\n',
  ".terraform.lock.hcl": '# locked provider checksums\nprovider "registry.terraform.io/hashicorp/aws" {}\n',
  ".terraform/providers/marker": "provider cache\n",
  ".terraform/terraform.tfstate": '{"backend":"local"}\n',
  tfplan: "a saved plan",
  "notes/runbook.md": "# our runbook\n",
};

function addTheirs(folder: string): void {
  for (const [file, content] of Object.entries(THEIRS)) {
    mkdirSync(join(folder, file, ".."), { recursive: true });
    writeFileSync(join(folder, file), content);
  }
}

describe("npm run handoff never deletes what it did not write", () => {
  test("a second run keeps the state, .terraform/, the lock file, a saved plan and unknown files, and rewrites its own", async () => {
    // GIVEN a hand-off in which the platform team ran Terraform
    const from = synth();
    const out = join(mkdtempSync(join(tmpdir(), "scopegate-rerun-")), "handoff");
    expect((await handoff(from, out)).status).toBe(0);
    const stack = join(out, "scopegate-example");
    addTheirs(stack);
    writeFileSync(join(stack, "main.tf"), "# edited by hand\n");
    // WHEN it hands off again
    const again = await handoff(from, out);
    // THEN every file of theirs is there unchanged, and the hand-off's own files are rewritten
    expect({ status: again.status, stderr: again.stderr }).toEqual({ status: 0, stderr: "" });
    const after = snapshot(stack);
    for (const [file, content] of Object.entries(THEIRS)) expect({ file, content: after[file] }).toEqual({ file, content });
    expect(after["main.tf"]).toContain('resource "aws_cognito_user_pool"');
  });

  test("the manifest lists exactly the files the hand-off wrote, sorted, and nothing of theirs", async () => {
    const from = synth();
    const out = join(mkdtempSync(join(tmpdir(), "scopegate-rerun-")), "handoff");
    expect((await handoff(from, out)).status).toBe(0);
    addTheirs(join(out, "scopegate-example"));
    expect((await handoff(from, out)).status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, HANDOFF_MANIFEST), "utf8"));
    const written = Object.keys(snapshot(out)).filter(
      (file) => file !== HANDOFF_MANIFEST && !Object.keys(THEIRS).some((theirs) => file === `scopegate-example/${theirs}`),
    );
    expect(manifest.files).toEqual([...written].sort());
    expect(manifest.files).toEqual(expect.arrayContaining(["scopegate-example/HANDOFF.md", "scopegate-example/main.tf"]));
  });

  test("files an earlier run wrote and this one does not are removed; the state beside them survives", async () => {
    // GIVEN a hand-off of the example, with state in its stack folder
    const out = join(mkdtempSync(join(tmpdir(), "scopegate-rerun-")), "handoff");
    expect((await handoff(synth(), out)).status).toBe(0);
    addTheirs(join(out, "scopegate-example"));
    // WHEN the configuration is renamed, and handed off into the same folder
    const renamed = exampleDocument();
    renamed.name = "renamed-api";
    const config = configFile(renamed);
    const run = await handoff(synth(config), out, config);
    // THEN the old stack folder keeps only what was not the hand-off's, and the new one is complete
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    const files = Object.keys(snapshot(out));
    expect(files.filter((file) => file.startsWith("scopegate-example/")).sort()).toEqual(
      Object.keys(THEIRS)
        .map((file) => `scopegate-example/${file}`)
        .sort(),
    );
    expect(files).toEqual(expect.arrayContaining(["renamed-api/HANDOFF.md", "renamed-api/main.tf"]));
  });

  test("a stack folder the team replaced by a link to a folder of theirs: nothing inside that folder is removed", async () => {
    // GIVEN a hand-off, whose stack folder the team then moved elsewhere and linked back
    const root = mkdtempSync(join(tmpdir(), "scopegate-rerun-"));
    const out = join(root, "handoff");
    expect((await handoff(synth(), out)).status).toBe(0);
    const theirs = join(root, "theirs");
    renameSync(join(out, "scopegate-example"), theirs);
    symlinkSync(theirs, join(out, "scopegate-example"), "dir");
    const before = snapshot(theirs);
    // WHEN a configuration with another stack name is handed off into the same folder
    const renamed = exampleDocument();
    renamed.name = "renamed-api";
    const config = configFile(renamed);
    expect((await handoff(synth(config), out, config)).status).toBe(0);
    // THEN the files behind the link, which the earlier run listed as its own, are all still there
    expect(snapshot(theirs)).toEqual(before);
  });

  test("refuses (exit 2) an --out folder that is not empty and is not a hand-off, touching nothing", async () => {
    // GIVEN a folder of the user's, with files but no hand-off in it
    const out = mkdtempSync(join(tmpdir(), "scopegate-rerun-theirs-"));
    writeFileSync(join(out, "README.md"), "mine\n");
    mkdirSync(join(out, "modules"));
    writeFileSync(join(out, "modules", "main.tf"), "# mine\n");
    const before = snapshot(out);
    // WHEN the hand-off is written there
    const run = await handoff(synth(), out);
    // THEN it is refused with the folder and the fix named, and nothing changed
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `ERR_HANDOFF_USAGE: --out: ${out} is not empty and holds no ${HANDOFF_MANIFEST}, so it is not a hand-off; pass --out <a new or empty folder> (nothing was written)\n`,
    );
    expect(snapshot(out)).toEqual(before);
  });

  test("refuses (exit 2) to overwrite a file of the user's that has the name of one it writes, touching nothing", async () => {
    // GIVEN a hand-off of the example, and a file the user made where a new stack's HANDOFF.md would go
    const out = join(mkdtempSync(join(tmpdir(), "scopegate-rerun-")), "handoff");
    expect((await handoff(synth(), out)).status).toBe(0);
    mkdirSync(join(out, "renamed-api"));
    writeFileSync(join(out, "renamed-api", "HANDOFF.md"), "my own notes\n");
    const before = snapshot(out);
    // WHEN a configuration with that stack is handed off into it
    const renamed = exampleDocument();
    renamed.name = "renamed-api";
    const config = configFile(renamed);
    const run = await handoff(synth(config), out, config);
    // THEN it is refused, naming the file, and nothing changed
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `ERR_HANDOFF_USAGE: --out: ${join(out, "renamed-api", "HANDOFF.md")} exists and was not written by a hand-off; move it away or pass another --out (nothing was written)\n`,
    );
    expect(snapshot(out)).toEqual(before);
  });

  test("a run that fails leaves an earlier hand-off as it was", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "scopegate-rerun-")), "handoff");
    const from = synth();
    expect((await handoff(from, out)).status).toBe(0);
    addTheirs(join(out, "scopegate-example"));
    const before = snapshot(out);
    const other = exampleDocument();
    other.name = "another-api";
    const run = await handoff(from, out, configFile(other));
    expect(run.status).toBe(2);
    expect(snapshot(out)).toEqual(before);
    expect(tree(join(out, "..")).size).toBe(tree(out).size);
  });
});

test("a run that fails while generating (a construct it does not translate) leaves an earlier hand-off as it was, and no temporary folder", async () => {
  // GIVEN a hand-off with the team's state in it, and then a synth output with a top-level block the HCL writer refuses
  const out = join(mkdtempSync(join(tmpdir(), "scopegate-rerun-")), "handoff");
  const from = synth();
  expect((await handoff(from, out)).status).toBe(0);
  addTheirs(join(out, "scopegate-example"));
  const before = snapshot(join(out, ".."));
  const template = join(from, "stacks", "scopegate-example", "cdk.tf.json");
  writeFileSync(template, JSON.stringify({ ...JSON.parse(readFileSync(template, "utf8")), module: {} }));
  // WHEN it hands off again
  const run = await handoff(from, out);
  // THEN it fails with the reason, and the folder next to it is as it was, file for file
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/^ERR_HANDOFF_UNSUPPORTED: stack scopegate-example: top-level "module"/);
  expect(snapshot(join(out, ".."))).toEqual(before);
});

describe("npm run handoff describes the synth output it packages", () => {
  test("refuses (exit 2) a same-named configuration that differs from the synth output, naming both sides", async () => {
    // GIVEN the example synthesized, and a configuration of the same name with one more user
    const from = synth();
    const more = exampleDocument();
    more.users.push({ username: "carol", email: "carol@example.com" });
    const config = configFile(more);
    // WHEN the hand-off reads that configuration
    const out = join(mkdtempSync(join(tmpdir(), "scopegate-rerun-")), "handoff");
    const run = await handoff(from, out, config);
    // THEN it refuses to describe users that main.tf would not create
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `^ERR_HANDOFF_STALE: ${from} was synthesized from stacks/config/example\\.config\\.json \\(scopegate-example sha256:(\\w+)\\), but the configuration \\(${config}\\) gives scopegate-example sha256:(?!\\1)\\w+: run "npm run synth" with the same configuration first`,
      ),
    );
  });

  test("with no configuration named, it reads the model the output was built from: a synth of another configuration is handed off as what it is", async () => {
    // GIVEN a synth of a configuration with one more user, and no SCOPEGATE_CONFIG at hand-off time
    const more = exampleDocument();
    more.users.push({ username: "carol", email: "carol@example.com" });
    const from = synth(configFile(more));
    const out = join(mkdtempSync(join(tmpdir(), "scopegate-rerun-")), "handoff");
    // WHEN it is handed off THEN HANDOFF.md and the matrix describe that output, carol included
    const run = await handoff(from, out);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const markdown = readFileSync(join(out, "scopegate-example", "HANDOFF.md"), "utf8");
    expect(markdown).toContain("`carol`");
    expect(readFileSync(join(out, "scopegate-example", "access-matrix.json"), "utf8")).toContain('"carol"');
  });

  test("refuses a model that no longer says what cdk.tf.json creates, even with its digest recomputed (an output edited by hand)", async () => {
    const from = synth();
    const modelFile = join(from, "stacks", "scopegate-example", STACK_MODEL_FILE);
    const model = JSON.parse(readFileSync(modelFile, "utf8"));
    model.model.users.push({ username: "mallory", email: "mallory@example.com", groups: [], basicAuth: false });
    writeFileSync(modelFile, encodeStackModel(model.model, model.configuration));
    const run = await handoff(from, join(mkdtempSync(join(tmpdir(), "scopegate-rerun-")), "handoff"));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^ERR_HANDOFF_STALE: stack scopegate-example: .* was synthesized with the users alice, bob, svc-reports but .* has the users alice, bob, mallory, svc-reports/,
    );
  });

  test("refuses (exit 2, ERR_HANDOFF_UNSAFE) an output whose Terraform would read files or unmask secrets: never written as live HCL", async () => {
    // GIVEN a synth output whose cdk.tf.json was edited by hand (a pull request's artefact, say)
    const from = synth();
    const template = join(from, "stacks", "scopegate-example", "cdk.tf.json");
    const tf = JSON.parse(readFileSync(template, "utf8"));
    const group = Object.values(tf.resource.aws_cognito_user_group)[0] as { description: string };
    group.description = "${jsonencode(nonsensitive(var.user_passwords))}";
    writeFileSync(template, JSON.stringify(tf));
    // WHEN it is handed off
    const out = join(mkdtempSync(join(tmpdir(), "scopegate-rerun-")), "handoff");
    const run = await handoff(from, out);
    // THEN it is refused, naming the rule, and nothing is written
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^ERR_HANDOFF_UNSAFE: stack scopegate-example: aws_cognito_user_group\.\S+ description: .*nonsensitive.*\(SG-TF-001, and 1 more\)/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
