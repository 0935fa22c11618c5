/**
 * `npm run check`: the security checks of the synthesized Terraform of every stack, as a tool of
 * the one CLI shape (`core/cli.ts`). `scripts/check.ts` is its entry point.
 *
 * @packageDocumentation
 */
import { resolve } from "node:path";
import { ToolRun, ToolSpec, jsonOutput, runTool } from "../core/cli";
import { synthOutDir } from "../core/synth-output";
import { CheckError } from "./errors";
import { evaluateStacks } from "./evaluate";
import { verifyCedarTwins } from "./cedar-twin";
import { readOutput } from "./output";
import { formatRules, formatText, rulesToJson, toJson } from "./report";
import { FAILING_SEVERITIES, FailingSeverity } from "../core/severity";
import { RULES } from "./rules";

/** Usage text of `npm run check -- --help`. */
export const CHECK_USAGE = `Usage: npm run check -- [--out <folder>] [--fail-on <${FAILING_SEVERITIES.join("|")}>] [--json] [--rules]

Checks the synthesized Terraform of every stack in the output folder against scopegate's security
rules. Suppressions come from the configuration's checks.suppressions (carried into each stack's
scopegate-checks.json) and are listed with their reasons. Each stack's Cedar twin (cedar/) must be
what its scopegate.model.json gives and valid against its schema, else the check stops (ERR_CHECK_CEDAR).

  --out <folder>       the output of "npm run synth" (default: $CDKTF_OUTDIR, else cdktf.out)
  --fail-on <severity> exit 1 when an unsuppressed finding is at least this severe (default: low);
                       info findings (an organisation's decision, with what to set) never fail
  --json               print one JSON document instead of the report
  --rules              list the rules (id, severity, title, fix) and exit
  --help               print this text

Exit codes: 0 passed, 1 findings at or above --fail-on, 2 could not check (a code and a message on stderr).
`;

/** The command line of `npm run check`. */
/** The flags of `npm run check`. */
const CHECK_FLAGS = { out: { type: "string" }, "fail-on": { type: "string" }, rules: { type: "boolean" } } as const;

export const CHECK_CLI = {
  name: "check",
  usage: CHECK_USAGE,
  flags: CHECK_FLAGS,
  usageError: (message: string) => new CheckError("ERR_CHECK_USAGE", message),
  validate: (values) => {
    const failOn = values["fail-on"];
    if (failOn !== undefined && !(FAILING_SEVERITIES as readonly string[]).includes(failOn)) {
      throw new CheckError(
        "ERR_CHECK_USAGE",
        `--fail-on must be one of ${FAILING_SEVERITIES.join(", ")} (info never fails), got ${JSON.stringify(failOn)}`,
      );
    }
  },
} as const satisfies ToolSpec<typeof CHECK_FLAGS>;

/**
 * Runs `npm run check` with `argv` (the arguments after the script name) and returns what it
 * prints, without touching the process.
 *
 * @param cwd the folder a relative `--out` is resolved against @default process.cwd()
 * @param env where `CDKTF_OUTDIR` is read @default process.env
 */
export function runCheck(argv: readonly string[], cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): ToolRun {
  return runTool(CHECK_CLI, argv, (values) => {
    const failOn = values["fail-on"] ?? "low";
    if (values.rules === true) return { status: 0, stdout: values.json ? jsonOutput(rulesToJson(RULES)) : formatRules(RULES), stderr: "" };
    const out = values.out ?? synthOutDir(env);
    const stacks = readOutput(resolve(cwd, out), out);
    verifyCedarTwins(resolve(cwd, out), out);
    const report = evaluateStacks(stacks, failOn as FailingSeverity);
    const stdout = values.json ? jsonOutput(toJson(report, out)) : formatText(report, out);
    return { status: report.passed ? 0 : 1, stdout, stderr: "" };
  });
}
