import { DEFAULT_OUT_DIR, parseReviewArgs } from "../../review/args";
import { join } from "node:path";
import { ReviewError } from "../../review/errors";

const options = (...argv: string[]) => {
  const parsed = parseReviewArgs(argv);
  if (parsed.help) throw new Error("unexpected help");
  return parsed.options;
};

function usageError(argv: string[]): ReviewError {
  try {
    parseReviewArgs(argv);
  } catch (error) {
    if (error instanceof ReviewError) return error;
    throw error;
  }
  throw new Error(`no error for ${argv.join(" ")}`);
}

describe("parseReviewArgs", () => {
  test("applies the defaults", () => {
    expect(options("--base", "origin/main")).toEqual({
      input: { kind: "base-ref", ref: "origin/main" },
      outDir: DEFAULT_OUT_DIR,
      failOn: "none",
      quiet: false,
    });
  });

  test("GIVEN CDKTF_OUTDIR and no --out THEN it writes into review/ of that folder, as the other tools read it", () => {
    const parsed = parseReviewArgs(["--base", "origin/main"], { CDKTF_OUTDIR: "build/out" });
    expect(parsed.help === false && parsed.options.outDir).toBe(join("build/out", "review"));
  });

  test("reads each input", () => {
    expect(options("--base-out", "a", "--head-out", "b").input).toEqual({ kind: "outputs", baseOut: "a", headOut: "b" });
    expect(options("--plan", "p.json", "--head-out", "out", "--stack", "s").input).toEqual({
      kind: "plan",
      planFile: "p.json",
      headOut: "out",
      stack: "s",
    });
    expect(options("--plan", "p.json", "--base-out", "base").input).toEqual({ kind: "plan", planFile: "p.json", baseOut: "base" });
    expect(options("--offline-plan", "--plugin-mirror", "m").input).toEqual({ kind: "offline-plan", pluginMirror: "m" });
    expect(options("--base", "HEAD~1", "--head-out", "out", "--fail-on", "high", "--out", "r", "--quiet")).toEqual({
      input: { kind: "base-ref", ref: "HEAD~1", headOut: "out" },
      outDir: "r",
      failOn: "high",
      quiet: true,
    });
    expect(parseReviewArgs(["--help"])).toEqual({ help: true });
    expect(parseReviewArgs(["--base", "main", "--json"])).toMatchObject({ help: false, json: true });
    expect(parseReviewArgs(["--base", "main"])).toMatchObject({ help: false, json: false });
  });

  test.each([
    [[], /^no input: pass --base <ref>/],
    [["--base", "x", "--plan", "p"], /^--base and --plan are different inputs: pass only one$/],
    [["--base-out", "a"], /^--base-out: also pass --head-out <dir>/],
    [["--base", "x", "--fail-on", "severe"], /^--fail-on: must be one of critical, high, medium, low, info, none, got "severe"$/],
    [["--base", "x", "--stack", "s"], /^--stack: only applies to --plan$/],
    [["--plan", "p", "--plugin-mirror", "m"], /^--plugin-mirror: only applies to --offline-plan$/],
    [["--plan"], /^--plan needs a value$/],
    [["--bogus"], /^unknown option "--bogus"$/],
    [["--base", " "], /^--base needs a value, got " "$/],
  ])("fails when given %j", (argv, message) => {
    const error = usageError(argv);
    expect(error.code).toBe("ERR_REVIEW_USAGE");
    expect(error.message).toMatch(message);
  });
});
