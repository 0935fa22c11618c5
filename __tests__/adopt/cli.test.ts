import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADOPT_USAGE, runAdoptCli } from "../../adopt/cli";
import { ADOPTION_REPORT } from "../../adopt/report";
import { parseConfigs } from "../../stacks/config/environments";
import { PROJECT_ROOT } from "../../testing/app";

const FIXTURES = join(PROJECT_ROOT, "__tests__/fixtures/adopt");
const ORDERS = ["--name", "orders", "--basic-users", "svc-reports"];

type Json = Record<string, any>;

/** A scratch folder with a copy of a fixture in `from/` and an empty `out/`. */
function scratch(fixture: string): { dir: string; from: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "scopegate-adopt-test-"));
  const from = join(dir, "from");
  cpSync(join(FIXTURES, fixture), from, { recursive: true });
  mkdirSync(join(dir, "out"));
  return { dir, from, out: join(dir, "out") };
}

function edit(file: string, change: (doc: Json) => void): void {
  const doc = JSON.parse(readFileSync(file, "utf8")) as Json;
  change(doc);
  writeFileSync(file, JSON.stringify(doc, null, 4));
}

function run(dir: string, args: string[]) {
  return runAdoptCli(args, { cwd: dir, env: {} });
}

/** Every file under `dir`, with its text. */
function written(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), "utf8")]));
}

