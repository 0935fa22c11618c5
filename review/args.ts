/**
 * The command line of `npm run review`: flags to typed options, every default applied here, and
 * usage errors that name the flag and the fix.
 *
 * @packageDocumentation
 */
import { join } from "node:path";
import { FlagValues, ToolSpec, parseToolArgs } from "../core/cli";
import { synthOutDir } from "../core/synth-output";
import { ReviewError } from "./errors";
import { SEVERITIES, Severity } from "../core/severity";

/** Where the changes to review come from. */
export type ReviewInput =
  /** A plan: `terraform show -json <planfile>`; `headOut` supplies construct paths. */
  | { readonly kind: "plan"; readonly planFile: string; readonly headOut?: string; readonly baseOut?: string; readonly stack?: string }
  /** Synthesize a git ref and compare it with the working tree (or `headOut`). */
  | { readonly kind: "base-ref"; readonly ref: string; readonly headOut?: string }
  /** Compare two existing synth outputs. */
  | { readonly kind: "outputs"; readonly baseOut: string; readonly headOut: string }
  /** Plan the head (working tree, or `headOut`) offline, as a new stack, and review that plan. */
  | { readonly kind: "offline-plan"; readonly headOut?: string; readonly pluginMirror?: string };

/** Options of a review run. */
export interface ReviewOptions {
  readonly input: ReviewInput;
  /** Folder for `review.md` and `review.json`. @default "review" in the synth output folder ($CDKTF_OUTDIR, else cdktf.out) */
  readonly outDir: string;
  /** Flags at or above this severity make the exit code 1. @default "none" */
  readonly failOn: Severity | "none";
  /** Do not print the Markdown to standard output. @default false */
  readonly quiet: boolean;
}

/** The default of `--out`. */
export const DEFAULT_OUT_DIR = "cdktf.out/review";

/**
 * Where the review writes when `--out` is not given: `review/` in the folder `npm run synth` writes.
 *
 * @param env - where `CDKTF_OUTDIR` is read
 */
export function defaultReviewOutDir(env: NodeJS.ProcessEnv): string {
  return join(synthOutDir(env), "review");
}

/** Usage text of `npm run review -- --help`. */
export const USAGE = `Usage: npm run review -- <input> [options]

Inputs (exactly one):
  --base <ref>                 synthesize <ref> (e.g. origin/main) and the working tree, and compare them
  --base-out <dir> --head-out <dir>
                               compare two existing synth outputs (folders holding manifest.json)
  --plan <file>                review a plan: the output of \`terraform show -json <planfile>\`
  --offline-plan               plan the working tree offline (mock credentials, no AWS account) as a
                               new stack and review that plan

Options:
  --head-out <dir>             use this synth output as the head instead of synthesizing the working
                               tree (with --base, --offline-plan); with --plan, where construct paths
                               are looked up (default: $CDKTF_OUTDIR, else cdktf.out, when it exists)
  --base-out <dir>             with --plan: the base's synth output, whose model the access changes
                               are compared with (a plan alone holds no model)
  --stack <name>               with --plan: the stack the plan belongs to (default: guessed from --head-out)
  --plugin-mirror <dir>        with --offline-plan: filesystem mirror holding hashicorp/aws
                               (default: $SCOPEGATE_TF_PLUGIN_MIRROR, then Terraform's local mirror folders)
  --out <dir>                  where to write review.md and review.json (default: review/ in
                               $CDKTF_OUTDIR, else ${DEFAULT_OUT_DIR})
  --fail-on <severity>         exit with 1 when a risk at or above it is flagged:
                               critical | high | medium | low | info | none (default: none)
  --quiet                      do not print the Markdown report
  --json                       print review.json (the summary) instead of the Markdown report
  --help                       print this text

Exit codes: 0 reviewed; 1 a risk at or above --fail-on was flagged; 2 the review could not run.`;

