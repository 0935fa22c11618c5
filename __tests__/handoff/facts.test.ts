import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { buildSync } from "esbuild";
import { runHandoff } from "../../handoff/cli";
import { RESOURCE_KINDS } from "../../handoff/handoff-md";
import { AUTHORIZER_BUILD_OPTIONS } from "../../stacks/authorizer-bundle";
import { PROJECT_ROOT, runSynth, synthOutput } from "../../testing/app";
import { checkoutElsewhere, commitElsewhere, headCommit, tree } from "../../testing/checkout";
import { exampleDocument } from "../../testing/config";
import { exampleConfig, synthStack } from "../../testing/synth";
import { readZip } from "../../testing/zip";
import { cedarTwinFiles, renderCedarTwin } from "../../stacks/cedar/render";

/**
 * Synthesizes (the built-in example, or `config`) in `projectRoot` and hands off; returns the stack
 * folder. The built-in example in this project starts from the run's shared synth output (a copy).
 */
async function handedOff(projectRoot = PROJECT_ROOT, config?: string): Promise<string> {
  let from: string;
  if (projectRoot === PROJECT_ROOT && config === undefined) from = synthOutput();
  else {
    const synth = runSynth(config === undefined ? {} : { SCOPEGATE_CONFIG: config }, projectRoot);
    if (synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
    from = synth.outdir;
  }
  const out = join(mkdtempSync(join(tmpdir(), "scopegate-facts-")), "handoff");
  const run = await runHandoff(["--from", from, "--out", out], projectRoot, { SCOPEGATE_CONFIG: config ?? "" });
  if (run.status !== 0) throw new Error(`handoff failed: ${run.stderr}`);
  return join(out, "scopegate-example");
}

/** A section of HANDOFF.md, from its `## ` heading to the next. */
function section(doc: string, heading: string): string {
  const start = doc.indexOf(`## ${heading}\n`);
  if (start < 0) throw new Error(`no section "${heading}"`);
  const end = doc.indexOf("\n## ", start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** The `username = "…"` of every aws_cognito_user block in main.tf. */
function usersInMainTf(mainTf: string): string[] {
  const blocks = mainTf.split(/\n(?=resource ")/).filter((block) => block.startsWith('resource "aws_cognito_user" '));
  return blocks.map((block) => /^\s*username\s*=\s*"([^"]+)"/m.exec(block)?.[1] as string).sort();
}

describe("HANDOFF.md says only what is so, from the package itself", () => {
  let folder: string;
  let doc: string;
  beforeAll(async () => {
    folder = await handedOff();
    doc = readFileSync(join(folder, "HANDOFF.md"), "utf8");
  }, 120000);

  test("the folder carries the Cedar twin beside access-matrix.json, the files synth writes, and HANDOFF.md lists it", () => {
    const twin = cedarTwinFiles(renderCedarTwin(exampleConfig()));
    for (const [name, text] of twin) expect(readFileSync(join(folder, "cedar", name), "utf8")).toBe(text);
    expect(readdirSync(join(folder, "cedar")).sort()).toEqual([...twin.keys()].sort());
    expect(doc).toContain("| `cedar/` | The same access as Cedar policies");
  });

  test("the zip's listing is the zip's entries, read from the zip", () => {
    const lambda = section(doc, "The Lambda package");
    const zipPath = /^`(assets\/[^`]+\.zip)`/m.exec(lambda)?.[1] as string;
    const entries = readZip(readFileSync(join(folder, zipPath)));
    const listed = [...lambda.matchAll(/^\| `([^`]+)` \| (\d+) \|$/gm)].map((m) => ({ name: m[1], bytes: Number(m[2]) }));
    expect(listed).toEqual(entries.map((e) => ({ name: e.name, bytes: Buffer.byteLength(e.content, "utf8") })));
    expect(lambda).toContain(`holds ${entries.length} files:`);
    expect(lambda).not.toContain("holds one file");
  });

  test("the bundle's inputs are those of esbuild's metafile: project modules and packages with versions, no AWS SDK", () => {
    // The oracle: esbuild's own metafile of the authorizer bundle, built here
    const { metafile } = buildSync({
      ...AUTHORIZER_BUILD_OPTIONS,
      absWorkingDir: PROJECT_ROOT,
      write: false,
      metafile: true,
      minify: true,
    });
    const inputs = Object.keys(metafile.inputs);
    const project = inputs.filter((input) => !input.includes("node_modules/"));
    const packages = new Map<string, string>();
    for (const input of inputs.filter((i) => i.includes("node_modules/"))) {
      const rest = input.slice(input.lastIndexOf("node_modules/") + "node_modules/".length).split("/");
      const name = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
      const dir = input.slice(0, input.lastIndexOf("node_modules/")) + `node_modules/${name}`;
      packages.set(name, JSON.parse(readFileSync(join(PROJECT_ROOT, dir, "package.json"), "utf8")).version);
    }
    const lambda = section(doc, "The Lambda package");
    expect(lambda).toContain(`bundled by esbuild from ${project.length} project modules`);
    const expected = [...packages.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, version]) => `\`${name}\` ${version}`)
      .join(", ");
    expect(lambda).toContain(`the packages ${expected}`);
    expect(packages.has("@smithy/signature-v4")).toBe(true);
    expect([...packages.keys()].filter((name) => name.startsWith("@aws-sdk/"))).toEqual([]);
    expect(lambda).toContain("no AWS SDK client (`@aws-sdk/*`)");
    expect(lambda).not.toContain("the AWS SDK clients");
  });

  test("every resource kind in the table has a human name, and the counts are main.tf's", () => {
    const creates = section(doc, "What the stack creates");
    const rows = [...creates.matchAll(/^\| ([^|]+) \| `([a-z0-9_]+)` \| (\d+) \|$/gm)];
    const mainTf = readFileSync(join(folder, "main.tf"), "utf8");
    const inMain = new Map<string, number>();
    for (const m of mainTf.matchAll(/^resource "([a-z0-9_]+)" "/gm)) inMain.set(m[1], (inMain.get(m[1]) ?? 0) + 1);
    expect(rows.map((r) => [r[2], Number(r[3])]).sort()).toEqual([...inMain.entries()].sort());
    for (const [, kind, type] of rows) expect({ type, kind: kind.trim() === type || kind.includes("_") }).toEqual({ type, kind: false });
  });

  test("the users named are those of main.tf, and each account's first password is told right", () => {
    const mainTf = readFileSync(join(folder, "main.tf"), "utf8");
    const users = usersInMainTf(mainTf);
    expect(users).toEqual(["alice", "bob", "svc-reports"]);
    const line = /^Users: (.*?)\. Groups:/m.exec(doc)?.[1] ?? "";
    expect([...line.matchAll(/`([^`]+)`/g)].map((m) => m[1])).toEqual(users);
    const state = section(doc, "What the state holds");
    expect(state).toContain("invited by e-mail (`alice`, `bob`)");
    expect(state).toContain("`svc-reports` has no e-mail address: it needs a password set by the operator (`var.user_passwords`)");
    expect(state).not.toMatch(/A user without an entry is invited by e-mail/);
    expect(section(doc, "Inputs")).not.toContain("A user left out is invited by e-mail instead");
  });

  test("the rebuild command is the exact one: the built-in example needs no SCOPEGATE_CONFIG", () => {
    const lambda = section(doc, "The Lambda package");
    expect(lambda).toContain("`npm ci && npm run synth && npm run handoff`");
    expect(lambda).not.toMatch(/commit this folder came from/);
  });

  test("a configuration in the project is named, relative to it, in the rebuild command for both steps", async () => {
    mkdirSync(join(PROJECT_ROOT, ".scratch"), { recursive: true });
    const configs = mkdtempSync(join(PROJECT_ROOT, ".scratch", "facts-"));
    const file = join(configs, "api.json");
    writeFileSync(file, JSON.stringify(exampleDocument()));
    const rel = relative(PROJECT_ROOT, file);
    const other = readFileSync(join(await handedOff(PROJECT_ROOT, rel), "HANDOFF.md"), "utf8");
    expect(section(other, "The Lambda package")).toContain(
      `\`npm ci && SCOPEGATE_CONFIG=${rel} npm run synth && SCOPEGATE_CONFIG=${rel} npm run handoff\``,
    );
  }, 120000);

  test("a configuration outside the project is named by a placeholder in the rebuild command, never by its path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-facts-config-"));
    writeFileSync(join(dir, "api.json"), JSON.stringify(exampleDocument()));
    const other = readFileSync(join(await handedOff(PROJECT_ROOT, join(dir, "api.json")), "HANDOFF.md"), "utf8");
    const lambda = section(other, "The Lambda package");
    expect(lambda).toContain(
      "`npm ci && SCOPEGATE_CONFIG=<path to api.json> npm run synth && SCOPEGATE_CONFIG=<path to api.json> npm run handoff`",
    );
    expect(lambda).not.toContain(dir);
  }, 120000);
});

