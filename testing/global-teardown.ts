import { rmSync } from "node:fs";
import { RUN_DIR_ENV, runDir } from "./run-cache";

/** Jest's global teardown: removes the run's folder of shared work (`testing/global-setup.ts`). */
export default function globalTeardown(): void {
  const dir = runDir();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  delete process.env[RUN_DIR_ENV];
}
