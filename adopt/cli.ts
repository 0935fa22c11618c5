/**
 * `npm run adopt`: reads a folder of AWS CLI describe outputs of an existing user pool and writes a
 * scopegate configuration that reproduces it, with the `adopt` section (the ids synth imports),
 * and ADOPTION.md beside it; a tool of the one CLI shape (`core/cli.ts`). `scripts/adopt.ts` is
 * its entry point.
 *
 * @packageDocumentation
 */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { FlagValues, ToolRun, ToolSpec, jsonOutput, runTool } from "../core/cli";
import { type JsonObject } from "../core/json";
import { parseConfigs } from "../stacks/config/environments";
import { ConfigError } from "../stacks/config/errors";
import { userFolder } from "../stacks/config/location";
import { type ScopegateConfig } from "../stacks/config/model";
import { type AttributeOutcome, compareWithSynth, replacements, synthesizeConfig } from "./compare";
import { readDescribeFolder } from "./describe";
import { AdoptError } from "./errors";
import { mapDescribedPool } from "./map";
import { ADOPTION_REPORT, adoptionReport } from "./report";

/** Usage text of `npm run adopt -- --help`. */
export const ADOPT_USAGE = `Usage: npm run adopt -- --from <folder> --out <config file> [--name <stack name>]
         [--basic-users <username,...>] [--force] [--json]

Reads the unmodified JSON outputs of aws cognito-idp describe-user-pool, get-user-pool-mfa-config,
describe-user-pool-client (one file per client), describe-resource-server (one per server),
describe-user-pool-domain, list-groups and list-users in <folder> (one command per file, recognised
by its content), and writes a configuration that reproduces the pool with an "adopt" section (synth
then imports the pool and those resources), and ${ADOPTION_REPORT} beside it: what the first apply
changes, leaves as it is, and does not adopt. Settings that would replace the pool or a resource
are refused, each by file and JSON path. Client secrets are ignored; passwords are never read.

Options:
  --from <folder>       the folder of describe outputs (relative paths start where you run npm)
  --out <file>          the configuration to write; ${ADOPTION_REPORT} goes into the same folder
  --name <stack name>   the stack's name (default: the pool's name in lowercase, hyphens for the rest)
  --basic-users <list>  the application accounts the legacy client (ALLOW_ADMIN_USER_PASSWORD_AUTH)
                        lets sign in with Basic, comma-separated; each an adopted user
  --force               overwrite --out and ${ADOPTION_REPORT} when they exist (default: refuse)
  --json                print a summary as JSON on stdout
  --help                print this text

Exit codes: 0 written; 2 could not run (wrong usage, a bad or inconsistent describe file, a pool
adoption would replace or cannot reproduce: a code and a message on stderr, nothing written).`;

const ADOPT_FLAGS = {
  from: { type: "string" },
  out: { type: "string" },
  name: { type: "string" },
  "basic-users": { type: "string" },
  force: { type: "boolean" },
} as const;

/** The command line of `npm run adopt`. */
export const ADOPT_CLI = {
  name: "adopt",
  usage: ADOPT_USAGE,
  flags: ADOPT_FLAGS,
  usageError: (message: string) => new AdoptError("ERR_ADOPT_USAGE", message),
  validate(values) {
    if (values.from === undefined)
      throw new AdoptError("ERR_ADOPT_USAGE", "--from <folder> is required: the folder of AWS CLI describe outputs");
    if (values.out === undefined) throw new AdoptError("ERR_ADOPT_USAGE", "--out <config file> is required: the configuration to write");
  },
} as const satisfies ToolSpec<typeof ADOPT_FLAGS>;

/** Where the command runs. */
export interface AdoptCliContext {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** The working folder; relative paths start at `INIT_CWD` when npm sets it. @default process.cwd() */
  readonly cwd?: string;
}

/**
 * Runs the command.
 *
 * @param argv - the arguments after the script name
 * @param context - environment and working folder
 */
export function runAdoptCli(argv: readonly string[], context: AdoptCliContext = {}): ToolRun {
  const env = context.env ?? process.env;
  const base = userFolder(env, context.cwd ?? process.cwd());
  return runTool(ADOPT_CLI, argv, (values) => adoptPool(values, base));
}

type AdoptValues = FlagValues<typeof ADOPT_FLAGS>;

/** Where the command reads and writes: each path as given (for messages) and resolved. */
interface AdoptPaths {
  readonly fromLabel: string;
  readonly outLabel: string;
  readonly from: string;
  readonly out: string;
  /** ADOPTION.md, beside `out`. */
  readonly report: string;
}

