import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RUN_DIR_ENV } from "./run-cache";

/**
 * Jest's global setup: a folder for this run's shared work (`testing/run-cache.ts`), named in the
 * environment the workers inherit. `testing/global-teardown.ts` removes it.
 */
export default function globalSetup(): void {
  process.env[RUN_DIR_ENV] = mkdtempSync(join(tmpdir(), "scopegate-test-run-"));
}
