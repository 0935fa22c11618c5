import { resolve } from "node:path";
import { CheckError } from "../checks/errors";
import { evaluateStacks } from "../checks/evaluate";
import { readOutput } from "../checks/output";
import { formatRules, formatText, rulesToJson, toJson } from "../checks/report";
import { FAILING_SEVERITIES, FailingSeverity } from "../checks/rule";
import { RULES } from "../checks/rules";

/** What the command prints and the exit code it ends with. */
export interface CheckRun {
  /** 0: passed; 1: an unsuppressed finding at or above `--fail-on`; 2: could not check. */
  readonly status: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of `npm run check`, each default applied in {@link parseArguments}. */
interface CheckOptions {
  /** Output folder of `npm run synth`. @default `$CDKTF_OUTDIR`, else `cdktf.out` */
  readonly out: string;
  /** Print one JSON document instead of the text report. @default false */
  readonly json: boolean;
  /** Fail on unsuppressed findings at or above this severity. @default "low" (every finding but `info`) */
  readonly failOn: FailingSeverity;
  /** Print the rule catalogue instead of checking. @default false */
  readonly rules: boolean;
  readonly help: boolean;
}

const USAGE = `Usage: npm run check -- [--out <folder>] [--fail-on <${FAILING_SEVERITIES.join("|")}>] [--json] [--rules]

Checks the synthesized Terraform of every stack in the output folder against scopegate's security
rules. Suppressions come from the configuration's checks.suppressions (carried into each stack's
scopegate-checks.json) and are listed with their reasons.

  --out <folder>       the output of "npm run synth" (default: $CDKTF_OUTDIR, else cdktf.out)
  --fail-on <severity> exit 1 when an unsuppressed finding is at least this severe (default: low);
                       info findings (an organisation's decision, with what to set) never fail
  --json               print one JSON document instead of the report
  --rules              list the rules (id, severity, title, fix) and exit

Exit codes: 0 passed, 1 findings at or above --fail-on, 2 could not check (a code and a message on stderr).
`;

/**
 * Runs `npm run check` with `argv` (the arguments after the script name) and returns what it
 * prints, without touching the process: the CLI entry point below writes and exits.
 *
 * @param cwd the folder a relative `--out` is resolved against
 */
export function runCheck(argv: readonly string[], cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): CheckRun {
  try {
    const options = parseArguments(argv, env);
    if (options.help) return { status: 0, stdout: USAGE, stderr: "" };
    if (options.rules) {
      return { status: 0, stdout: options.json ? `${JSON.stringify(rulesToJson(RULES), null, 2)}\n` : formatRules(RULES), stderr: "" };
    }
    const report = evaluateStacks(readOutput(resolve(cwd, options.out), options.out), options.failOn);
    const stdout = options.json ? `${JSON.stringify(toJson(report, options.out), null, 2)}\n` : formatText(report, options.out);
    return { status: report.passed ? 0 : 1, stdout, stderr: "" };
  } catch (error) {
    if (!(error instanceof CheckError)) throw error;
    const hint = error.code === "ERR_CHECK_USAGE" ? `\n${USAGE}` : "";
    return { status: 2, stdout: "", stderr: `${error.code}: ${error.message}\n${hint}` };
  }
}

function parseArguments(argv: readonly string[], env: NodeJS.ProcessEnv): CheckOptions {
  let out = env.CDKTF_OUTDIR !== undefined && env.CDKTF_OUTDIR !== "" ? env.CDKTF_OUTDIR : "cdktf.out";
  let json = false;
  let failOn: FailingSeverity = "low";
  let rules = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] =
      argv[i].startsWith("--") && argv[i].includes("=")
        ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)]
        : [argv[i], undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === "") throw new CheckError("ERR_CHECK_USAGE", `${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "--out":
        out = value();
        break;
      case "--fail-on": {
        const severity = value();
        if (!(FAILING_SEVERITIES as readonly string[]).includes(severity)) {
          throw new CheckError(
            "ERR_CHECK_USAGE",
            `--fail-on must be one of ${FAILING_SEVERITIES.join(", ")} (info never fails), got ${JSON.stringify(severity)}`,
          );
        }
        failOn = severity as FailingSeverity;
        break;
      }
      case "--json":
        json = true;
        break;
      case "--rules":
        rules = true;
        break;
      case "--help":
      case "-h":
        help = true;
        break;
      default:
        throw new CheckError("ERR_CHECK_USAGE", `unknown option ${JSON.stringify(argv[i])}`);
    }
  }
  return { out, json, failOn, rules, help };
}

if (require.main === module) {
  const run = runCheck(process.argv.slice(2));
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  process.exitCode = run.status;
}