/** Reads the describe outputs, maps, validates and compares them, then writes the configuration and ADOPTION.md. */
function adoptPool(values: AdoptValues, base: string): ToolRun {
  const paths = adoptPaths(values, base);
  const described = readDescribeFolder(paths.from, paths.fromLabel);
  const mapping = mapDescribedPool(described, {
    ...(values.name === undefined ? {} : { stackName: values.name }),
    basicUsers: basicUsersOf(values["basic-users"]),
  });
  const config = parseAdopted(mapping.document, paths);
  const outcomes = compareWithSynth(mapping.sources, synthesizeConfig(config), config.name);
  refuseReplacements(outcomes);
  const adopt = mapping.document.adopt as JsonObject;
  const text = adoptionReport({
    // The report sits beside the configuration: its file name is all it needs, and no folder of
    // the machine it was made on ends up in a reviewed file.
    configLabel: basename(paths.out),
    document: mapping.document,
    outcomes,
    notAdopted: mapping.notAdopted,
    domainAdopted: adopt.domain === true,
    domainPrefix: String((mapping.document.userPool as JsonObject).domainPrefix),
    usersDescribed: described.users !== undefined,
    groupsDescribed: described.groups !== undefined,
  });
  writeBoth(paths.outLabel, [
    [paths.out, `${JSON.stringify(mapping.document, null, 2)}\n`],
    [paths.report, `${text}\n`],
  ]);

  const count = (fate: string) => outcomes.filter((o) => o.fate === fate).length;
  const summary = {
    config: paths.outLabel,
    report: join(dirname(paths.outLabel), ADOPTION_REPORT),
    userPoolId: adopt.userPoolId,
    reproduced: count("kept"),
    changed: count("changed"),
    left: count("left"),
    notAdopted: mapping.notAdopted.length,
  };
  if (values.json) return { status: 0, stdout: jsonOutput(summary), stderr: "" };
  return {
    status: 0,
    stdout:
      `adopted ${String(adopt.userPoolId)}: ${plural(summary.reproduced, "attribute")} reproduced, ${summary.changed} changed on first apply, ` +
      `${summary.left} left as ${summary.left === 1 ? "it is" : "they are"}, ${plural(summary.notAdopted, "described resource")} not adopted\n` +
      `wrote ${summary.config}, ${summary.report}\n`,
    stderr: "",
  };
}

/**
 * `--from` and `--out` resolved from `base`, before anything is read.
 *
 * @throws AdoptError `ERR_ADOPT_USAGE` when `--from` is not a folder, `--out`'s folder does not
 *   exist or is `--from`, `--out` is named as the report, or either file exists without `--force`
 */
function adoptPaths(values: AdoptValues, base: string): AdoptPaths {
  const fromLabel = values.from!;
  const outLabel = values.out!;
  const from = resolve(base, fromLabel);
  const out = resolve(base, outLabel);
  const report = join(dirname(out), ADOPTION_REPORT);
  if (!existsSync(from) || !statSync(from).isDirectory()) {
    throw new AdoptError(
      "ERR_ADOPT_USAGE",
      `--from ${JSON.stringify(fromLabel)} is not a folder; pass the folder that holds the describe outputs`,
    );
  }
  if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) {
    throw new AdoptError("ERR_ADOPT_USAGE", `--out ${JSON.stringify(outLabel)}: its folder does not exist; create it first (mkdir -p)`);
  }
  if (resolve(dirname(out)) === resolve(from)) {
    throw new AdoptError(
      "ERR_ADOPT_USAGE",
      `--out ${JSON.stringify(outLabel)} is in the --from folder, where the next run would read it as a describe output; write it elsewhere`,
    );
  }
  if (basename(out) === ADOPTION_REPORT) {
    throw new AdoptError(
      "ERR_ADOPT_USAGE",
      `--out ${JSON.stringify(outLabel)} is the name of the report written beside it; choose another name`,
    );
  }
  if (values.force !== true) {
    const existing = [out, report].filter((file) => existsSync(file));
    if (existing.length > 0) {
      throw new AdoptError(
        "ERR_ADOPT_USAGE",
        `--out ${JSON.stringify(outLabel)}: ${existing.map((file) => JSON.stringify(file === out ? outLabel : join(dirname(outLabel), ADOPTION_REPORT))).join(" and ")} exist${existing.length === 1 ? "s" : ""}; pass --force to overwrite, or choose another --out`,
      );
    }
  }
  return { fromLabel, outLabel, from, out, report };
}

/** `--basic-users`: comma-separated usernames, blanks left out. */
function basicUsersOf(flag: string | undefined): string[] {
  return (flag ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

/**
 * The mapped document read as every configuration is.
 *
 * @throws AdoptError `ERR_ADOPT_REFUSED` with every invalid field when the describe outputs make an invalid configuration
 */
function parseAdopted(document: JsonObject, paths: AdoptPaths): ScopegateConfig {
  try {
    return parseConfigs(document, paths.outLabel)[0];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new AdoptError(
      "ERR_ADOPT_REFUSED",
      `the configuration made from ${JSON.stringify(paths.fromLabel)} would not be valid, so nothing is written (each field below comes from the describe outputs):\n` +
        error.issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join("\n"),
    );
  }
}

/**
 * The safety net: whatever the mapping intended, no force-new attribute may change.
 *
 * @throws AdoptError `ERR_ADOPT_REFUSED` listing every attribute whose change would replace a resource
 */
function refuseReplacements(outcomes: readonly AttributeOutcome[]): void {
  const replaced = replacements(outcomes);
  if (replaced.length > 0) {
    throw new AdoptError(
      "ERR_ADOPT_REFUSED",
      `the first apply would replace resources of the pool:\n${replaced
        .map(
          (o) =>
            `  - ${o.file} at ${o.path}: ${JSON.stringify(o.old)} would become ${JSON.stringify(o.new)} (${o.resource} ${o.attribute} forces a replacement)`,
        )
        .join("\n")}`,
    );
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Writes every file beside its place and renames them in: a failure leaves none of them half-written. */
function writeBoth(outLabel: string, files: readonly (readonly [string, string])[]): void {
  const partial = files.map(([file]) => `${file}.${process.pid}.partial`);
  try {
    files.forEach(([, text], i) => writeFileSync(partial[i], text));
    files.forEach(([file], i) => renameSync(partial[i], file));
  } catch (error) {
    partial.forEach((file) => rmSync(file, { force: true }));
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new AdoptError("ERR_ADOPT_USAGE", `--out ${JSON.stringify(outLabel)} cannot be written (${code}); choose a folder you can write`);
  }
}
