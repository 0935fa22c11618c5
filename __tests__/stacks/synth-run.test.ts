import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../stacks/config/errors";
import { SynthError, cedarTwinsOf, checkOutputFolder, describeStacks, synthErrorMessage } from "../../stacks/synth-run";
import { CEDAR_FILES, cedarTwinFiles, renderCedarTwin } from "../../stacks/cedar/render";
import { exampleConfig } from "../matrix/configs";

describe("synthErrorMessage", () => {
  test("keeps the stable code of a coded error", () => {
    const error = new ConfigError("my.json", [{ path: "name", message: "is required" }]);
    expect(synthErrorMessage(error)).toBe(`ERR_CONFIG_INVALID: ${error.message}`);
    expect(synthErrorMessage(new SynthError("ERR_SYNTH_OUTDIR", "CDKTF_OUTDIR is empty"))).toBe("ERR_SYNTH_OUTDIR: CDKTF_OUTDIR is empty");
  });

  test("gives any other error ERR_SYNTH_FAILED and its message, without a stack trace", () => {
    const error = new Error("route GET /x has no authorizer");
    expect(error.stack).toMatch(/\n\s+at /);
    expect(synthErrorMessage(error)).toBe("ERR_SYNTH_FAILED: route GET /x has no authorizer");
    // a Node error's own code (ENOENT) is not one of ours
    const io = Object.assign(new Error("EACCES: permission denied, mkdir 'out'"), { code: "EACCES" });
    expect(synthErrorMessage(io)).toBe("ERR_SYNTH_FAILED: EACCES: permission denied, mkdir 'out'");
    expect(synthErrorMessage("thrown text")).toBe("ERR_SYNTH_FAILED: thrown text");
  });
});

describe("checkOutputFolder", () => {
  test("accepts cdktf's default, an existing folder, and a new folder in an existing one", () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-outdir-"));
    expect(() => checkOutputFolder(undefined, dir)).not.toThrow();
    expect(() => checkOutputFolder(dir, dir)).not.toThrow();
    expect(() => checkOutputFolder("cdktf.out", dir)).not.toThrow();
  });

  test("fails when the value is empty, naming the variable and the fix", () => {
    expect(() => checkOutputFolder(" ")).toThrow(
      new SynthError("ERR_SYNTH_OUTDIR", "CDKTF_OUTDIR is empty; unset it (the output goes to cdktf.out) or name a folder"),
    );
  });

  test("fails when a relative value's parent folder does not exist, naming the resolved parent", () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-outdir-"));
    expect(() => checkOutputFolder("build/out", dir)).toThrow(`but its parent folder ${JSON.stringify(join(dir, "build"))} does not exist`);
  });
});

describe("describeStacks", () => {
  function outputFolder(under: string): string {
    const outdir = join(under, "cdktf.out");
    mkdirSync(join(outdir, "stacks", "one"), { recursive: true });
    mkdirSync(join(outdir, "stacks", "two"), { recursive: true });
    const manifest = {
      stacks: {
        one: { synthesizedStackPath: "stacks/one/cdk.tf.json" },
        two: { synthesizedStackPath: "stacks/two/cdk.tf.json" },
      },
    };
    writeFileSync(join(outdir, "manifest.json"), JSON.stringify(manifest));
    const one = { resource: { aws_s3_bucket: { a: {}, b: {} }, aws_iam_role: { c: {} } }, data: { aws_region: { d: {} } } };
    writeFileSync(join(outdir, "stacks", "one", "cdk.tf.json"), JSON.stringify(one));
    writeFileSync(join(outdir, "stacks", "two", "cdk.tf.json"), JSON.stringify({ resource: { aws_iam_role: { c: {} } } }));
    return outdir;
  }

  test("names each stack, its resources (not data sources) and its folder relative to the current folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-summary-"));
    outputFolder(dir);
    expect(describeStacks("cdktf.out", dir)).toEqual([
      `one: 3 resources in ${join("cdktf.out", "stacks", "one")}`,
      `two: 1 resource in ${join("cdktf.out", "stacks", "two")}`,
    ]);
  });

  test("names a folder outside the current folder by its absolute path", () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-summary-"));
    const outdir = outputFolder(dir);
    const elsewhere = mkdtempSync(join(tmpdir(), "scopegate-cwd-"));
    expect(describeStacks(outdir, elsewhere)[0]).toBe(`one: 3 resources in ${join(outdir, "stacks", "one")}`);
  });
});

describe("cedarTwinsOf", () => {
  test("gives each stack its twin's files, validated", () => {
    const config = exampleConfig();
    const twins = cedarTwinsOf([config]);
    expect([...twins.keys()]).toEqual(["scopegate-example"]);
    expect(twins.get("scopegate-example")).toEqual(cedarTwinFiles(renderCedarTwin(config)));
  });

  test("fails with ERR_SYNTH_CEDAR, naming the stack and Cedar's problem, when a twin does not validate", () => {
    const broken = (config: ReturnType<typeof exampleConfig>) => {
      const files = new Map(cedarTwinFiles(renderCedarTwin(config)));
      files.set(CEDAR_FILES.policies, 'permit (principal, action == Scopegate::Action::"GET /nowhere", resource);\n');
      return files;
    };
    expect(() => cedarTwinsOf([exampleConfig()], broken)).toThrow(SynthError);
    try {
      cedarTwinsOf([exampleConfig()], broken);
    } catch (error) {
      expect((error as SynthError).code).toBe("ERR_SYNTH_CEDAR");
      expect((error as SynthError).message).toMatch(
        /^the Cedar twin of stack "scopegate-example" does not validate against its schema: policies\.cedar: policy policy0: .*GET \/nowhere/,
      );
    }
  });
});