describe("HANDOFF.md names the commit only where there is one", () => {
  test("two clones of one commit give byte-identical hand-offs that name that commit", async () => {
    const [a, b] = [commitElsewhere(), commitElsewhere()];
    const commit = headCommit(a);
    expect(headCommit(b)).toBe(commit);
    const [here, there] = [await handedOff(a), await handedOff(b)];
    const [ta, tb] = [tree(join(here, "..")), tree(join(there, ".."))];
    expect([...tb.keys()].sort()).toEqual([...ta.keys()].sort());
    for (const [file, content] of ta) expect({ file, same: content.equals(tb.get(file) as Buffer) }).toEqual({ file, same: true });
    const doc = readFileSync(join(here, "HANDOFF.md"), "utf8");
    expect(section(doc, "The Lambda package")).toContain(`at commit \`${commit}\``);
    for (const needle of [a, b, tmpdir()]) expect(doc.includes(needle)).toBe(false);
  }, 240000);

  test("an exported tree (no git) says nothing about commits", async () => {
    const doc = readFileSync(join(await handedOff(checkoutElsewhere()), "HANDOFF.md"), "utf8");
    for (const heading of ["The Lambda package", "Security checks"]) expect(section(doc, heading)).not.toMatch(/commit/i);
    expect(section(doc, "The Lambda package")).toContain("in the scopegate sources it was made from");
  }, 120000);
});

describe("resource kinds", () => {
  test("every resource type the stacks emit, with every optional feature on, has a human name", () => {
    const emitted = new Set<string>();
    const variants: ((d: Record<string, any>) => void)[] = [
      () => undefined,
      (d) => {
        d.encryption = { kmsKey: "create" };
        d.userPool = { ...d.userPool, tier: "PLUS", threatProtection: "enforced" };
        d.api.basicRateLimit = { requestsPer5MinutesPerIp: 500 };
        d.verifiedPermissions = { export: true };
      },
    ];
    for (const mutate of variants) for (const type of Object.keys(synthStack(exampleConfig(mutate)).tf.resource)) emitted.add(type);
    expect(emitted.size).toBeGreaterThan(25);
    expect([...emitted].filter((type) => RESOURCE_KINDS[type] === undefined).sort()).toEqual([]);
  });
});