describe("npm run adopt", () => {
  test("writes a configuration that parses, with its adopt section, and ADOPTION.md beside it", () => {
    const { dir, out } = scratch("username-optional");
    const result = run(dir, ["--from", "from", "--out", "out/orders.json", ...ORDERS]);
    expect(result).toMatchObject({ status: 0, stderr: "" });
    expect(result.stdout).toContain("adopted eu-west-1_Or3ersPl1: ");
    expect(result.stdout).toContain(`wrote out/orders.json, out/${ADOPTION_REPORT}`);
    expect(Object.keys(written(out)).sort()).toEqual([ADOPTION_REPORT, "orders.json"]);
    const document = JSON.parse(readFileSync(join(out, "orders.json"), "utf8"));
    const [config] = parseConfigs(document, "orders.json");
    expect(config!.adopt).toEqual({
      userPoolId: "eu-west-1_Or3ersPl1",
      domain: true,
      resourceServers: ["orders.example.com"],
      clients: { batch: "7a6s5d4f3g2h1j0k9l8z7x6c5v", legacy: "2q3w4e5r6t7y8u9i0o1p2a3s4d", web: "5k8qv1r2m3n4b5c6x7z8l9j0h1" },
      groups: ["auditors", "readers", "writers"],
      users: ["alice", "svc-reports"],
    });
    expect(config!.appClients.map((c) => [c.name, c.kind])).toEqual([
      ["batch", "machine"],
      ["legacy", "legacy"],
      ["web", "browser"],
    ]);
    expect(config!.users).toEqual([
      { username: "alice", email: "alice@example.com", groups: [] },
      { username: "svc-reports", groups: [] },
    ]);
    const report = readFileSync(join(out, ADOPTION_REPORT), "utf8");
    expect(report).toContain("## Changed on first apply\n\nNothing described is changed.");
    expect(report).toContain("aws_cognito_user_in_group");
  });

  test("docs/existing-pool.md names every section ADOPTION.md has", () => {
    const { dir, out } = scratch("off-drift");
    expect(run(dir, ["--from", "from", "--out", "out/c.json"]).status).toBe(0);
    const sections = [...readFileSync(join(out, ADOPTION_REPORT), "utf8").matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
    expect(sections.length).toBe(6);
    const docs = readFileSync(join(PROJECT_ROOT, "docs/existing-pool.md"), "utf8");
    const described = docs.slice(docs.indexOf("### ADOPTION.md"), docs.indexOf("### What is and is not touched when adopting"));
    expect(sections.filter((name) => !described.includes(`- **${name}**:`))).toEqual([]);
  });

  test("relative paths start at the folder npm was run from (INIT_CWD)", () => {
    const { dir, out } = scratch("email-on");
    const result = runAdoptCli(["--from", "from", "--out", "out/shop.json"], { cwd: PROJECT_ROOT, env: { INIT_CWD: dir } });
    expect(result.status).toBe(0);
    expect(existsSync(join(out, "shop.json"))).toBe(true);
  });

  test("is deterministic: the same outputs under other file names, in another folder, give the same bytes", () => {
    const first = scratch("email-on");
    const second = scratch("email-on");
    readdirSync(second.from).forEach((name, i) =>
      renameSync(join(second.from, name), join(second.from, `${String.fromCharCode(122 - i)}-output.txt`)),
    );
    expect(run(first.dir, ["--from", "from", "--out", "out/c.json"]).status).toBe(0);
    expect(run(second.dir, ["--from", "from", "--out", "out/c.json"]).status).toBe(0);
    expect(readFileSync(join(second.out, "c.json"), "utf8")).toBe(readFileSync(join(first.out, "c.json"), "utf8"));
    const report = (out: string) =>
      readFileSync(join(out, ADOPTION_REPORT), "utf8").replace(/`[a-z]-output\.txt`|`[a-z-]+\.json`/g, "`file`");
    expect(report(second.out)).toBe(report(first.out));
  });

  test.each([
    ["username-optional", ORDERS],
    ["email-on", []],
    ["off-drift", []],
  ])("%s: no client secret reaches a written file, stdout or stderr", (fixture, extra) => {
    const { dir, from, out } = scratch(fixture);
    const secrets = readdirSync(from).flatMap((name) =>
      [...readFileSync(join(from, name), "utf8").matchAll(/"ClientSecret": "([^"]+)"/g)].map((m) => m[1]!),
    );
    expect(secrets.length).toBeGreaterThan(0);
    const ok = run(dir, ["--from", "from", "--out", "out/c.json", "--json", ...extra]);
    // A refused run prints the files' problems: the secret stays out of those too.
    edit(
      join(
        from,
        readdirSync(from).find((name) => readFileSync(join(from, name), "utf8").includes("ClientSecret"))!,
      ),
      (doc) => {
        doc.UserPoolClient.UserPoolId = "eu-west-1_Another1";
      },
    );
    const refused = run(dir, ["--from", "from", "--out", "out/d.json", ...extra]);
    expect(ok.status).toBe(0);
    expect(refused.status).toBe(2);
    const everything = [ok.stdout, ok.stderr, refused.stdout, refused.stderr, ...Object.values(written(out))].join("\n");
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  test("ADOPTION.md names the configuration beside it by its file name, whatever path --out was given as", () => {
    // GIVEN --out as an absolute path
    const { dir, out } = scratch("username-optional");
    const result = run(dir, ["--from", "from", "--out", join(out, "c.json"), "--basic-users", "svc-reports"]);
    expect(result.status).toBe(0);
    // THEN the report, a file to commit and review, holds no folder of this machine
    const report = readFileSync(join(out, ADOPTION_REPORT), "utf8");
    expect(report.split("\n")[2]).toMatch(/^`c\.json` adopts the user pool `eu-west-1_Or3ersPl1`/);
    expect(report).not.toContain(dir);
  });

  test("--json prints the summary", () => {
    const { dir } = scratch("off-drift");
    const result = run(dir, ["--from", "from", "--out", "out/c.json", "--json"]);
    expect(JSON.parse(result.stdout)).toEqual({
      config: "out/c.json",
      report: `out/${ADOPTION_REPORT}`,
      userPoolId: "ap-southeast-2_Dr1ftP00l",
      reproduced: expect.any(Number),
      changed: 11,
      left: 10,
      notAdopted: 2,
    });
  });

  test("refuses to overwrite --out or ADOPTION.md without --force, and overwrites both with it", () => {
    const { dir, out } = scratch("email-on");
    writeFileSync(join(out, "c.json"), "mine\n");
    const refused = run(dir, ["--from", "from", "--out", "out/c.json"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^ERR_ADOPT_USAGE: --out "out\/c.json": "out\/c.json" exists; pass --force/);
    expect(readFileSync(join(out, "c.json"), "utf8")).toBe("mine\n");
    expect(existsSync(join(out, ADOPTION_REPORT))).toBe(false);
    expect(run(dir, ["--from", "from", "--out", "out/c.json", "--force"]).status).toBe(0);
    expect(readFileSync(join(out, "c.json"), "utf8")).not.toBe("mine\n");
  });

  test("--help prints the usage; a missing or unknown flag is a usage error with the usage", () => {
    expect(run(PROJECT_ROOT, ["--help"])).toEqual({ status: 0, stdout: `${ADOPT_USAGE}\n`, stderr: "" });
    const missing = run(PROJECT_ROOT, ["--from", "x"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^ERR_ADOPT_USAGE: --out <config file> is required/);
    expect(missing.stderr).toContain("Usage: npm run adopt");
    expect(run(PROJECT_ROOT, ["--from", "x", "--out", "y", "--bogus"]).stderr).toMatch(/^ERR_ADOPT_USAGE: unknown option "--bogus"/);
  });
});

describe("npm run adopt refuses bad or inconsistent input by file and JSON path, writing nothing", () => {
  const cases: [string, string, (from: string) => void, RegExp][] = [
    [
      "two outputs of describe-user-pool",
      "ERR_ADOPT_INPUT",
      (from) => cpSync(join(from, "user-pool.json"), join(from, "zz-pool-again.json")),
      /zz-pool-again\.json: is a second output of describe-user-pool \(user-pool\.json, zz-pool-again\.json\)/,
    ],
    [
      "a client of another pool",
      "ERR_ADOPT_INPUT",
      (from) => edit(join(from, "client-web.json"), (d) => (d.UserPoolClient.UserPoolId = "eu-west-1_Another1")),
      /client-web\.json at UserPoolClient\.UserPoolId: belongs to pool "eu-west-1_Another1", not "eu-west-1_Or3ersPl1"/,
    ],
    [
      "a resource server of another pool",
      "ERR_ADOPT_INPUT",
      (from) => edit(join(from, "rs-orders.json"), (d) => (d.ResourceServer.UserPoolId = "eu-west-1_Another1")),
      /rs-orders\.json at ResourceServer\.UserPoolId: belongs to pool "eu-west-1_Another1"/,
    ],
    [
      "no describe-user-pool",
      "ERR_ADOPT_INPUT",
      (from) => rmSync(join(from, "user-pool.json")),
      /from: holds no output of describe-user-pool; add it: aws cognito-idp describe-user-pool/,
    ],
    [
      "a file of unknown content",
      "ERR_ADOPT_INPUT",
      (from) => writeFileSync(join(from, "notes.json"), '{"UserPools": []}'),
      /notes\.json: holds top-level keys \["UserPools"\], the output of none of the commands adopt reads/,
    ],
    [
      "a file that is not JSON, with its line and column",
      "ERR_ADOPT_INPUT",
      (from) => writeFileSync(join(from, "groups.json"), '{\n  "Groups": [\n    {"GroupName": "x",}\n  ]\n}'),
      /groups\.json: is not JSON: .* at line 3, column 23/,
    ],
    [
      "one page of list-users",
      "ERR_ADOPT_INPUT",
      (from) => edit(join(from, "users.json"), (d) => (d.PaginationToken = "abc")),
      /users\.json at PaginationToken: is set: the file holds one page of the list only/,
    ],
    [
      "the same client twice",
      "ERR_ADOPT_INPUT",
      (from) => cpSync(join(from, "client-web.json"), join(from, "client-web-copy.json")),
      /client-web\.json at UserPoolClient\.ClientId: client "5k8qv1r2m3n4b5c6x7z8l9j0h1" is described twice \(also in client-web-copy\.json\)/,
    ],
    [
      "a domain output of another domain",
      "ERR_ADOPT_INPUT",
      (from) => edit(join(from, "domain.json"), (d) => (d.DomainDescription.Domain = "someone-else")),
      /domain\.json at DomainDescription\.Domain: is "someone-else", which user-pool\.json does not name/,
    ],
    [
      "MFA outputs taken at different times",
      "ERR_ADOPT_INPUT",
      (from) => edit(join(from, "mfa.json"), (d) => (d.MfaConfiguration = "ON")),
      /mfa\.json at MfaConfiguration: is "ON" but user-pool\.json says "OPTIONAL"/,
    ],
    [
      "no get-user-pool-mfa-config",
      "ERR_ADOPT_INPUT",
      (from) => rmSync(join(from, "mfa.json")),
      /from: holds no output of get-user-pool-mfa-config/,
    ],
    [
      "sign-in with a phone number (replaces the pool)",
      "ERR_ADOPT_REFUSED",
      (from) => edit(join(from, "user-pool.json"), (d) => (d.UserPool.UsernameAttributes = ["phone_number"])),
      /user-pool\.json at UserPool\.UsernameAttributes: is \["phone_number"\]: .*a change replaces the pool with every user; or leave the pool attached/,
    ],
    [
      "alias attributes (replace the pool)",
      "ERR_ADOPT_REFUSED",
      (from) => edit(join(from, "user-pool.json"), (d) => (d.UserPool.AliasAttributes = ["email", "preferred_username"])),
      /user-pool\.json at UserPool\.AliasAttributes: is \["email","preferred_username"\]: the stack sets no alias attributes/,
    ],
    [
      "case-sensitive usernames (replace the pool)",
      "ERR_ADOPT_REFUSED",
      (from) => edit(join(from, "user-pool.json"), (d) => (d.UserPool.UsernameConfiguration.CaseSensitive = true)),
      /user-pool\.json at UserPool\.UsernameConfiguration\.CaseSensitive: is true: the stack makes usernames case-insensitive/,
    ],
    [
      "a pool without UsernameConfiguration (case-sensitive)",
      "ERR_ADOPT_REFUSED",
      (from) => edit(join(from, "user-pool.json"), (d) => delete d.UserPool.UsernameConfiguration),
      /UserPool\.UsernameConfiguration\.CaseSensitive: is not set: .*a pool without UsernameConfiguration is case-sensitive/,
    ],
    [
      "a custom schema attribute",
      "ERR_ADOPT_REFUSED",
      (from) =>
        edit(join(from, "user-pool.json"), (d) =>
          d.UserPool.SchemaAttributes.push({
            Name: "custom:tenant",
            AttributeDataType: "String",
            DeveloperOnlyAttribute: false,
            Mutable: true,
            Required: false,
            StringAttributeConstraints: { MinLength: "1", MaxLength: "64" },
          }),
        ),
      /user-pool\.json at UserPool\.SchemaAttributes\[10\]: is "custom:tenant": a custom attribute: the stack writes no schema/,
    ],
    [
      "a resource server identifier the configuration cannot hold",
      "ERR_ADOPT_REFUSED",
      (from) => edit(join(from, "rs-orders.json"), (d) => (d.ResourceServer.Identifier = "Orders")),
      /rs-orders\.json at ResourceServer\.Identifier: is "Orders": the configuration accepts a lowercase domain name/,
    ],
  ];

  test.each(cases)("%s (%s)", (_, code, change, message) => {
    const { dir, from, out } = scratch("username-optional");
    change(from);
    const result = run(dir, ["--from", "from", "--out", "out/c.json", ...ORDERS]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.startsWith(`${code}: `)).toBe(true);
    expect(result.stderr).toMatch(message);
    expect(readdirSync(out)).toEqual([]);
  });

  test("a legacy client without --basic-users is refused, naming the flag", () => {
    const { dir, out } = scratch("username-optional");
    const result = run(dir, ["--from", "from", "--out", "out/c.json", "--name", "orders"]);
    expect(result.stderr).toMatch(/^ERR_ADOPT_REFUSED: /);
    expect(result.stderr).toMatch(/client-legacy\.json at UserPoolClient\.ExplicitAuthFlows: .*pass --basic-users <username,…>/);
    expect(readdirSync(out)).toEqual([]);
  });

  test("--basic-users naming a user that is not adopted is refused", () => {
    const { dir, out } = scratch("username-optional");
    const result = run(dir, ["--from", "from", "--out", "out/c.json", "--name", "orders", "--basic-users", "mallory"]);
    expect(result.stderr).toMatch(/^ERR_ADOPT_REFUSED: /);
    expect(result.stderr).toMatch(
      /client-legacy\.json at UserPoolClient: is "mallory": --basic-users names a user that is not adopted \(adopted: alice, svc-reports\)/,
    );
    expect(readdirSync(out)).toEqual([]);
  });

  test("a stack name that is not one is a usage error naming --name", () => {
    const { dir } = scratch("email-on");
    expect(run(dir, ["--from", "from", "--out", "out/c.json", "--name", "Shop"]).stderr).toMatch(
      /^ERR_ADOPT_USAGE: --name is "Shop", not /,
    );
    edit(join(dir, "from", "pool.json"), (d) => (d.UserPool.Name = "42"));
    expect(run(dir, ["--from", "from", "--out", "out/c.json"]).stderr).toMatch(
      /^ERR_ADOPT_USAGE: the stack name made from the pool's name "42" is "", not .*; pass --name <stack name>/,
    );
  });

  test("--out inside --from is refused: the next run would read it", () => {
    const { dir, from } = scratch("email-on");
    const files = readdirSync(from);
    expect(run(dir, ["--from", "from", "--out", "from/c.json"]).stderr).toMatch(
      /^ERR_ADOPT_USAGE: --out "from\/c.json" is in the --from folder/,
    );
    expect(readdirSync(from)).toEqual(files);
  });

  test("a configuration the describe outputs would make invalid is refused with each field, nothing written", () => {
    const { dir, from, out } = scratch("username-optional");
    edit(join(from, "client-web.json"), (d) => d.UserPoolClient.CallbackURLs.push("http://app.example.com/plain"));
    const result = run(dir, ["--from", "from", "--out", "out/c.json", ...ORDERS]);
    expect(result.stderr).toMatch(/^ERR_ADOPT_REFUSED: the configuration made from "from" would not be valid/);
    expect(result.stderr).toContain(
      'appClients[2].callbackUrls[0]: must use https (plain http only for localhost), got "http://app.example.com/plain"',
    );
    expect(readdirSync(out)).toEqual([]);
  });
});
