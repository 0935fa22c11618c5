import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../../stacks/config/errors";
import { parseConfigs } from "../../../stacks/config/environments";
import { loadConfigs } from "../../../stacks/config/load";
import { configurationTextIssues } from "../../../stacks/config/text";
import { PROJECT_ROOT, runSynth } from "../../../testing/app";
import { configIssues, exampleDocument } from "../../../testing/config";
import { accepted, documentWith, mustRefuse, samples, scopeTexts } from "../../../testing/configuration-text";
import { createSigningKey, jwksOf } from "../../../testing/keys";

/** The issues `parseConfigs` refuses `document` with (the text gate, then the sections); fails the test when it is accepted. */
const issuesOf = configIssues;

/** The example changed by `mutate`. */
function example(mutate: (doc: Record<string, any>) => void): Record<string, any> {
  const doc = exampleDocument();
  mutate(doc);
  return doc;
}

const TEMPLATE = /configuration text is written to Terraform as literal text/;

describe("configuration text is never a Terraform template", () => {
  // Each case of the report: a configured string that Terraform would have evaluated.
  const cases: [string, (doc: Record<string, any>) => void, string, string][] = [
    [
      "a scope description",
      (d) => (d.resourceServers[0].scopes[0].description = 'Read ${file("/etc/hostname")}'),
      "resourceServers[0].scopes[0].description",
      '"Read ${file(\\"/etc/hostname\\")}"',
    ],
    [
      "a group description",
      (d) => (d.groups[0].description = "${jsonencode(nonsensitive(var.user_passwords))}"),
      "groups[0].description",
      '"${jsonencode(nonsensitive(var.user_passwords))}"',
    ],
    ["an e-mail address", (d) => (d.users[0].email = 'a${file("/proc/self/environ")}@example.com'), "users[0].email", "/proc/self/environ"],
    [
      "a callback URL",
      (d) => (d.appClients[0].callbackUrls[0] = "https://app.example.com/${var.user_passwords}"),
      "appClients[0].callbackUrls[0]",
      "${var.user_passwords}",
    ],
    [
      "a logout URL",
      (d) => (d.appClients[0].logoutUrls[0] = "https://app.example.com/%{ for k, v in var.user_passwords }${v}%{ endfor }"),
      "appClients[0].logoutUrls[0]",
      "%{ for k",
    ],
    [
      "an http_proxy integration URL",
      (d) => (d.api.routes[0].integration = { type: "http_proxy", url: 'https://backend.example.com/${file("/etc/passwd")}' }),
      "api.routes[0].integration.url",
      "/etc/passwd",
    ],
    [
      "the kid of a JWKS snapshot",
      (d) => {
        const jwks = jwksOf(createSigningKey("k1"));
        d.authorizer = { jwksSnapshot: { keys: [{ ...jwks.keys[0], kid: "${jsonencode(nonsensitive(var.user_passwords))}" }] } };
      },
      "authorizer.jwksSnapshot.keys[0].kid",
      "nonsensitive",
    ],
    [
      "an environment's override",
      (d) => (d.environments = { dev: { groups: [{ name: "readers", description: "${path.cwd}" }] } }),
      "environments.dev.groups[0].description",
      "${path.cwd}",
    ],
    ["a directive (%{)", (d) => (d.groups[1].description = "x %{ if true }y%{ endif }"), "groups[1].description", "%{ if true }"],
    ["cdktf's own token syntax", (d) => (d.groups[1].description = "${TfToken[TOKEN.1]}"), "groups[1].description", "TfToken"],
    ["an escape that still reads as a sequence", (d) => (d.groups[1].description = "$${x}"), "groups[1].description", "$${x}"],
  ];

  test.each(cases)("fails when %s holds a template sequence, naming the path, the value and the fix", (_what, mutate, path, shown) => {
    // WHEN a configuration with the string is read
    const issues = issuesOf(example(mutate));
    // THEN it is refused at the string's own path, with the value and the fix
    const issue = issues.find((i) => i.path === path && TEMPLATE.test(i.message));
    expect(issue).toBeDefined();
    expect(issue?.message).toContain(shown);
    expect(issue?.message).toMatch(/remove the sequence, or write it without "\{" after "\$" or "%"/);
  });

  test("fails when an object key holds a template sequence", () => {
    // GIVEN a key (never a known field, but it is text all the same)
    const issues = issuesOf(example((d) => (d.api['${file("/etc/hostname")}'] = 1)));
    // THEN the key is refused as text, besides being an unknown field
    const issue = issues.find((i) => i.path === 'api.${file("/etc/hostname")}' && TEMPLATE.test(i.message));
    expect(issue?.message).toMatch(/^this key: /);
  });

  test("fails when a value inside an AWS CLI input file holds a template sequence, at its path inside the input", () => {
    // GIVEN a configuration whose resource server comes from an AWS CLI input file
    const dir = mkdtempSync(join(tmpdir(), "scopegate-text-cli-"));
    mkdirSync(join(dir, "aws-cli"));
    writeFileSync(
      join(dir, "aws-cli", "rs.json"),
      JSON.stringify({
        Identifier: "api.example.com",
        Name: "Example API",
        Scopes: [
          { ScopeName: "read", ScopeDescription: "${jsonencode(nonsensitive(var.user_passwords))}" },
          { ScopeName: "write", ScopeDescription: "Write" },
        ],
      }),
    );
    const doc = exampleDocument();
    doc.resourceServers = [{ awsCliInputFile: "aws-cli/rs.json" }];
    writeFileSync(join(dir, "config.json"), JSON.stringify(doc));
    // WHEN loaded
    let error: unknown;
    try {
      loadConfigs({ envPath: join(dir, "config.json") });
    } catch (e) {
      error = e;
    }
    // THEN the value is refused where it is written in the input
    expect(error).toBeInstanceOf(ConfigError);
    // cited in the AWS CLI input file, with a JSON Pointer into it
    const issue = (error as ConfigError).issues.find((i) => i.path === "aws-cli/rs.json#/Scopes/0/ScopeDescription");
    expect(issue?.message).toMatch(TEMPLATE);
  });

  test("a $ or % not followed by { is text, and is accepted", () => {
    expect(() =>
      parseConfigs(
        example((d) => (d.groups[0].description = "costs 5$, 100% {sure} $$ %% $} ends in $")),
        "test.json",
      ),
    ).not.toThrow();
  });
});

