import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runCheck } from "../../checks/cli";
import { RULE_IDS } from "../../contracts/check-rules";
import { PROJECT_ROOT, synthOutput } from "../../testing/app";
import { exampleDocument } from "../../testing/config";

/** A configuration with only the required fields, guarding a route with the Lambda authorizer. */
const MINIMAL_DOCUMENT = {
  name: "minimal-api",
  userPool: { domainPrefix: "minimal-api-auth" },
  resourceServers: [{ identifier: "api.example.com", scopes: [{ name: "read", description: "Read items" }] }],
  appClients: [{ name: "web", kind: "browser", scopes: ["api.example.com/read"], callbackUrls: ["https://app.example.com/callback"] }],
  api: { routes: [{ method: "GET", path: "/items", guard: "lambda", scopes: ["api.example.com/read"] }] },
};

/** Runs `npm run check` as npm does (its script's command, without npm's own start-up), from the project root. */
function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, ["scripts/tool.cjs", "check", ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CDKTF_OUTDIR: "", ...env },
    encoding: "utf8",
    timeout: 60000,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** A synth output (as `npm run synth` writes it, in a temporary folder) of the example changed by `mutate`. */
function synth(mutate: (doc: Record<string, any>) => void): string {
  const doc = exampleDocument();
  mutate(doc);
  const folder = mkdtempSync(join(tmpdir(), "scopegate-check-"));
  writeFileSync(join(folder, "config.json"), JSON.stringify(doc));
  return synthOutput(join(folder, "config.json"));
}

