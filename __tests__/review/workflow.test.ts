import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseReviewArgs } from "../../review/args";
import { REVIEW_MARKER } from "../../review/render-markdown";
import { PROJECT_ROOT } from "../../testing/app";

// js-yaml: a devDependency, pinned to the version jest itself brings; typed here by the one function used.
const yaml = require("js-yaml") as { safeLoad(text: string): any };

const WORKFLOW = join(PROJECT_ROOT, ".github", "workflows", "scopegate-review.yml");

describe("the pull-request review workflow", () => {
  const workflow = yaml.safeLoad(readFileSync(WORKFLOW, "utf8"));
  const steps: any[] = workflow.jobs.review.steps;
  const step = (uses: string) => steps.find((s) => String(s.uses ?? "").startsWith(uses));
  const reviewStep = steps.find((s) => s.id === "review");

  test("runs on pull requests with read access to the code and write access to pull requests only", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(workflow.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  });

  test("checks out the whole history, sets up Node 20 and installs with npm ci", () => {
    // The job runs the pull request's code (npm ci, the synth): the token must not stay in .git/config.
    expect(step("actions/checkout@").with).toEqual({ "fetch-depth": 0, "persist-credentials": false });
    expect(step("actions/setup-node@").with).toMatchObject({ "node-version": 20 });
    expect(steps.some((s) => s.run === "npm ci --no-audit --no-fund")).toBe(true);
  });

  test("runs the review against the base branch, failing on critical risks, with flags the CLI accepts", () => {
    expect(reviewStep.env).toEqual({ BASE_REF: "${{ github.base_ref }}" });
    const command = (reviewStep.run as string).split("\n").find((line) => line.startsWith("npm run review -- "));
    expect(command).toBe('npm run review -- --base "origin/${BASE_REF}" --fail-on critical --quiet');
    const argv = (command as string).slice("npm run review -- ".length).replace('"origin/${BASE_REF}"', "origin/main").split(" ");
    expect(parseReviewArgs(argv)).toEqual({
      help: false,
      options: { input: { kind: "base-ref", ref: "origin/main" }, outDir: "cdktf.out/review", failOn: "critical", quiet: true },
      json: false,
    });
    // The comment is posted before a critical risk fails the job.
    const failStep = steps.findIndex((s) => s.name === "Fail on critical risks");
    expect(steps.indexOf(step("actions/github-script@"))).toBeLessThan(failStep);
    expect(steps[failStep].if).toBe("steps.review.outputs.exit-code == '1'");
  });

  describe("the comment script", () => {
    const script: string = step("actions/github-script@").with.script;
    const body = `${REVIEW_MARKER}\n## scopegate review\n`;

    /** Runs the script as actions/github-script does, against a fake GitHub. */
    async function runScript(existing: { id: number; body: string; user: { login: string; type: string } }[], failWith?: number) {
      const calls: string[] = [];
      const warnings: string[] = [];
      const github = {
        paginate: async (_method: unknown, params: any) => {
          calls.push(`list #${params.issue_number}`);
          return existing;
        },
        rest: {
          issues: {
            listComments: () => undefined,
            updateComment: async (params: any) => {
              if (failWith) throw Object.assign(new Error("forbidden"), { status: failWith });
              calls.push(`update ${params.comment_id}: ${params.body === body}`);
            },
            createComment: async (params: any) => {
              if (failWith) throw Object.assign(new Error("forbidden"), { status: failWith });
              calls.push(`create #${params.issue_number}: ${params.body === body}`);
              return { data: { html_url: "https://example.com/c" } };
            },
          },
        },
      };
      const context = { repo: { owner: "o", repo: "r" }, payload: { pull_request: { number: 7 } } };
      const core = {
        summary: { addRaw: () => ({ write: async () => calls.push("summary") }) },
        info: () => undefined,
        warning: (text: string) => warnings.push(text),
      };
      const fakeRequire = (name: string) => {
        if (name !== "fs") throw new Error(`unexpected require(${name})`);
        return { readFileSync: () => body };
      };
      const fakeProcess = { env: { ...step("actions/github-script@").env } };
      const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
      await new AsyncFunction("github", "context", "core", "require", "process", script)(github, context, core, fakeRequire, fakeProcess);
      return { calls, warnings };
    }

    test("creates the comment the first time", async () => {
      expect((await runScript([])).calls).toEqual(["summary", "list #7", "create #7: true"]);
    });

    test("updates its own comment afterwards, never a person's that quotes the marker", async () => {
      const existing = [
        { id: 1, body: `quoting ${REVIEW_MARKER}`, user: { login: "octocat", type: "User" } },
        { id: 2, body: `${REVIEW_MARKER}\nold report`, user: { login: "github-actions[bot]", type: "Bot" } },
      ];
      expect((await runScript(existing)).calls).toEqual(["summary", "list #7", "update 2: true"]);
    });

    test("never takes another bot's comment holding the marker as its own: it posts a new one", async () => {
      const existing = [
        { id: 3, body: `${REVIEW_MARKER}\nnot ours`, user: { login: "some-other-app[bot]", type: "Bot" } },
        // A user account cannot be named like the GITHUB_TOKEN's bot, but the type is checked too.
        { id: 4, body: `${REVIEW_MARKER}\nnot ours either`, user: { login: "github-actions[bot]", type: "User" } },
      ];
      expect((await runScript(existing)).calls).toEqual(["summary", "list #7", "create #7: true"]);
    });

    test("recognises its comment by the author the step names (the GITHUB_TOKEN's bot)", () => {
      expect(step("actions/github-script@").env).toMatchObject({ REVIEW_COMMENT_AUTHOR: "github-actions[bot]" });
      // The script has no other github.token than the default one: the author named is that token's.
      expect(step("actions/github-script@").with["github-token"]).toBeUndefined();
    });

    test("warns instead of failing when the token may not comment (pull requests from forks)", async () => {
      expect((await runScript([], 403)).warnings).toEqual([
        "No permission to comment on this pull request; the review is in the job summary.",
      ]);
      await expect(runScript([], 500)).rejects.toThrow("forbidden");
    });
  });
});