describe("configuration text is in Unicode NFC", () => {
  test("fails on text Terraform would normalise, naming its NFC form", () => {
    // GIVEN "café" written with a combining accent (e + U+0301)
    const issues = issuesOf(example((d) => (d.groups[0].description = "cafe\u0301")));
    // THEN it is refused, and the fix spells the NFC form readably
    const issue = issues.find((i) => i.path === "groups[0].description");
    expect(issue?.message).toMatch(/is not in Unicode NFC from character 4: /);
    expect(issue?.message).toContain('"cafe\\u0301"');
    expect(issue?.message).toContain('"caf\\u00e9"');
  });

  test("fails on a lone surrogate, which cannot be written as UTF-8 (it would deploy as U+FFFD)", () => {
    const issues = issuesOf(example((d) => (d.groups[0].description = "half \ud83d of an emoji")));
    expect(issues.find((i) => i.path === "groups[0].description")?.message).toMatch(/lone surrogate U\+D83D .*"half \\ud83d of an emoji"/);
  });

  test("NFC text, astral characters included, is accepted", () => {
    expect(() =>
      parseConfigs(
        example((d) => (d.groups[0].description = "café ✅ 日本 😀 𝔘")),
        "test.json",
      ),
    ).not.toThrow();
  });
});

describe("names are names", () => {
  test.each([
    ["api.name", (d: Record<string, any>) => (d.api.name = "api\nname")],
    ["userPool.name", (d: Record<string, any>) => (d.userPool.name = "pool\nname")],
    ["resourceServers[0].name", (d: Record<string, any>) => (d.resourceServers[0].name = "Example\nAPI")],
    ["users[0].email", (d: Record<string, any>) => (d.users[0].email = "a\u0001b@example.com")],
    ["groups[0].name", (d: Record<string, any>) => (d.groups[0].name = "readers\u2028")],
    ["resourceServers[0].scopes[0].description", (d: Record<string, any>) => (d.resourceServers[0].scopes[0].description = "Read\u202e")],
  ])("fails when %s holds a control character or line terminator", (path, mutate) => {
    const issues = issuesOf(example(mutate));
    expect(issues.find((i) => i.path === path)?.message).toMatch(/control character|line terminator|bidirectional/);
  });

  test("fails when api.name would not make a valid CloudWatch log group name", () => {
    const issues = issuesOf(example((d) => (d.api.name = "my api")));
    expect(issues).toEqual([
      {
        path: "api.name",
        message: expect.stringMatching(/^must match .*letters, digits, '\.', '_' and '-'.*got "my api"/),
      },
    ]);
  });

  test("fails when api.name is too long for the account logging role's name", () => {
    const issues = issuesOf(example((d) => (d.api.name = "a".repeat(60))));
    expect(issues.map((i) => i.path)).toEqual(["api.name"]);
    expect(issues[0].message).toMatch(/at most 53 characters.*-apigw-logs/);
  });

  test("a bidirectional override is refused even in free text, naming its code point", () => {
    const issues = issuesOf(example((d) => (d.groups[0].description = "abc\u202edef")));
    expect(issues.find((i) => i.path === "groups[0].description")?.message).toMatch(/bidirectional control U\+202E/);
  });

  test("a group description is free text: a newline and a tab are accepted there", () => {
    const [config] = parseConfigs(
      example((d) => (d.groups[0].description = "line one\n\tline two")),
      "test.json",
    );
    expect(config.groups[0].description).toBe("line one\n\tline two");
  });

  test("a problem the gate reports is not reported again by the section parser", () => {
    const issues = issuesOf(example((d) => (d.userPool.name = "pool\nname")));
    expect(issues.filter((i) => i.path === "userPool.name")).toHaveLength(1);
  });

  test("a shared field the gate refuses is reported once, not again by each environment", () => {
    const issues = issuesOf(
      example((d) => {
        d.userPool.name = "pool\nname";
        d.environments = { dev: {}, prod: { api: { name: "prod\napi" } } };
      }),
    );
    expect(issues.map((i) => i.path)).toEqual(["userPool.name", "environments.prod.api.name"]);
  });
});