describe("npm run check", () => {
  /** Output folders: every finding suppressed; a pool with MFA off (one high finding); only the required fields. */
  let clean: string;
  let weak: string;
  let minimal: string;

  beforeAll(() => {
    [clean, weak, minimal] = [
      synth(() => undefined),
      synth((d) => (d.userPool.mfa = "OFF")),
      synth((d) => {
        for (const key of Object.keys(d)) delete d[key];
        Object.assign(d, MINIMAL_DOCUMENT);
      }),
    ];
  });

  test("passes (exit 0) a configuration with only the required fields, without a suppression: the organisation's decisions are info", () => {
    // GIVEN the output of a configuration with only the required fields (no checks section) WHEN checked
    const run = cli(["--out", minimal]);
    // THEN it passes, and each decision is listed at info with what to set if the organisation requires it
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.stdout).toMatch(/^Stack minimal-api: 7 findings \(0 critical, 0 high, 0 medium, 0 low, 7 info\), 0 suppressed$/m);
    const info = run.stdout.slice(
      run.stdout.indexOf("  INFO: never failing (an organisation's decision, or a setting this stack does not own) (7)"),
    );
    for (const rule of ["SG-DYNAMODB-003", "SG-LAMBDA-002", "SG-LAMBDA-003", "SG-LOGS-002", "SG-IAM-003"])
      expect(info).toContain(`    ${rule} `);
    expect(info).toContain('      if required: If your organisation requires customer managed keys, set encryption.kmsKey to "create"');
    expect(info).toContain("      if required: If your organisation forbids AWS managed policies, set api.manageAccountLoggingRole false");
    expect(run.stdout.trimEnd().split("\n").pop()).toBe(
      "PASSED: no unsuppressed finding at low or above; 7 info (never failing: what to set if your organisation requires it, or why a rule was not evaluated, is listed above).",
    );
  });

  test("passes (exit 0) when every finding is suppressed, listing each with its reason", () => {
    // GIVEN an output whose findings are all suppressed WHEN checked
    const run = cli(["--out", clean]);
    // THEN it exits 0 and the report lists the suppressed findings with their reasons
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.stdout).toMatch(/^Stack scopegate-example: 0 findings \(0 critical, 0 high, 0 medium, 0 low, 0 info\), \d+ suppressed$/m);
    expect(run.stdout).toContain(
      "    SG-LAMBDA-002 (info) scopegate-example/authorizer/function: reserved_concurrent_executions\n      reason: The example leaves",
    );
    expect(run.stdout.trimEnd().split("\n").pop()).toMatch(
      /^PASSED: no unsuppressed finding at low or above; \d+ suppressed with a reason\.$/,
    );
  });

  test("fails (exit 1) on an unsuppressed finding, grouped under its severity", () => {
    // GIVEN an output of a pool with MFA off WHEN checked with the default threshold
    const run = cli(["--out", weak]);
    // THEN it exits 1, naming the rule, the resource and the fix
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      "  HIGH (1)\n    SG-USERPOOL-002 User pools offer or require MFA\n      scopegate-example/user-pool/pool (aws_cognito_user_pool.",
    );
    expect(run.stdout).toContain("      fix: Set mfa_configuration");
    expect(run.stdout.trimEnd().split("\n").pop()).toBe(
      "FAILED: 1 unsuppressed finding at low or above (0 critical, 1 high, 0 medium, 0 low).",
    );
  });

  test("fails (exit 1) on a stack whose cdk.tf.json was edited to read a file, even with every other finding suppressed", () => {
    // GIVEN a copy of the clean output whose scope description was edited to read a file
    const edited = join(mkdtempSync(join(tmpdir(), "scopegate-check-edited-")), "cdktf.out");
    cpSync(clean, edited, { recursive: true });
    const file = join(edited, "stacks", "scopegate-example", "cdk.tf.json");
    const tf = JSON.parse(readFileSync(file, "utf8"));
    const server = Object.values(tf.resource.aws_cognito_resource_server)[0] as { scope: { scope_description: string }[] };
    server.scope[0].scope_description = 'Read ${file("/etc/hostname")}';
    writeFileSync(file, JSON.stringify(tf));
    // WHEN checked at the loosest failing threshold
    const run = cli(["--out", edited, "--fail-on", "critical"]);
    // THEN it fails on SG-TF-001, naming the attribute and the function, and says never to plan it
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("  CRITICAL (1)\n    SG-TF-001 ");
    expect(run.stdout).toContain("scope[0].scope_description calls file()");
    expect(run.stdout).toContain("fix: Never run terraform plan or apply on this output");
    expect(run.stdout.trimEnd().split("\n").pop()).toBe(
      "FAILED: 1 unsuppressed finding at critical or above (1 critical, 0 high, 0 medium, 0 low).",
    );
  });

  test("stops (exit 2, ERR_CHECK_CEDAR) on a stack whose Cedar twin was edited, removed or made invalid, naming the file", () => {
    const copy = () => {
      const out = join(mkdtempSync(join(tmpdir(), "scopegate-check-cedar-")), "cdktf.out");
      cpSync(clean, out, { recursive: true });
      return { out, cedar: join(out, "stacks", "scopegate-example", "cedar") };
    };
    // The untouched twin passes.
    expect(runCheck(["--out", clean], PROJECT_ROOT, {}).status).toBe(0);
    // GIVEN a policy that lets every token without a grant through GET /resource, still valid Cedar
    const widened = copy();
    const policies = join(widened.cedar, "policies.cedar");
    writeFileSync(
      policies,
      readFileSync(policies, "utf8").replace('  principal.grants.containsAny(["GET /resource", "* /resource"])', "  true"),
    );
    const run = runCheck(["--out", widened.out], PROJECT_ROOT, {});
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^ERR_CHECK_CEDAR: .*stacks\/scopegate-example\/cedar: policies\.cedar differs from what the stack's scopegate\.model\.json gives \(first at line 15\); .*run "npm run synth" again\n$/,
    );
    // GIVEN a twin whose entities file is gone
    const missing = copy();
    rmSync(join(missing.cedar, "entities.json"));
    expect(runCheck(["--out", missing.out], PROJECT_ROOT, {}).stderr).toMatch(/^ERR_CHECK_CEDAR: .*entities\.json is missing/);
    // GIVEN a policy that no longer fits the schema
    const invalid = copy();
    writeFileSync(join(invalid.cedar, "policies.cedar"), "permit (principal, action, resource) when { principal.isAdmin };\n");
    const invalidRun = cli(["--out", invalid.out]);
    expect(invalidRun.status).toBe(2);
    expect(invalidRun.stderr).toMatch(/^ERR_CHECK_CEDAR: .*policies\.cedar differs .*; policies\.cedar: policy policy0: .*isAdmin/);
  });

  test("--fail-on sets the threshold: a high finding fails at high, passes at critical", () => {
    // GIVEN the same output WHEN checked at two thresholds THEN only the one at or below the finding fails
    const inProcess = runCheck(["--out", weak, "--fail-on", "high"], PROJECT_ROOT, {});
    expect([inProcess.status, cli(["--out", weak, "--fail-on=critical"]).status]).toEqual([1, 0]);
  });

  test("--json prints one JSON document with the verdict, the findings and the suppressed ones", () => {
    // GIVEN the weak output WHEN checked with --json
    const run = cli(["--out", weak, "--json"]);
    // THEN stdout is JSON a machine can act on, and the exit code is the same
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ passed: false, failOn: "low", failing: 1 });
    expect(report.stacks.map((s: any) => [s.stack, s.findings.map((f: any) => [f.rule, f.severity])])).toEqual([
      ["scopegate-example", [["SG-USERPOOL-002", "high"]]],
    ]);
    expect(report.stacks[0].suppressed.map((f: any) => f.rule)).toContain("SG-LAMBDA-002");
  });

  test("reads $CDKTF_OUTDIR when --out is not given, as npm run synth writes there", () => {
    // GIVEN CDKTF_OUTDIR naming the clean output WHEN checked without --out THEN that output passes
    expect(runCheck([], PROJECT_ROOT, { CDKTF_OUTDIR: clean }).status).toBe(0);
  });

  test("fails (exit 2) with a clear error when there is no output yet", () => {
    // GIVEN a folder that does not exist WHEN checked
    const run = cli(["--out", join(tmpdir(), "scopegate-never-synthesized", "cdktf.out")]);
    // THEN it says to synthesize first, and prints no report
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^ERR_CHECK_NO_OUTPUT: .*cdktf\.out does not exist: run "npm run synth" first/);
    expect(run.stdout).toBe("");
  });

  test("names a relative --out as given, never as an absolute path of this machine", () => {
    // GIVEN a relative output folder that does not exist WHEN checked THEN the message names it as typed
    const run = runCheck(["--out", "build/cdktf.out"], mkdtempSync(join(tmpdir(), "scopegate-cwd-")), {});
    expect([run.status, run.stderr.split("\n")[0]]).toEqual([
      2,
      'ERR_CHECK_NO_OUTPUT: build/cdktf.out does not exist: run "npm run synth" first (or pass --out <the folder cdktf synthesized into>)',
    ]);
  });

  test("reads cdktf.out in the current folder by default", () => {
    // GIVEN a folder holding cdktf.out, and no CDKTF_OUTDIR WHEN checked from there
    const run = runCheck([], dirname(clean), {});
    // THEN it reads that output
    expect([run.status, run.stdout.split("\n")[0]]).toEqual([
      0,
      `scopegate checks of cdktf.out: 1 stack, ${RULE_IDS.length} rules, failing on low or above`,
    ]);
  });

  test.each([
    [["--fail-on", "severe"], '--fail-on must be one of critical, high, medium, low (info never fails), got "severe"'],
    [["--out"], "--out needs a value"],
    [["--verbose"], 'unknown option "--verbose"'],
    [["--rules", "--fail-on", "severe"], '--fail-on must be one of critical, high, medium, low (info never fails), got "severe"'],
  ])("fails (exit 2) on bad usage: %j", (args, message) => {
    // GIVEN a mistaken command line WHEN run THEN it exits 2 with the problem and the usage
    const run = runCheck(args, PROJECT_ROOT, {});
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`ERR_CHECK_USAGE: ${message}\n`);
    expect(run.stderr).toContain("Usage: npm run check -- [--out <folder>]");
  });

  test("--rules lists the rules without reading any output", () => {
    // GIVEN no output at all WHEN the rules are listed as JSON THEN all of them are printed
    const run = runCheck(["--rules", "--json"], PROJECT_ROOT, { CDKTF_OUTDIR: join(tmpdir(), "scopegate-never-synthesized") });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).map((rule: { id: string }) => rule.id)).toEqual([...RULE_IDS]);
  });
});
