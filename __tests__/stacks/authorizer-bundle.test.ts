import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAuthorizerBundle, readBundleRecord } from "../../stacks/authorizer-bundle";
import { PROJECT_ROOT } from "../../testing/app";

describe("buildAuthorizerBundle", () => {
  test("reuses the bundle while its inputs are unchanged, and rebuilds when they change", () => {
    // GIVEN a bundle built into a fresh folder
    const outdir = mkdtempSync(join(tmpdir(), "scopegate-bundle-cache-"));
    const file = buildAuthorizerBundle({ outdir, minify: true });
    const first = { mtimeMs: statSync(file).mtimeMs, content: readFileSync(file) };
    // WHEN built again with the same inputs THEN the file is not written again
    expect(buildAuthorizerBundle({ outdir, minify: true })).toBe(file);
    expect(statSync(file).mtimeMs).toBe(first.mtimeMs);
    // WHEN an option changes THEN it is rebuilt, and building back gives the same bytes as before
    buildAuthorizerBundle({ outdir, minify: false });
    expect(readFileSync(file).equals(first.content)).toBe(false);
    buildAuthorizerBundle({ outdir, minify: true });
    expect(readFileSync(file).equals(first.content)).toBe(true);
  }, 60000);

  test("rebuilds when a source the bundle imports from outside functions/ changes (core/)", () => {
    // GIVEN a copy of the project's authorizer sources, its contracts and shared core, with its dependencies
    const root = mkdtempSync(join(tmpdir(), "scopegate-bundle-inputs-"));
    try {
      for (const part of ["functions", "contracts", "core", "package-lock.json"])
        cpSync(join(PROJECT_ROOT, part), join(root, part), { recursive: true });
      symlinkSync(join(PROJECT_ROOT, "node_modules"), join(root, "node_modules"), "dir");
      const file = buildAuthorizerBundle({ projectRoot: root, outdir: "dist" });
      expect(readFileSync(file, "utf8")).not.toContain("scopegate-bundle-marker");
      // WHEN a module of core/ that the authorizer imports changes
      appendFileSync(join(root, "core", "scopes.ts"), '\nexport const MARKER = console.log("scopegate-bundle-marker");\n');
      // THEN the next build writes the bundle again, with the change
      buildAuthorizerBundle({ projectRoot: root, outdir: "dist" });
      expect(readFileSync(file, "utf8")).toContain("scopegate-bundle-marker");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60000);

  test("records what it was built from (project-relative modules, packages with versions), for the bundle it wrote only", () => {
    const outdir = mkdtempSync(join(tmpdir(), "scopegate-bundle-record-"));
    const file = buildAuthorizerBundle({ outdir, minify: true });
    const record = readBundleRecord(file);
    expect(record?.sha256).toBe(createHash("sha256").update(readFileSync(file)).digest("hex"));
    expect(record?.projectInputs).toEqual(expect.arrayContaining(["functions/authorizer/handler.ts", "core/routes.ts"]));
    expect(record?.projectInputs.every((input) => !input.startsWith("/") && !input.includes("node_modules"))).toBe(true);
    const signer = JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", "@smithy", "signature-v4", "package.json"), "utf8")).version;
    expect(record?.packages).toContainEqual({ name: "@smithy/signature-v4", version: signer });
    // WHEN the bundle is changed after the build THEN the record no longer describes it
    appendFileSync(file, "\n// changed\n");
    expect(readBundleRecord(file)).toBeUndefined();
  }, 60000);
});
