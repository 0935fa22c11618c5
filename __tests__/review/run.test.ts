import { ReviewOptions } from "../../review/args";
import { ReviewError } from "../../review/errors";
import { runReview } from "../../review/run";
import { PROJECT_ROOT } from "../../testing/app";

const options = (input: ReviewOptions["input"]): ReviewOptions => ({ input, outDir: "cdktf.out/review", failOn: "none", quiet: true });

async function failure(input: ReviewOptions["input"]): Promise<ReviewError> {
  try {
    await runReview(options(input), { projectDir: PROJECT_ROOT });
  } catch (error) {
    if (error instanceof ReviewError) return error;
    throw error;
  }
  throw new Error("the review did not fail");
}

describe("runReview fails on bad inputs, naming the flag and the fix", () => {
  test.each([
    [
      { kind: "plan", planFile: "package.json" },
      "ERR_REVIEW_INPUT",
      '--plan: "package.json" is JSON but not a Terraform plan (no format_version with planned_values/resource_changes); pass the output of `terraform show -json <planfile>`',
    ],
    [{ kind: "plan", planFile: "help" }, "ERR_REVIEW_INPUT", '--plan: "help" is not valid JSON ('],
    [
      { kind: "outputs", baseOut: "stacks", headOut: "stacks" },
      "ERR_REVIEW_INPUT",
      '--base-out: "stacks" holds no manifest.json, so it is not a cdktf synth output; run `CDKTF_OUTDIR=stacks npm run synth` first',
    ],
    [
      { kind: "outputs", baseOut: "no-such-folder", headOut: "stacks" },
      "ERR_REVIEW_INPUT",
      '--base-out: folder "no-such-folder" does not exist; pass the folder `npm run synth` writes',
    ],
    [
      { kind: "plan", planFile: "__tests__/review/fixtures/plan-user-pool-replaced.json", headOut: "stacks" },
      "ERR_REVIEW_INPUT",
      '--head-out: "stacks" holds no manifest.json',
    ],
  ] as const)("%j", async (input, code, message) => {
    const error = await failure(input);
    expect(error.code).toBe(code);
    expect(error.message.startsWith(message)).toBe(true);
  });
});
