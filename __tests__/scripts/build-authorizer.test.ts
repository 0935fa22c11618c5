import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../testing/app";

describe("npm run build:authorizer (scripts/build-authorizer.ts)", () => {
  test("builds the bundle and prints the path written, relative to the folder it runs from", () => {
    // WHEN the entry runs in the project folder
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/build-authorizer.ts"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      timeout: 60000,
    });
    // THEN it prints the bundle's path, and the bundle is there
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 0,
      stdout: `${join("dist", "authorizer", "index.js")}\n`,
      stderr: "",
    });
    expect(existsSync(join(PROJECT_ROOT, "dist", "authorizer", "index.js"))).toBe(true);
  }, 60000);
});
