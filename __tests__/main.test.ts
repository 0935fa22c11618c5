import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { spawnSync } from "node:child_process";
import { PROJECT_ROOT, runSynth } from "../testing/app";
import { exampleDocument } from "../testing/config";
import { cedarTwinFiles, renderCedarTwin } from "../stacks/cedar/render";
import { parseConfig } from "../stacks/config/parse";

/** The number of Terraform resources in a stack's cdk.tf.json. */
function resourceCount(stackFile: string): number {
  const resource: Record<string, Record<string, unknown>> = JSON.parse(readFileSync(stackFile, "utf8")).resource ?? {};
  return Object.values(resource).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}

/** Runs `node scripts/synth.cjs` of `root` in `cwd` with exactly the given CDKTF_OUTDIR (or none). */
function synthIn(cwd: string, env: NodeJS.ProcessEnv, root: string = PROJECT_ROOT) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, SCOPEGATE_CONFIG: "", ...env };
  if (env.CDKTF_OUTDIR === undefined) delete childEnv.CDKTF_OUTDIR;
  return spawnSync(process.execPath, [join(root, "scripts", "synth.cjs")], { cwd, env: childEnv, encoding: "utf8", timeout: 120000 });
}

describe("main (npm run synth)", () => {
  test("synthesizes the built-in example into one stack folder", () => {
    const run = runSynth();
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    const manifest = JSON.parse(readFileSync(join(run.outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(["scopegate-example"]);
    const tf = readFileSync(join(run.outdir, "stacks", "scopegate-example", "cdk.tf.json"), "utf8");
    expect(JSON.parse(tf).terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
    // The Cedar twin, beside it: the files its configuration gives (docs/cedar.md).
    const twin = cedarTwinFiles(renderCedarTwin(parseConfig(exampleDocument(), "the built-in example")));
    for (const [name, text] of twin) {
      expect(readFileSync(join(run.outdir, "stacks", "scopegate-example", "cedar", name), "utf8")).toBe(text);
    }
  });

  test("prints one line per stack: its name, its number of resources and its folder, relative to the current folder", () => {
    // GIVEN a configuration with two environments, synthesized from a folder with the default output folder
    const dir = mkdtempSync(join(tmpdir(), "scopegate-summary-"));
    const doc = exampleDocument();
    doc.environments = { dev: {}, prod: {} };
    writeFileSync(join(dir, "envs.json"), JSON.stringify(doc));
    // WHEN synthesized
    const run = synthIn(dir, { SCOPEGATE_CONFIG: "envs.json" });
    // THEN stdout names each stack with the resources its cdk.tf.json holds, and where it is
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    const lines = ["dev", "prod"].map((env) => {
      const folder = join("cdktf.out", "stacks", `scopegate-example-${env}`);
      const count = resourceCount(join(dir, folder, "cdk.tf.json"));
      expect(count).toBeGreaterThan(10);
      return `scopegate-example-${env}: ${count} resources in ${folder}`;
    });
    expect(run.stdout).toBe(lines.join("\n") + "\n");
  });

  test("fails when CDKTF_OUTDIR's parent folder does not exist, naming the variable, the value and the fix", () => {
    // GIVEN an output folder under a folder that does not exist
    const dir = mkdtempSync(join(tmpdir(), "scopegate-outdir-"));
    const outdir = join(dir, "missing", "cdktf.out");
    // WHEN synthesized
    const run = synthIn(dir, { CDKTF_OUTDIR: outdir });
    // THEN one coded message says what to do, without a stack trace, and nothing is written
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `ERR_SYNTH_OUTDIR: CDKTF_OUTDIR is ${JSON.stringify(outdir)}, but its parent folder ${JSON.stringify(join(dir, "missing"))} does not exist; ` +
        `create it (mkdir -p ${JSON.stringify(join(dir, "missing"))}) or set CDKTF_OUTDIR to a folder in an existing one\n`,
    );
    expect(existsSync(join(dir, "missing"))).toBe(false);
  });

  test("fails when CDKTF_OUTDIR names a file, naming the variable, the value and the fix", () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-outdir-"));
    const outdir = join(dir, "a-file");
    writeFileSync(outdir, "");
    const run = synthIn(dir, { CDKTF_OUTDIR: outdir });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `ERR_SYNTH_OUTDIR: CDKTF_OUTDIR is ${JSON.stringify(outdir)}, which is a file, not a folder; ` +
        "remove the file or set CDKTF_OUTDIR to a folder\n",
    );
  });

  test("fails when the app does not compile, with a coded message and esbuild's own, without a stack trace", () => {
    // GIVEN a copy of the project whose main.ts has a syntax error
    const root = mkdtempSync(join(tmpdir(), "scopegate-broken-"));
    for (const file of [join("scripts", "synth.cjs"), join("stacks", "compile-app.cjs")]) {
      mkdirSync(join(root, file, ".."), { recursive: true });
      copyFileSync(join(PROJECT_ROOT, file), join(root, file));
    }
    symlinkSync(join(PROJECT_ROOT, "node_modules"), join(root, "node_modules"), "dir");
    writeFileSync(join(root, "main.ts"), "const broken = ;\n");
    // WHEN synthesized
    const run = synthIn(root, {}, root);
    // THEN esbuild names the place, and one coded line says what failed
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("main.ts:1:15");
    expect(run.stderr).toMatch(/^ERR_SYNTH_FAILED: main\.ts and the files it imports do not compile \(esbuild's messages above\)/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
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

describe("relative configuration paths start at the folder npm was run in (INIT_CWD)", () => {
  test("GIVEN npm run synth from a subfolder holding orders.json THEN SCOPEGATE_CONFIG=orders.json is found there, and the model names it relative to the project", () => {
    // A subfolder of the project (inside the ignored .scratch/, so no other test sees it as a project file).
    mkdirSync(join(PROJECT_ROOT, ".scratch"), { recursive: true });
    const sub = mkdtempSync(join(PROJECT_ROOT, ".scratch", "init-cwd-"));
    try {
      const document = JSON.parse(readFileSync(join(PROJECT_ROOT, "stacks/config/example.config.json"), "utf8"));
      document.name = "orders";
      writeFileSync(join(sub, "orders.json"), JSON.stringify(document));
      const run = runSynth({ SCOPEGATE_CONFIG: "orders.json", INIT_CWD: sub });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      const model = JSON.parse(readFileSync(join(run.outdir, "stacks", "orders", "scopegate.model.json"), "utf8"));
      expect(model.configuration).toBe(`.scratch/${basename(sub)}/orders.json`);
      const missing = runSynth({ SCOPEGATE_CONFIG: "orders.json" });
      expect(missing.status).toBe(1);
      expect(missing.stderr).toMatch(/^ERR_CONFIG_NOT_FOUND: SCOPEGATE_CONFIG names "orders.json", which does not exist in /);
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });
});