describe("the gate is the only way in", () => {
  test("production code reads the sections (stacks/config/parse) only through parseConfigs, behind the gate", () => {
    // GIVEN every source file outside tests, test support and benchmarks
    const files = execFileSync("git", ["ls-files", "*.ts", "*.cjs", "*.mjs"], { cwd: PROJECT_ROOT, encoding: "utf8" })
      .split("\n")
      .filter((file) => file !== "" && !/^(__tests__|testing|bench)\//.test(file));
    // THEN only environments.ts imports the section parsers
    const importers = files.filter((file) =>
      /from "(\.\.?\/)+(stacks\/config\/|config\/)?parse(\/index)?"/.test(readFileSync(join(PROJECT_ROOT, file), "utf8")),
    );
    expect(importers).toEqual(["stacks/config/environments.ts"]);
  });
});

describe("synth", () => {
  test("fails on an injected template sequence, naming it, and writes nothing", () => {
    // GIVEN a configuration file whose group description would print the users' passwords
    const dir = mkdtempSync(join(tmpdir(), "scopegate-text-synth-"));
    const doc = example((d) => (d.groups[0].description = "${jsonencode(nonsensitive(var.user_passwords))}"));
    writeFileSync(join(dir, "config.json"), JSON.stringify(doc));
    // WHEN synthesized
    const run = runSynth({ SCOPEGATE_CONFIG: join(dir, "config.json") });
    // THEN it fails with the path, and no output exists
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("ERR_CONFIG_INVALID");
    expect(run.stderr).toContain("groups[0].description: ");
    expect(existsSync(run.outdir)).toBe(false);
  }, 120000);
});

describe("the text gate over generated strings", () => {
  test("the samples hold both kinds, so both halves of the property are exercised", () => {
    expect(accepted.length).toBeGreaterThan(10);
    expect(samples.length - accepted.length).toBeGreaterThan(10);
    expect(scopeTexts.length).toBeGreaterThan(10);
    const all = accepted.join("");
    for (const piece of ['"', "\\", "\n", "$$", "%%", "$}", "<<EOT", "<<-EOT", "\\u", "/*", "😀", "\u00e9"]) expect(all).toContain(piece);
  });

  test("every string with a template sequence, outside NFC or with a control character is refused at its path", () => {
    samples.forEach((s, i) => {
      const issues = configurationTextIssues({ groups: [{ name: "g", description: s }] });
      if (mustRefuse(s)) expect({ i, s, paths: issues.map((issue) => issue.path) }).toEqual({ i, s, paths: ["groups[0].description"] });
      else expect({ i, s, issues }).toEqual({ i, s, issues: [] });
    });
  });

  test("the configuration with every accepted string is valid", () => {
    expect(() => parseConfigs(documentWith(accepted, scopeTexts), "generated.json")).not.toThrow();
  });
});
