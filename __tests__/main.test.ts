import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSynth } from "./support/app";
import { exampleDocument } from "./support/config";

describe("main (npm run synth)", () => {
  test("synthesizes the built-in example into one stack folder", () => {
    const run = runSynth();
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    const manifest = JSON.parse(readFileSync(join(run.outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(["scopegate-example"]);
    const tf = readFileSync(join(run.outdir, "stacks", "scopegate-example", "cdk.tf.json"), "utf8");
    expect(JSON.parse(tf).terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
  });

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
