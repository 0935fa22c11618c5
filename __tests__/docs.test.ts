import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { ERROR_CODES, isErrorCode } from "../core/errors";
import { REASONS } from "../functions/authorizer/reasons";
import { NATIVE_REASONS } from "../matrix/reasons";
import { PROJECT_ROOT } from "../testing/app";

const DOCS_DIR = join(PROJECT_ROOT, "docs");
const read = (path: string): string => readFileSync(join(PROJECT_ROOT, path), "utf8");
const readme = read("README.md");
const docFiles = readdirSync(DOCS_DIR)
  .filter((name) => name.endsWith(".md"))
  .sort()
  .map((name) => `docs/${name}`);

/** Markdown without its fenced code blocks (links and headings inside them are not links or headings). */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, "");
}

/** The headings of a Markdown file, as written (`## Reason codes` → `Reason codes`). */
function headings(markdown: string): string[] {
  return [...withoutCodeBlocks(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)].map((m) => m[1]);
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const heading of headings(markdown)) {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** The text under a heading, up to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, "") === heading);
  if (start === -1) throw new Error(`no heading "${heading}"`);
  const level = /^#+/.exec(lines[start])![0].length;
  let end = lines.length;
  let inFence = false;
  for (let i = start + 1; i < lines.length; i++) {
    if (/^(```|~~~)/.test(lines[i])) inFence = !inFence;
    const match = /^(#+) /.exec(lines[i]);
    if (!inFence && match !== null && match[1].length <= level) {
      end = i;
      break;
    }
  }
  return lines.slice(start, end).join("\n");
}

/** The codes in the first column of the Markdown table rows of `text` (`| \`CODE\` | …`). */
function tableCodes(text: string): string[] {
  return [...text.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
}

describe("README", () => {
  test("starts with the set-up command and the test command", () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(
      firstBlock
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.replace(/\s+#.*$/, "")),
    ).toEqual(["npm ci && npm run synth", "npm ci && npm test"]);
  });

  test("links every file of docs/", () => {
    expect(docFiles.length).toBeGreaterThan(0);
    const unlinked = docFiles.filter((file) => !readme.includes(`](${file})`));
    expect(unlinked).toEqual([]);
  });

  test("shows every top-level folder of the project in its layout", () => {
    const ignored = read(".gitignore")
      .split("\n")
      .map((line) => line.trim().replace(/\/$/, ""))
      .filter((line) => line !== "" && !line.includes("*"));
    const folders = readdirSync(PROJECT_ROOT, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith(".") && !ignored.includes(entry.name))
      .map((entry) => entry.name);
    expect(folders).toEqual(expect.arrayContaining(["docs", "stacks", "functions"]));
    const layout = /```\n([\s\S]*?)```/.exec(section(readme, "Layout"))?.[1] ?? "";
    const missing = folders.filter((folder) => !new RegExp(`^${folder}/`, "m").test(layout));
    expect(missing).toEqual([]);
  });

  test("names in its layout only paths that exist", () => {
    const layout = /```\n([\s\S]*?)```/.exec(section(readme, "Layout"))?.[1] ?? "";
    const named = [...layout.matchAll(/^([\w.-]+(?:\/[\w.-]+)*\/?)/gm)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((path) => !existsSync(join(PROJECT_ROOT, path)))).toEqual([]);
  });

  test("stays readable in five minutes (under 1,200 words): the reference belongs in docs/", () => {
    expect(readme.split(/\s+/).filter((word) => word !== "").length).toBeLessThan(1200);
  });
});

describe("docs/authorizer.md", () => {
  const reasonCodes = section(read("docs/authorizer.md"), "Reason codes");

  test("lists every reason code of the authorizer with its status, meaning and fix, as reasons.ts has them", () => {
    for (const [code, reason] of Object.entries(REASONS)) {
      expect(reasonCodes).toContain(`| \`${code}\` | ${reason.httpStatus} | ${reason.meaning} | ${reason.hint} |`);
    }
  });

  test("lists no reason code the authorizer does not have", () => {
    expect(tableCodes(reasonCodes).sort()).toEqual(Object.keys(REASONS).sort());
  });
});

describe("docs/tools.md", () => {
  const tools = read("docs/tools.md");

  test("lists the native authorizer's matrix reasons as matrix/reasons.ts has them, and no others", () => {
    const matrix = section(tools, "Who can call what");
    for (const [code, reason] of Object.entries(NATIVE_REASONS)) {
      expect(matrix).toContain(`| \`${code}\` | ${reason.httpStatus} | ${reason.meaning} |`);
    }
    expect(tableCodes(matrix).sort()).toEqual(Object.keys(NATIVE_REASONS).sort());
  });

  test("lists every ERR_* code of core/errors.ts, and the code names no other", () => {
    // The authorizer's folder is left out: its ERR_* strings are jose's codes, mapped to reasons.
    const roots = ["core", "stacks", "checks", "matrix", "review", "handoff", "adopt", "scripts", "main.ts"].map((p) =>
      join(PROJECT_ROOT, p),
    );
    const sources: string[] = [];
    const walk = (path: string): void => {
      if (!existsSync(path)) return;
      if (statSync(path).isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
      else if (/\.(ts|cjs)$/.test(path)) sources.push(readFileSync(path, "utf8"));
    };
    roots.forEach(walk);
    const thrown = new Set(sources.flatMap((text) => [...text.matchAll(/["'`](ERR_[A-Z][A-Z0-9_]*)\b/g)].map((m) => m[1])));
    expect(thrown.size).toBeGreaterThan(10);
    // Every code the code names is in the one table, and the docs list exactly that table.
    // Node's own parseArgs codes (ERR_PARSE_ARGS_*) are mapped to ours in core/cli.ts; `ERR_SYNTH_${…}` is a type.
    const ours = [...thrown].filter((code) => !code.startsWith("ERR_PARSE_ARGS_") && !code.endsWith("_"));
    expect(ours.filter((code) => !isErrorCode(code))).toEqual([]);
    expect(tableCodes(section(tools, "Error codes")).sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  const sections = {
    check: "Security checks",
    matrix: "Who can call what",
    review: "Reviewing infrastructure changes",
    handoff: "Handing off to a platform team",
    adopt: "Adopting an existing pool",
  };
  const usage = new Map<string, string>();

  beforeAll(async () => {
    // Each npm script's own command (node … <entry>) with --help, without npm in between; side by side.
    const scripts: Record<string, string> = JSON.parse(read("package.json")).scripts;
    await Promise.all(
      Object.keys(sections).map(async (tool) => {
        const [command, ...args] = scripts[tool].split(/\s+/);
        if (command !== "node") throw new Error(`the script ${tool} does not start with node: ${scripts[tool]}`);
        const { stdout } = await promisify(execFile)(process.execPath, [...args, "--help"], { cwd: PROJECT_ROOT, timeout: 60000 });
        usage.set(tool, stdout);
      }),
    );
  }, 120000);

  test.each(Object.entries(sections))("documents every flag `npm run %s -- --help` prints, in its section", (tool, heading) => {
    const flags = [...new Set([...usage.get(tool)!.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]))];
    expect(flags.length).toBeGreaterThan(0);
    const text = section(tools, heading);
    expect(flags.filter((flag) => !new RegExp(`${flag}(?![a-z-])`).test(text))).toEqual([]);
  });
});

describe("links", () => {
  test.each(["README.md", ...docFiles])("every relative link in %s resolves to a file (and heading)", (file) => {
    const markdown = read(file);
    const broken: string[] = [];
    for (const [, target] of withoutCodeBlocks(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const [path, anchor] = target.split("#", 2);
      const resolved = path === "" ? join(PROJECT_ROOT, file) : resolve(PROJECT_ROOT, dirname(file), decodeURIComponent(path));
      if (!resolved.startsWith(PROJECT_ROOT) || !existsSync(resolved)) {
        broken.push(`${target}: no file ${relative(PROJECT_ROOT, resolved)}`);
      } else if (anchor !== undefined && resolved.endsWith(".md") && !anchors(readFileSync(resolved, "utf8")).has(anchor)) {
        broken.push(`${target}: no heading with anchor #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe("help", () => {
  const help = read("help");

  test('points only to documents and headings that exist (docs/<file>.md "<heading>")', () => {
    const pointers = [...help.matchAll(/\b((?:docs\/[a-z0-9-]+\.md)|README)(?: "([^"]+)")?/g)];
    expect(pointers.length).toBeGreaterThan(0);
    const broken = pointers
      .map(([, file, heading]) => ({ file: file === "README" ? "README.md" : file, heading }))
      .filter(
        ({ file, heading }) => !existsSync(join(PROJECT_ROOT, file)) || (heading !== undefined && !headings(read(file)).includes(heading)),
      )
      .map(({ file, heading }) => `${file} "${heading ?? ""}"`);
    expect(broken).toEqual([]);
  });
});

describe("what the project says about itself", () => {
  const pkg = JSON.parse(read("package.json")) as {
    engines: { node: string };
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  test("package.json engines admits only Node versions every direct dependency supports", () => {
    const semver = require("semver") as { subset(sub: string, dom: string): boolean };
    const unsupported: string[] = [];
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).sort()) {
      const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", name, "package.json"), "utf8")) as {
        engines?: { node?: string };
      };
      const range = manifest.engines?.node;
      if (range !== undefined && !semver.subset(pkg.engines.node, range)) unsupported.push(`${name} needs node ${range}`);
    }
    expect(unsupported).toEqual([]);
  });

  test("help's word on CI is what .ci/run and the GitHub workflow run: npm ci, then npm test", () => {
    const ciRun = read(".ci/run");
    expect(ciRun.indexOf("npm ci")).toBeGreaterThan(-1);
    expect(ciRun.indexOf("npm test")).toBeGreaterThan(ciRun.indexOf("npm ci"));
    expect(read(".github/workflows/ci.yml")).toMatch(/run: npm ci && npm test\n/);
    expect(read("help").replace(/\s+/g, " ")).toContain("what CI runs: .ci/run and the GitHub workflow both run npm ci && npm test");
  });

  test("--json through npm needs -s to keep npm's banner out of standard output, as help and docs/tools.md say", async () => {
    const out = mkdtempSync(join(tmpdir(), "scopegate-json-"));
    const run = (args: string[]) =>
      promisify(execFile)("npm", [...args, "--", "--json", "--out", out], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, SCOPEGATE_CONFIG: "", CDKTF_OUTDIR: "" },
      }).finally(() => rmSync(out, { recursive: true, force: true }));
    const loud = await run(["run", "matrix"]);
    expect(() => JSON.parse(loud.stdout)).toThrow();
    const quiet = await run(["run", "-s", "matrix"]);
    expect(JSON.parse(quiet.stdout)).toEqual(expect.any(Object));
    expect(read("docs/tools.md")).toContain("`npm run -s review -- --json > review.json`");
    expect(read("help")).toContain("npm run -s <tool> -- --json > file");
  });
});
