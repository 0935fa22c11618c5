/**
 * How fast the tools start: each tool's own command (what its npm script runs, without npm's own
 * start) with `--help`, and the matrix of the built-in example, beside a bare `node -e 0` and beside
 * the same tool through the tsx loader, in interleaved rounds of one run.
 *
 * Targets (issue 23): `--help` within 4× `node -e 0`; the example's matrix within 8×.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runMeasured } from "./support/child-process";
import { progress, runAsScript, type BenchOptions } from "./support/cli";
import type { BenchReport, TargetResult } from "./support/report";
import { interleave, type Variant } from "./support/rounds";
import { formatNumber, formatRatio, formatSample, median } from "./support/stats";

const NAME = "tools";
const PROJECT_ROOT = path.resolve(__dirname, "..");
const TOOLS = ["check", "matrix", "review", "handoff"] as const;

export async function runToolsBench(options: BenchOptions): Promise<BenchReport> {
  const rounds = options.rounds ?? (options.quick ? 2 : 10);
  const scratch = mkdtempSync(path.join(tmpdir(), "scopegate-bench-tools-"));
  // An environment with nothing that names a configuration or an output folder, and no npm.
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", CDKTF_OUTDIR: path.join(scratch, "out") };
  const node = (args: readonly string[]) => async () => {
    const run = await runMeasured(process.execPath, args, { cwd: PROJECT_ROOT, env });
    if (run.exitCode !== 0) throw new Error(`node ${args.join(" ")} exited ${run.exitCode}: ${run.stderr}`);
    return run.wallMs;
  };
  const variants: Variant<number>[] = [
    { name: "node -e 0", run: node(["-e", "0"]) },
    ...TOOLS.map((tool) => ({ name: `${tool} --help`, run: node(["scripts/tool.cjs", tool, "--help"]) })),
    ...TOOLS.map((tool) => ({ name: `${tool} --help (tsx)`, run: node(["--import", "tsx", `scripts/${tool}.ts`, "--help"]) })),
    { name: "matrix of the example", run: node(["scripts/tool.cjs", "matrix", "--out", path.join(scratch, "matrix")]) },
  ];
  try {
    const samples = await interleave(variants, { rounds, onRound: (round) => progress(NAME, `round ${round + 1}/${rounds}`) });
    const medianOf = (name: string) => median(samples.get(name)!);
    const floor = medianOf("node -e 0");
    const rows = variants.map((variant) => [
      variant.name,
      formatNumber(medianOf(variant.name)),
      formatRatio(medianOf(variant.name), floor),
      formatSample(samples.get(variant.name)!),
    ]);
    const targets: TargetResult[] = [
      ...TOOLS.map((tool) => {
        const ratio = medianOf(`${tool} --help`) / floor;
        return {
          target: `npm run ${tool} -- --help (its own command) within 4× node -e 0`,
          measured: `×${ratio.toFixed(2)}`,
          met: ratio <= 4,
        };
      }),
      (() => {
        const ratio = medianOf("matrix of the example") / floor;
        return { target: "the matrix of the built-in example within 8× node -e 0", measured: `×${ratio.toFixed(2)}`, met: ratio <= 8 };
      })(),
    ];
    return {
      name: NAME,
      title: "Tool start-up: compiled once (scripts/tool.cjs) against the tsx loader",
      method: `${rounds} interleaved rounds after one warm-up (which compiles each tool once into dist/tools/); wall time from spawn to exit`,
      tables: [
        { title: "Wall time, milliseconds (median; ratio to node -e 0)", columns: ["command", "median ms", "ratio", "samples"], rows },
      ],
      targets,
      notes: ["npm's own start (about 0.15 s) is not counted: each command is the one its npm script runs."],
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) runAsScript(runToolsBench);
