import { ToolSpec, exitWith, parseToolArgs, runTool, shownPath } from "../../core/cli";
import { MatrixError } from "../../matrix/errors";

const SPEC = {
  name: "matrix",
  usage: "Usage: npm run matrix [-- --out <dir>]",
  flags: { out: { type: "string" }, quiet: { type: "boolean" } },
  usageError: (message: string) => new MatrixError("ERR_MATRIX_USAGE", message),
} as const satisfies ToolSpec<Record<string, { type: "string" | "boolean" }>>;

function usageMessage(argv: string[]): string {
  try {
    parseToolArgs(SPEC, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(MatrixError);
    return (error as MatrixError).message;
  }
  throw new Error(`no usage error for ${argv.join(" ")}`);
}

describe("parseToolArgs", () => {
  test("reads the flags, with --json false unless given; --help and -h ask for the usage", () => {
    expect(parseToolArgs(SPEC, ["--out", "x", "--quiet"])).toEqual({ help: false, values: { out: "x", quiet: true, json: false } });
    expect(parseToolArgs(SPEC, ["--out=x", "--json"])).toEqual({ help: false, values: { out: "x", json: true } });
    expect(parseToolArgs(SPEC, ["-h"])).toEqual({ help: true });
    expect(parseToolArgs(SPEC, ["--out", "x", "--help"])).toEqual({ help: true });
  });

  test.each([
    [["--verbose"], 'unknown option "--verbose"'],
    [["--out"], "--out needs a value"],
    [["--out", "--json"], '--out needs a value; to pass one that starts with "-", write --out=<value>'],
    [["--out="], '--out needs a value, got ""'],
    [["stray"], 'unexpected argument "stray": every value follows its flag (--flag value)'],
  ])("fails with the tool's usage error on %j", (argv, message) => {
    expect(usageMessage(argv)).toBe(message);
  });
});

describe("runTool", () => {
  test("prints the usage for --help (exit 0), and a usage error as CODE: message then the usage (exit 2)", () => {
    expect(runTool(SPEC, ["--help"], () => ({ status: 1, stdout: "ran", stderr: "" }))).toEqual({
      status: 0,
      stdout: `${SPEC.usage}\n`,
      stderr: "",
    });
    expect(runTool(SPEC, ["--bogus"], () => ({ status: 0, stdout: "ran", stderr: "" }))).toEqual({
      status: 2,
      stdout: "",
      stderr: `ERR_MATRIX_USAGE: unknown option "--bogus"\n\n${SPEC.usage}\n`,
    });
  });

  test("lets an error that is not a ScopegateError (a bug) through", () => {
    expect(() =>
      runTool(SPEC, [], () => {
        throw new TypeError("a bug");
      }),
    ).toThrow(TypeError);
  });

  test("prints no usage after a usage-coded error the tool's work raises (the flags parsed fine)", () => {
    const run = runTool(SPEC, ["--out", "x"], () => {
      throw new MatrixError("ERR_MATRIX_USAGE", "--out: cannot write into x (ENOTDIR)");
    });
    expect(run).toEqual({ status: 2, stdout: "", stderr: "ERR_MATRIX_USAGE: --out: cannot write into x (ENOTDIR)\n" });
  });
});

describe("exitWith", () => {
  let exitCode: typeof process.exitCode;
  beforeEach(() => {
    exitCode = process.exitCode;
  });
  afterEach(() => {
    process.exitCode = exitCode;
    jest.restoreAllMocks();
  });

  test.each([
    [
      "thrown",
      () =>
        runTool(SPEC, [], () => {
          throw new TypeError("a bug");
        }),
    ],
    ["rejected", () => Promise.reject(new TypeError("a bug"))],
  ])("GIVEN a bug %s by the tool THEN it exits 2 (could not run), never 1 (a finding), and says it is a bug", async (_how, run) => {
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    exitWith(run);
    await new Promise((done) => setImmediate(done));
    expect(process.exitCode).toBe(2);
    expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/^unexpected error \(a bug; please report it\): TypeError: a bug/));
  });

  test("GIVEN a run THEN it writes its output and exits with its status", async () => {
    const stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    exitWith(() => ({ status: 1, stdout: "a finding\n", stderr: "" }));
    await new Promise((done) => setImmediate(done));
    expect(stdout).toHaveBeenCalledWith("a finding\n");
    expect(process.exitCode).toBe(1);
  });
});

describe("shownPath", () => {
  test("names a path as the user would type it: relative inside where they ran the command, as given outside", () => {
    expect(shownPath("/projects/api", "/projects/api/cdktf.out/stacks/a")).toBe("cdktf.out/stacks/a");
    expect(shownPath("/projects/api", "/projects/api")).toBe(".");
    expect(shownPath("/projects/api", "/projects/other/out")).toBe("/projects/other/out");
    expect(shownPath("/projects/api", "/elsewhere")).toBe("/elsewhere");
  });
});
