/** Copies of the project elsewhere, and whole output trees, for tests of byte-identical output. */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "./app";

/** Every file below `dir`, relative path → content. */
export function tree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/** A copy of the project's files (tracked, and untracked but not ignored) in a new folder, sharing node_modules. */
export function checkoutElsewhere(): string {
  const dir = mkdtempSync(join(tmpdir(), "scopegate-checkout-"));
  const tracked = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  for (const file of tracked.stdout.split("\0").filter((f) => f !== "")) {
    cpSync(join(PROJECT_ROOT, file), join(dir, file), { recursive: true });
  }
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}
