/**
 * `npm run handoff`: one standalone Terraform folder per stack for a platform team, as a tool of
 * the one CLI shape (`core/cli.ts`). `scripts/handoff.ts` is its entry point.
 *
 * @packageDocumentation
 */
import { join, resolve } from "node:path";
import { ToolRun, ToolSpec, jsonOutput, runToolAsync, shownPath } from "../core/cli";
import { synthOutDir } from "../core/synth-output";
import { CONFIG_ENV, loadConfigs } from "../stacks/config/load";
import { locateConfig, userFolder } from "../stacks/config/location";
import { HandoffError } from "./errors";
import { handoffOrigin } from "./origin";
import { writeHandoff } from "./package";

/** Usage text of `npm run handoff -- --help`. */
export const HANDOFF_USAGE = `Usage: npm run handoff [-- --out <dir>] [--from <synth output>] [--json]

Writes, after "npm run synth", one standalone folder per stack for a platform team that maintains
Terraform: <dir>/<stack>/ with main.tf, versions.tf, variables.tf, outputs.tf (HCL, terraform fmt
clean, the same resource addresses as cdk.tf.json), imports.tf where the stack adopts existing
resources (its import blocks), terraform.tfvars.example, the Lambda package by
its relative path, HANDOFF.md (what the stack creates, inputs and outputs, scopes and clients, who can
call what, the security checks with every suppression and its reason, the Lambda package, what the
state holds, and the commands to lock providers, plan and apply), checks.json, access-matrix.json
and cedar/ (the same access as Cedar policies).
The configuration is read as "npm run synth" reads it (${CONFIG_ENV}, the cdktf context configFile,
or the built-in example), and must be the one the synth output was built from.

Running it again replaces only the files it wrote (listed in <dir>/.scopegate-handoff.json): the
state, .terraform/, .terraform.lock.hcl and any other file stay. A folder that is not empty and holds
no such list is refused.

  --from <folder>  the output of "npm run synth" (default: $CDKTF_OUTDIR, else cdktf.out)
  --out <folder>   where to write the hand-off (default: <from>/handoff)
  --json           print what was written (stack, folder, files) as JSON
  --help           print this text

Exit codes: 0 written, 2 could not run (a code and a message on stderr).
`;

/** The command line of `npm run handoff`. */
export const HANDOFF_CLI = {
  name: "handoff",
  usage: HANDOFF_USAGE,
  flags: { out: { type: "string" }, from: { type: "string" } },
  usageError: (message: string) => new HandoffError("ERR_HANDOFF_USAGE", message),
} as const satisfies ToolSpec<Record<string, { type: "string" | "boolean" }>>;

/**
 * Runs `npm run handoff` with `argv` (the arguments after the script name) and returns what it
 * prints, without touching the process.
 *
 * @param cwd the folder relative paths are resolved against @default process.cwd()
 * @param env where `CDKTF_OUTDIR` and the configuration's location are read @default process.env
 */
export function runHandoff(argv: readonly string[], cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<ToolRun> {
  return runToolAsync(HANDOFF_CLI, argv, async (values) => {
    const from = values.from ?? synthOutDir(env);
    const out = values.out ?? join(from, "handoff");
    // The output's models are what it describes; a configuration the user names must be the one it was built from.
    const configFolder = userFolder(env, cwd);
    const location = locateConfig(env, configFolder);
    const given =
      location.path === undefined
        ? undefined
        : { configs: loadConfigs({ envPath: location.path, cwd: configFolder }), source: location.label };
    const outDir = resolve(cwd, out);
    let result: Awaited<ReturnType<typeof writeHandoff>>;
    try {
      result = await writeHandoff({
        synthOut: resolve(cwd, from),
        synthOutLabel: from,
        ...(given ? { given } : {}),
        outDir,
        origin: (configuration) => handoffOrigin(cwd, configuration),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (error instanceof HandoffError || code === undefined) throw error;
      throw new HandoffError(
        "ERR_HANDOFF_USAGE",
        `--out: cannot write the hand-off into ${outDir} (${code}); pass --out <a folder you can write>`,
      );
    }
    if (values.json) return { status: 0, stdout: jsonOutput(result), stderr: "" };
    const lines = result.stacks.map((stack) => `  ${shownPath(cwd, stack.folder)}/ (${stack.files.length} files)`);
    return {
      status: 0,
      stdout: `Hand-off written, one folder per stack:\n${lines.join("\n")}\nStart with HANDOFF.md in each.\n`,
      stderr: "",
    };
  });
}
