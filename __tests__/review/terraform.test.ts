import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ReviewRun, runReview } from "../../review/run";
import { AWS_PROVIDER_SOURCE, MIRROR_ENV, findProviderMirror, offlineEnvironment, writeOfflineOverride } from "../../review/terraform";
import { runSynth } from "../../testing/app";
import { describeWithTerraform } from "../../testing/terraform";

describe("finding the provider mirror", () => {
  // A made-up version: a fake mirror must never be mistaken for the real one, here or by the
  // root-filesystem search of other tests running at the same time.
  const VERSION = "0.0.0-review-test";
  const made: string[] = [];
  const empty = () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-mirror-"));
    made.push(dir);
    return dir;
  };
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  test("an explicit folder must hold the provider", () => {
    expect(() => findProviderMirror(VERSION, empty())).toThrow(
      /^--plugin-mirror: ".*" holds no registry\.terraform\.io\/hashicorp\/aws\/0\.0\.0-review-test/,
    );
    const mirror = empty();
    mkdirSync(join(mirror, AWS_PROVIDER_SOURCE, VERSION), { recursive: true });
    expect(findProviderMirror(VERSION, mirror)).toBe(mirror);
    expect(findProviderMirror(VERSION, undefined, { [MIRROR_ENV]: mirror })).toBe(mirror);
  });

  test("the environment installs from the mirror only, with mock credentials", () => {
    const work = empty();
    const env = offlineEnvironment(work, "/mirror", { AWS_PROFILE: "prod", AWS_SESSION_TOKEN: "t", PATH: "/bin" });
    expect(env).toMatchObject({
      AWS_ACCESS_KEY_ID: "mock-access-key",
      TF_IN_AUTOMATION: "1",
      PATH: "/bin",
      TF_CLI_CONFIG_FILE: join(work, "terraform.rc"),
    });
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(readFileSync(join(work, "terraform.rc"), "utf8")).toContain('path    = "/mirror"');
  });

  test("the override skips account lookups and starts from empty local state", () => {
    const dir = empty();
    writeOfflineOverride(dir);
    expect(JSON.parse(readFileSync(join(dir, "offline_override.tf.json"), "utf8"))).toEqual({
      terraform: { backend: { local: { path: "offline-review.tfstate" } } },
      provider: {
        aws: {
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: "true",
          skip_region_validation: true,
        },
      },
    });
  });
});

/**
 * `npm run review -- --offline-plan` on the synthesized example: a real `terraform show -json`
 * (provider 5.100.0 from the offline mirror, mock credentials), reviewed. Everything is created,
 * and a password passed in the sensitive variable appears nowhere in the review.
 */
describeWithTerraform("reviewing an offline plan of the example", (tf) => {
  const password = "Plan-Only-Passw0rd!";
  let outdir: string;
  let run: ReviewRun;

  beforeAll(async () => {
    const synth = runSynth();
    if (synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
    outdir = synth.outdir;
    const out = join(dirname(outdir), "review");
    const env = { ...process.env, TF_VAR_user_passwords: JSON.stringify({ alice: password }) };
    run = await runReview(
      { input: { kind: "offline-plan", headOut: outdir, pluginMirror: tf.mirror }, outDir: out, failOn: "high", quiet: true },
      { env },
    );
  }, 90000);
  afterAll(() => rmSync(dirname(outdir), { recursive: true, force: true }));

  test("every resource is an addition under its construct path", () => {
    const [stack] = run.report.changeSet.stacks;
    expect(stack.name).toBe("scopegate-example");
    expect(stack.changes.length).toBeGreaterThan(40);
    expect(stack.changes.every((c) => c.action === "add" && c.path.startsWith("scopegate-example/"))).toBe(true);
    expect(run.summary.source).toEqual({ kind: "plan", plan: `offline plan of ${outdir}` });
    expect(run.summary.totals).toEqual({ add: stack.changes.length, change: 0, replace: 0, remove: 0 });
    expect(run.markdown).toContain("Offline plan with mock credentials and empty state: every resource counts as new.");
  });

  test("the password given to the plan is masked, and appears in neither report", () => {
    const alice = run.report.changeSet.stacks[0].changes.find((c) => c.path === "scopegate-example/users/user-alice");
    expect(alice?.after?.password).toBe("(sensitive)");
    expect(run.markdown).not.toContain(password);
    expect(JSON.stringify(run.summary)).not.toContain(password);
    expect(readFileSync(run.files.json, "utf8")).not.toContain(password);
  });

  test("a new stack is reviewed for what it grants, and nothing above medium", () => {
    expect(run.exitCode).toBe(0);
    expect(run.summary.highestSeverity).toBe("medium");
    expect(run.report.grants.map((g) => `${g.principal} ${g.kind} ${g.route}`)).toEqual([
      "user#alice added GET /resource",
      "user#svc-reports added GET /resource",
    ]);
    expect(run.report.flags.find((f) => f.rule === "grants-unreadable")?.path).toBe(
      "scopegate-example/authorization-table/grant-client-machine",
    );
  });
});
