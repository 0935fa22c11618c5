import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAuthorizerBundle } from "../../stacks/authorizer-bundle";

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
});