/** The command line of `npm run review`. */
export const REVIEW_CLI = {
  name: "review",
  usage: USAGE,
  flags: {
    base: { type: "string" },
    "base-out": { type: "string" },
    "head-out": { type: "string" },
    plan: { type: "string" },
    "offline-plan": { type: "boolean" },
    stack: { type: "string" },
    "plugin-mirror": { type: "string" },
    out: { type: "string" },
    "fail-on": { type: "string" },
    quiet: { type: "boolean" },
  },
  usageError: (message: string) => new ReviewError("ERR_REVIEW_USAGE", message),
} as const satisfies ToolSpec<Record<string, { type: "string" | "boolean" }>>;

/** Result of {@link parseReviewArgs}: options, or a request for help. */
export type ParsedArgs =
  | { readonly help: true }
  | {
      readonly help: false;
      readonly options: ReviewOptions;
      /** `--json`: print `review.json` on stdout instead of the Markdown. */
      readonly json: boolean;
    };

/**
 * Parses the command line.
 *
 * @throws ReviewError `ERR_REVIEW_USAGE` for unknown flags, missing values, and wrong combinations
 */
export function parseReviewArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ParsedArgs {
  const parsed = parseToolArgs(REVIEW_CLI, argv);
  return parsed.help ? { help: true } : { help: false, options: reviewOptions(parsed.values, env), json: parsed.values.json };
}

/**
 * The options of a review from its flags, every default applied.
 *
 * @throws ReviewError `ERR_REVIEW_USAGE` for a missing input, inputs combined, or a flag that does not apply
 */
export function reviewOptions(values: FlagValues<typeof REVIEW_CLI.flags>, env: NodeJS.ProcessEnv = {}): ReviewOptions {
  const base = values.base;
  const baseOut = values["base-out"];
  const headOut = values["head-out"];
  const plan = values.plan;
  const offline = values["offline-plan"] === true;
  const stack = values.stack;
  const mirror = values["plugin-mirror"];

  // With --plan, --base-out names the base's synth output (its model, for the access changes), not an input of its own.
  const chosen = [base && "--base", plan === undefined && baseOut && "--base-out", plan && "--plan", offline && "--offline-plan"].filter(
    (x): x is string => typeof x === "string",
  );
  if (chosen.length === 0) {
    throw new ReviewError(
      "ERR_REVIEW_USAGE",
      "no input: pass --base <ref>, --base-out <dir> --head-out <dir>, --plan <file> or --offline-plan; see `npm run review -- --help`",
    );
  }
  if (chosen.length > 1) throw new ReviewError("ERR_REVIEW_USAGE", `${chosen.join(" and ")} are different inputs: pass only one`);
  if (stack !== undefined && plan === undefined) throw new ReviewError("ERR_REVIEW_USAGE", "--stack: only applies to --plan");
  if (mirror !== undefined && !offline) throw new ReviewError("ERR_REVIEW_USAGE", "--plugin-mirror: only applies to --offline-plan");

  let input: ReviewInput;
  if (base !== undefined) {
    input = { kind: "base-ref", ref: base, ...(headOut ? { headOut } : {}) };
  } else if (baseOut !== undefined && plan === undefined) {
    if (headOut === undefined)
      throw new ReviewError("ERR_REVIEW_USAGE", "--base-out: also pass --head-out <dir> (the synth output to compare it with)");
    input = { kind: "outputs", baseOut, headOut };
  } else if (plan !== undefined) {
    input = { kind: "plan", planFile: plan, ...(headOut ? { headOut } : {}), ...(baseOut ? { baseOut } : {}), ...(stack ? { stack } : {}) };
  } else {
    input = { kind: "offline-plan", ...(headOut ? { headOut } : {}), ...(mirror ? { pluginMirror: mirror } : {}) };
  }

  const failOn = values["fail-on"] ?? "none";
  if (failOn !== "none" && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new ReviewError("ERR_REVIEW_USAGE", `--fail-on: must be one of ${[...SEVERITIES, "none"].join(", ")}, got "${failOn}"`);
  }
  return { input, outDir: values.out ?? defaultReviewOutDir(env), failOn: failOn as Severity | "none", quiet: values.quiet === true };
}
