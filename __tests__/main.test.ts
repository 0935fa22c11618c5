import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { PROJECT_ROOT, runSynth } from "../testing/app";
import { exampleDocument } from "../testing/config";

describe("main (npm run synth)", () => {
  test("synthesizes the built-in example into one stack folder", () => {
    const run = runSynth();
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    const manifest = JSON.parse(readFileSync(join(run.outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(["scopegate-example"]);
    const tf = readFileSync(join(run.outdir, "stacks", "scopegate-example", "cdk.tf.json"), "utf8");
    expect(JSON.parse(tf).terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
  });

  test("cdktf synth runs the app, with the cdktf.json context naming the configuration", () => {
    // GIVEN a project folder whose cdktf.json names a configuration file in its context
    const dir = mkdtempSync(join(tmpdir(), "scopegate-cli-"));
    const doc = exampleDocument();
    doc.name = "via-context";
    writeFileSync(join(dir, "config.json"), JSON.stringify(doc));
    const cdktfJson = JSON.parse(readFileSync(join(PROJECT_ROOT, "cdktf.json"), "utf8"));
    cdktfJson.app = cdktfJson.app.replace("scripts/synth.cjs", JSON.stringify(join(PROJECT_ROOT, "scripts", "synth.cjs")));
    cdktfJson.context = { configFile: "config.json" };
    writeFileSync(join(dir, "cdktf.json"), JSON.stringify(cdktfJson));
    symlinkSync(join(PROJECT_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    // WHEN the cdktf CLI synthesizes there (with Terraform's default CLI configuration)
    const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1", SCOPEGATE_CONFIG: "" };
    delete env.TF_CLI_CONFIG_FILE;
    const cli = spawnSync(process.execPath, [join(PROJECT_ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), "synth"], {
      cwd: dir,
      env,
      encoding: "utf8",
      timeout: 120000,
    });
    // THEN it writes the stack that configuration names
    expect({ status: cli.status, stderr: cli.stderr }).toEqual({ status: 0, stderr: "" });
    expect(existsSync(join(dir, "cdktf.out", "stacks", "via-context", "cdk.tf.json"))).toBe(true);
  }, 120000);

  test("writes one stack per environment", () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-envs-"));
    const doc = exampleDocument();
    doc.environments = { dev: {}, prod: {} };
    writeFileSync(join(dir, "envs.json"), JSON.stringify(doc));
    const run = runSynth({ SCOPEGATE_CONFIG: join(dir, "envs.json") });
    expect(run.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(run.outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["scopegate-example-dev", "scopegate-example-prod"]);
  });

  test("fails when the configuration is invalid, printing every problem and writing nothing", () => {
    // GIVEN a configuration file with two mistakes
    const dir = mkdtempSync(join(tmpdir(), "scopegate-bad-"));
    const doc = exampleDocument();
    doc.appClients[1].scopes = ["api.example.com/admin"];
    doc.userPool.mfa = "SOMETIMES";
    writeFileSync(join(dir, "bad.json"), JSON.stringify(doc));
    // WHEN synthesized
    const run = runSynth({ SCOPEGATE_CONFIG: join(dir, "bad.json") });
    // THEN the exit code is 1, both problems are named, and no output folder exists
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("ERR_CONFIG_INVALID: ");
    expect(run.stderr).toContain('userPool.mfa: must be one of "OPTIONAL", "ON", "OFF", got "SOMETIMES"');
    expect(run.stderr).toContain('appClients[1].scopes[0]: scope "api.example.com/admin" is not defined');
    expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(existsSync(run.outdir)).toBe(false);
  });
});
