import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runReviewCli } from "../../review/cli";
import { ReviewRun, runReview } from "../../review/run";
import { runSynth, synthOutput } from "../../testing/app";
import { exampleDocument } from "../../testing/config";
import { describeWithTerraform } from "../../testing/terraform";

/**
 * `npm run review -- --offline-plan` on the synthesized example: a real `terraform show -json`
 * (provider 5.100.0 from the offline mirror, mock credentials), reviewed. Everything is created,
 * and a password passed in the sensitive variable appears nowhere in the review.
 */
describeWithTerraform("reviewing an offline plan of the example", (tf) => {
  const password = "Plan-Only-Passw0rd!";
  let outdir: string;
  let run: ReviewRun;

  beforeAll(async () => {
    outdir = synthOutput();
    const out = join(dirname(outdir), "review");
    const env = { ...process.env, TF_VAR_user_passwords: JSON.stringify({ alice: password }) };
    run = await runReview(
      { input: { kind: "offline-plan", headOut: outdir, pluginMirror: tf.mirror }, outDir: out, failOn: "high", quiet: true },
      { env },
    );
  }, 90000);
  afterAll(() => rmSync(dirname(outdir), { recursive: true, force: true }));

  test("every resource is an addition under its construct path", () => {
    const [stack] = run.report.changeSet.stacks;
    expect(stack.name).toBe("scopegate-example");
    expect(stack.changes.length).toBeGreaterThan(40);
    expect(stack.changes.every((c) => c.action === "add" && c.path.startsWith("scopegate-example/"))).toBe(true);
    expect(run.summary.source).toEqual({ kind: "plan", plan: `offline plan of ${outdir}` });
    expect(run.summary.totals).toEqual({ add: stack.changes.length, import: 0, change: 0, replace: 0, remove: 0 });
    expect(run.markdown).toContain("Offline plan with mock credentials and empty state: every resource counts as new.");
  });

  test("the password given to the plan is masked, and appears in neither report", () => {
    const alice = run.report.changeSet.stacks[0].changes.find((c) => c.path === "scopegate-example/users/user-alice");
    expect(alice?.after?.password).toBe("(sensitive)");
    expect(run.markdown).not.toContain(password);
    expect(JSON.stringify(run.summary)).not.toContain(password);
    expect(readFileSync(run.files.json, "utf8")).not.toContain(password);
  });

  test("a new stack is reviewed for what it grants, and nothing above medium", () => {
    expect(run.exitCode).toBe(0);
    expect(run.summary.highestSeverity).toBe("medium");
    expect(run.report.grants.map((g) => `${g.principal} ${g.kind} ${g.route}`)).toEqual([
      "user#alice added GET /resource",
      "user#svc-reports added GET /resource",
    ]);
    expect(run.report.flags.find((f) => f.rule === "grants-unreadable")?.path).toBe(
      "scopegate-example/authorization-table/grant-client-machine",
    );
  });
});

/**
 * `--offline-plan` of a head whose Terraform reads a file: the plan is not run, so what the file
 * holds reaches neither the output nor the reports (a plan would print it: the provider names a
 * refused `mfa_configuration` value in its error, and the description in the plan).
 */
describeWithTerraform("an offline plan of a head that reads a file", (tf) => {
  const marker = "MARKER-7f3a-not-for-anyone";
  let work: string;
  let run: { status: number; stdout: string; stderr: string };
  let out: string;

  beforeAll(async () => {
    const synth = { outdir: synthOutput() };
    work = dirname(synth.outdir);
    const secret = join(work, "secret.txt");
    writeFileSync(secret, marker);
    const file = join(synth.outdir, "stacks", "scopegate-example", "cdk.tf.json");
    const doc = JSON.parse(readFileSync(file, "utf8"));
    const server = Object.values(doc.resource.aws_cognito_resource_server)[0] as { scope: { scope_description: string }[] };
    server.scope[0].scope_description = `Read \${file(${JSON.stringify(secret)})}`;
    const pool = Object.values(doc.resource.aws_cognito_user_pool)[0] as { mfa_configuration: string };
    pool.mfa_configuration = `\${file(${JSON.stringify(secret)})}`;
    writeFileSync(file, JSON.stringify(doc));
    out = join(work, "review");
    const args = ["--offline-plan", "--head-out", synth.outdir, "--plugin-mirror", tf.mirror, "--out", out, "--fail-on", "critical"];
    run = await runReviewCli(args, { projectDir: work, env: process.env });
  }, 90000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test("is refused: flagged critical, exit 1, and the message says the plan was not run and why", () => {
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^review: The offline plan was not run: planning would make Terraform read files/);
    const summary = JSON.parse(readFileSync(join(out, "review.json"), "utf8"));
    expect(summary.flags.map((f: { rule: string; severity: string; attribute: string }) => [f.rule, f.severity, f.attribute])).toEqual([
      ["SG-TF-001", "critical", "scope[0].scope_description"],
      ["SG-TF-001", "critical", "mfa_configuration"],
    ]);
    expect(summary.notes[0]).toMatch(/^The offline plan was not run: /);
    expect(readFileSync(join(out, "review.md"), "utf8")).toContain("The offline plan was not run");
  });

  test("what the file holds appears nowhere", () => {
    const files = ["review.md", "review.json"].map((name) => join(out, name)).filter((file) => existsSync(file));
    expect({ stdout: run.stdout.includes(marker), stderr: run.stderr.includes(marker) }).toEqual({ stdout: false, stderr: false });
    for (const file of files) expect(readFileSync(file, "utf8")).not.toContain(marker);
    expect(files).toHaveLength(2);
  });
});

/**
 * `--offline-plan` of a stack that adopts existing resources: an offline plan reads nothing from an
 * account, so it cannot import; the import blocks are left out of its copy and the review says so.
 */
describeWithTerraform("reviewing an offline plan of an adopting stack", (tf) => {
  let work: string;
  let run: ReviewRun;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "scopegate-review-adopt-"));
    const doc = exampleDocument();
    doc.adopt = { userPoolId: "us-east-1_AbC123xyZ", clients: { web: "webclient123" }, users: ["alice"] };
    const configFile = join(work, "scopegate.json");
    writeFileSync(configFile, JSON.stringify(doc));
    const synth = runSynth({ SCOPEGATE_CONFIG: configFile });
    if (synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
    run = await runReview(
      {
        input: { kind: "offline-plan", headOut: synth.outdir, pluginMirror: tf.mirror },
        outDir: join(work, "review"),
        failOn: "none",
        quiet: true,
      },
      { env: process.env },
    );
  }, 120000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test("plans (without the import blocks) and says that the adopted resources show as additions", () => {
    const [stack] = run.report.changeSet.stacks;
    expect(stack.changes.length).toBeGreaterThan(40);
    expect(run.summary.totals.import).toBe(0);
    expect(run.summary.notes).toContain(
      "The offline plan leaves out the 3 import blocks (it reads nothing from an account): the resources they adopt show as additions. A plan made with credentials shows them imported.",
    );
  });
});
