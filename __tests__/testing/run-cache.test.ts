import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { PROJECT_ROOT } from "../../testing/app";
import { RUN_DIR_ENV, digestOf, folderDigest, sharedInRun, sharedInRunAsync } from "../../testing/run-cache";

/** Runs `body` with the run folder set to a new folder; returns that folder. */
function inRun(body: (dir: string) => void): string {
  const before = process.env[RUN_DIR_ENV];
  const dir = mkdtempSync(join(tmpdir(), "scopegate-run-cache-test-"));
  process.env[RUN_DIR_ENV] = dir;
  try {
    body(dir);
  } finally {
    if (before === undefined) delete process.env[RUN_DIR_ENV];
    else process.env[RUN_DIR_ENV] = before;
  }
  return dir;
}

describe("work shared by the suites of one run", () => {
  test("a key is computed once per run; another key, or another run, computes again", () => {
    let calls = 0;
    const compute = () => ({ n: ++calls });
    inRun(() => {
      expect([sharedInRun("a", compute), sharedInRun("a", compute), sharedInRun("b", compute)]).toEqual([{ n: 1 }, { n: 1 }, { n: 2 }]);
    });
    inRun(() => expect(sharedInRun("a", compute)).toEqual({ n: 3 }));
  });

  test("a failed computation is not kept: the next caller computes", () => {
    let calls = 0;
    inRun(() => {
      expect(() =>
        sharedInRun("k", () => {
          calls++;
          throw new Error("broken");
        }),
      ).toThrow("broken");
      expect(sharedInRun("k", () => ++calls)).toBe(2);
    });
  });

  test("without the run folder nothing is shared", () => {
    const before = process.env[RUN_DIR_ENV];
    delete process.env[RUN_DIR_ENV];
    try {
      let calls = 0;
      expect([sharedInRun("a", () => ++calls), sharedInRun("a", () => ++calls)]).toEqual([1, 2]);
    } finally {
      if (before !== undefined) process.env[RUN_DIR_ENV] = before;
    }
  });

  test("a lock left by a process that is gone is taken over", () => {
    inRun((dir) => {
      sharedInRun("warm", () => 0);
      writeFileSync(join(dir, "cache", "stale.lock"), "999999999");
      expect(sharedInRun("stale", () => "computed")).toBe("computed");
      expect(readdirSync(join(dir, "cache")).filter((f) => f.endsWith(".lock"))).toEqual([]);
    });
  });

  test("parallel workers compute a key once: the others wait and read it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-run-cache-test-"));
    const calls = join(dir, "calls.txt");
    // The module as plain JavaScript, so each worker is a bare node process.
    const compiled = join(dir, "run-cache.cjs");
    buildSync({
      entryPoints: [join(PROJECT_ROOT, "testing/run-cache.ts")],
      outfile: compiled,
      bundle: true,
      platform: "node",
      format: "cjs",
      logLevel: "error",
    });
    const script = [
      `const { sharedInRun } = require(${JSON.stringify(compiled)});`,
      `const value = sharedInRun("plan", () => { require("node:fs").appendFileSync(${JSON.stringify(calls)}, "x"); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400); return { planned: 1 }; });`,
      "process.stdout.write(JSON.stringify(value));",
    ].join("\n");
    const worker = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ["-e", script], {
          cwd: PROJECT_ROOT,
          env: { ...process.env, [RUN_DIR_ENV]: dir },
        });
        let out = "";
        child.stdout.on("data", (chunk) => (out += chunk));
        child.on("error", reject);
        child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`worker exited ${code}`))));
      });
    const outputs = await Promise.all([worker(), worker(), worker()]);
    expect(outputs).toEqual(Array(3).fill('{"planned":1}'));
    expect(readFileSync(calls, "utf8")).toBe("x");
  }, 60000);

  test("the async form shares the same way", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-run-cache-test-"));
    const before = process.env[RUN_DIR_ENV];
    process.env[RUN_DIR_ENV] = dir;
    try {
      let calls = 0;
      const compute = async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return ++calls;
      };
      expect(await Promise.all([sharedInRunAsync("a", compute), sharedInRunAsync("a", compute)])).toEqual([1, 1]);
    } finally {
      if (before === undefined) delete process.env[RUN_DIR_ENV];
      else process.env[RUN_DIR_ENV] = before;
    }
  });

  test("the async form keeps no failed computation and leaves no lock behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-run-cache-test-"));
    const before = process.env[RUN_DIR_ENV];
    process.env[RUN_DIR_ENV] = dir;
    try {
      let calls = 0;
      const broken = async () => {
        calls++;
        throw new Error("broken");
      };
      await expect(sharedInRunAsync("k", broken)).rejects.toThrow("broken");
      expect(readdirSync(join(dir, "cache")).filter((f) => f.endsWith(".lock"))).toEqual([]);
      expect(await sharedInRunAsync("k", async () => ++calls)).toBe(2);
      writeFileSync(join(dir, "cache", "stale.lock"), "999999999");
      expect(await sharedInRunAsync("stale", async () => "computed")).toBe("computed");
      expect(readdirSync(join(dir, "cache")).filter((f) => f.endsWith(".lock"))).toEqual([]);
    } finally {
      if (before === undefined) delete process.env[RUN_DIR_ENV];
      else process.env[RUN_DIR_ENV] = before;
    }
  });

  test("digests tell parts and folders apart by every name and byte", () => {
    expect(digestOf("ab", "c")).not.toBe(digestOf("a", "bc"));
    const folder = () => mkdtempSync(join(tmpdir(), "scopegate-run-cache-digest-"));
    const [a, b] = [folder(), folder()];
    writeFileSync(join(a, "cdk.tf.json"), "{}");
    writeFileSync(join(b, "cdk.tf.json"), "{}");
    expect(folderDigest(a)).toBe(folderDigest(b));
    writeFileSync(join(b, "plan.bin"), "x");
    expect(folderDigest(a)).not.toBe(folderDigest(b));
    expect(folderDigest(a)).toBe(folderDigest(b, (path) => path === "plan.bin"));
  });
});
