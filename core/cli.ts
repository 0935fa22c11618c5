/**
 * The one shape of scopegate's tools (`npm run check`, `review`, `matrix`, `handoff`): flags read
 * by `node:util` `parseArgs` (strict, no positionals), `--help` prints the usage and exits 0,
 * `--json` asks for a machine-readable result on stdout, and the exit code is one of
 * {@link EXIT_CODES}. A {@link ScopegateError} prints `CODE: message` on stderr, without a stack
 * trace. Each tool's run function returns a {@link ToolRun} without touching the process; its
 * `scripts/<tool>.ts` entry hands that to {@link exitWith}.
 *
 * @packageDocumentation
 */
import { isAbsolute, relative } from "node:path";
import { parseArgs } from "node:util";
import { ScopegateError } from "./errors";

/** The exit codes of every tool. */
export const EXIT_CODES = {
  /** Done: passed, written, reviewed. */
  ok: 0,
  /** Done, with a finding at or above the threshold (`check`, `review`). */
  finding: 1,
  /** Could not run: wrong usage, a missing or invalid input or configuration. */
  couldNotRun: 2,
} as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** What a tool prints and the exit code it ends with. */
export interface ToolRun {
  readonly status: ExitCode;
  readonly stdout: string;
  readonly stderr: string;
}

/** One flag of a tool, as `parseArgs` takes it. */
export interface FlagSpec {
  readonly type: "string" | "boolean";
  /** A one-letter alias. @default none */
  readonly short?: string;
}

/** A tool's command line: its flags (besides `--help` and `--json`, which every tool has) and usage. */
export interface ToolSpec<F extends Record<string, FlagSpec>> {
  /** The npm script, for messages: `"check"`. */
  readonly name: string;
  /** The text `--help` prints, ending with the exit codes. */
  readonly usage: string;
  readonly flags: F;
  /** The tool's usage error (its `ERR_<TOOL>_USAGE`). */
  readonly usageError: (message: string) => ScopegateError;
  /**
   * Checks the flags' values together (a value outside its set, flags that exclude each other);
   * throws the usage error, which prints with the usage like a flag `parseArgs` refuses.
   *
   * @default no check beyond `parseArgs`
   */
  validate?(values: FlagValues<F>): void;
}

/** The values of a tool's flags: absent when not given; a string flag is never empty. */
export type FlagValues<F extends Record<string, FlagSpec>> = {
  readonly [K in keyof F]?: F[K]["type"] extends "string" ? string : boolean;
} & {
  /** `--json`: print a machine-readable result on stdout. @default false */
  readonly json: boolean;
};

/** Result of {@link parseToolArgs}: the flags, or a request for the usage. */
export type ParsedFlags<F extends Record<string, FlagSpec>> =
  { readonly help: true } | { readonly help: false; readonly values: FlagValues<F> };

/**
 * Reads a tool's command line.
 *
 * @throws the spec's usage error for an unknown flag, a missing or empty value, or an argument that is not a flag
 */
export function parseToolArgs<F extends Record<string, FlagSpec>>(spec: ToolSpec<F>, argv: readonly string[]): ParsedFlags<F> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { ...spec.flags, help: { type: "boolean", short: "h" }, json: { type: "boolean" } },
    }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw spec.usageError(usageMessage(error as Error & { code?: string }));
  }
  if (values.help === true) return { help: true };
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === "string" && value.trim() === "") throw spec.usageError(`--${name} needs a value, got ${JSON.stringify(value)}`);
  }
  const flags = { ...values, json: values.json === true } as FlagValues<F>;
  spec.validate?.(flags);
  return { help: false, values: flags };
}

/** `parseArgs`'s error in the tools' words: the flag, and what is wrong with it. */
function usageMessage(error: Error & { code?: string }): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? "";
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${JSON.stringify(quoted)}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${JSON.stringify(quoted)}: every value follows its flag (--flag value)`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const flag = quoted.split(" ")[0];
      return error.message.includes("ambiguous")
        ? `${flag} needs a value; to pass one that starts with "-", write ${flag}=<value>`
        : `${flag} needs a value`;
    }
    default:
      return error.message;
  }
}

/**
 * Runs a tool: parses `argv`, prints the usage for `--help`, else calls `body` with the flags.
 * A {@link ScopegateError} becomes exit 2 with `CODE: message` on stderr (and the usage after a
 * usage error); anything else is a bug and propagates.
 */
export function runTool<F extends Record<string, FlagSpec>>(
  spec: ToolSpec<F>,
  argv: readonly string[],
  body: (values: FlagValues<F>) => ToolRun,
): ToolRun {
  const start = startRun(spec, argv);
  if ("done" in start) return start.done;
  try {
    return body(start.values);
  } catch (error) {
    return failedRun(spec, error, { withUsage: false });
  }
}

/** {@link runTool} for a tool whose work is asynchronous. */
export async function runToolAsync<F extends Record<string, FlagSpec>>(
  spec: ToolSpec<F>,
  argv: readonly string[],
  body: (values: FlagValues<F>) => Promise<ToolRun>,
): Promise<ToolRun> {
  const start = startRun(spec, argv);
  if ("done" in start) return start.done;
  try {
    return await body(start.values);
  } catch (error) {
    return failedRun(spec, error, { withUsage: false });
  }
}

/** The flags of a run, or its end already: the usage for `--help`, a usage error with the usage. */
function startRun<F extends Record<string, FlagSpec>>(
  spec: ToolSpec<F>,
  argv: readonly string[],
): { readonly done: ToolRun } | { readonly values: FlagValues<F> } {
  try {
    const parsed = parseToolArgs(spec, argv);
    return parsed.help ? { done: usageRun(spec) } : { values: parsed.values };
  } catch (error) {
    return { done: failedRun(spec, error, { withUsage: true }) };
  }
}

/** A value as the `--json` output: indented JSON and a newline. */
export function jsonOutput(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * The entry point of `scripts/<tool>.ts`: runs the tool, writes its output and sets the exit code.
 * An error that is not a {@link ScopegateError} (a bug), thrown or rejected, prints its stack and
 * exits 2, never 1 (which means a finding).
 *
 * @param run - calls the tool: `() => runCheckCli(process.argv.slice(2))`
 */
export function exitWith(run: () => ToolRun | Promise<ToolRun>): void {
  const bug = (error: unknown) => {
    process.stderr.write(
      `unexpected error (a bug; please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT_CODES.couldNotRun;
  };
  let pending: ToolRun | Promise<ToolRun>;
  try {
    pending = run();
  } catch (error) {
    bug(error);
    return;
  }
  Promise.resolve(pending).then((done) => {
    process.stdout.write(done.stdout);
    process.stderr.write(done.stderr);
    process.exitCode = done.status;
  }, bug);
}

function usageRun(spec: ToolSpec<Record<string, FlagSpec>>): ToolRun {
  return { status: EXIT_CODES.ok, stdout: withNewline(spec.usage), stderr: "" };
}

function failedRun(spec: ToolSpec<Record<string, FlagSpec>>, error: unknown, options: { withUsage: boolean }): ToolRun {
  if (!(error instanceof ScopegateError)) throw error;
  const usage = options.withUsage ? `\n${withNewline(spec.usage)}` : "";
  return { status: EXIT_CODES.couldNotRun, stdout: "", stderr: `${error.code}: ${error.message}\n${usage}` };
}

function withNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

/**
 * A path as the user would type it: relative to `cwd` (where they ran the command) when inside it,
 * `.` for `cwd` itself, else as given.
 */
export function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  if (rel === "") return ".";
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}
