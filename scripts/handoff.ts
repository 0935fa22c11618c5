import { isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { HandoffError } from "../handoff/errors";
import { writeHandoff } from "../handoff/package";
import { ConfigError } from "../stacks/config/errors";
import { CONFIG_ENV, loadConfigs } from "../stacks/config/load";
import { configPathFromEnv } from "../matrix/sources";

/** What the command prints and the exit code it ends with. */
export interface HandoffRun {
  /** 0: written; 2: could not run (a code and a message on stderr). */
  readonly status: 0 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

const USAGE = `Usage: npm run handoff [-- --out <dir>] [--from <synth output>]

Writes, after "npm run synth", one standalone folder per stack for a platform team that maintains
Terraform: <dir>/<stack>/ with main.tf, versions.tf, variables.tf, outputs.tf (HCL, terraform fmt
clean, the same resource addresses as cdk.tf.json), terraform.tfvars.example, the Lambda package by
its relative path, HANDOFF.md (what the stack creates, inputs and outputs, scopes and clients, who can
call what, the security checks with every suppression and its reason, the Lambda package, what the
state holds, and the commands to lock providers, plan and apply), checks.json and access-matrix.json.
The configuration is read as "npm run synth" reads it (${CONFIG_ENV}, the cdktf context configFile,
or the built-in example).

  --from <folder>  the output of "npm run synth" (default: $CDKTF_OUTDIR, else cdktf.out)
  --out <folder>   where to write the hand-off (default: <from>/handoff)
  --help           print this text

Exit codes: 0 written, 2 could not run (a code and a message on stderr).
`;

/**
 * Runs `npm run handoff` with `argv` (the arguments after the script name) and returns what it
 * prints, without touching the process: the entry point below writes and exits.
 *
 * @param cwd the folder relative paths are resolved against
 */
export function runHandoff(argv: readonly string[], cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): HandoffRun {
  let values: { out?: string; from?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { out: { type: "string" }, from: { type: "string" }, help: { type: "boolean" } },
    }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (values.help === true) return { status: 0, stdout: USAGE, stderr: "" };
  for (const flag of ["out", "from"] as const) {
    const value = values[flag];
    if (value !== undefined && value.trim() === "") return usageError(`--${flag} needs a folder, got ""`);
  }
  const from = values.from ?? (env.CDKTF_OUTDIR !== undefined && env.CDKTF_OUTDIR !== "" ? env.CDKTF_OUTDIR : "cdktf.out");
  const out = values.out ?? join(from, "handoff");
  try {
    const named = configPathFromEnv(env);
    const configs = loadConfigs({ ...(named === undefined ? {} : { envPath: named }), cwd });
    const result = writeHandoff({
      synthOut: resolve(cwd, from),
      synthOutLabel: from,
      configs,
      source: named ?? "the built-in example",
      outDir: resolve(cwd, out),
    });
    const lines = result.stacks.map((stack) => `  ${shown(cwd, stack.folder)}/ (${stack.files.length} files)`);
    return {
      status: 0,
      stdout: `Hand-off written, one folder per stack:\n${lines.join("\n")}\nStart with HANDOFF.md in each.\n`,
      stderr: "",
    };
  } catch (error) {
    if (error instanceof HandoffError) return { status: 2, stdout: "", stderr: `${error.code}: ${error.message}\n` };
    if (error instanceof ConfigError) return { status: 2, stdout: "", stderr: `${error.code}: ${error.message}\n` };
    throw error;
  }
}

function usageError(message: string): HandoffRun {
  return { status: 2, stdout: "", stderr: `ERR_HANDOFF_USAGE: ${message}; see npm run handoff -- --help\n\n${USAGE}` };
}

/** A path as the user would type it: relative to where they ran the command when inside it. */
function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

if (require.main === module) {
  const run = runHandoff(process.argv.slice(2));
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  process.exitCode = run.status;
}
