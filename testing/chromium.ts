/**
 * A headless Chromium for browser tests: found through `CHROMIUM_PATH` or `PATH`, never downloaded.
 * Where none exists the tests skip loudly with the reason, never pass silently.
 */
import { accessSync, constants, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { describeMissingTool } from "./missing-tool";

/** Environment variable naming a Chromium (or Chrome) binary; wins over `PATH`. */
export const CHROMIUM_ENV = "CHROMIUM_PATH";

/** Binary names looked up in `PATH`, in order. */
const NAMES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];

/** Flags for a quiet, offline, sandbox-free headless run (CI containers run as root). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
] as const;

/** A Chromium binary, or why there is none. */
export type ChromiumLookup =
  { readonly available: true; readonly executablePath: string } | { readonly available: false; readonly reason: string };

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Finds Chromium: `CHROMIUM_PATH` when set (it must then be executable), else the first of {@link NAMES} in `PATH`. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const named = env[CHROMIUM_ENV];
  if (named !== undefined && named !== "") {
    return isExecutableFile(named)
      ? { available: true, executablePath: named }
      : { available: false, reason: `${CHROMIUM_ENV}=${named} is not an executable file` };
  }
  for (const folder of (env.PATH ?? "").split(delimiter).filter((f) => f !== "")) {
    for (const name of NAMES) {
      const candidate = join(folder, name);
      if (isExecutableFile(candidate)) return { available: true, executablePath: candidate };
    }
  }
  return { available: false, reason: `no ${NAMES.join(", ")} in PATH and ${CHROMIUM_ENV} is unset; run .ci/install-chromium` };
}

/** A browser context with a new, empty profile; `close()` also deletes the profile. */
export interface HeadlessBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium headless with {@link CHROMIUM_ARGS} and a fresh user data folder. */
export async function launchChromium(executablePath: string, viewport = { width: 1400, height: 900 }): Promise<HeadlessBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), "scopegate-chromium-profile-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    args: [...CHROMIUM_ARGS],
    viewport,
    timeout: 20_000,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Declares browser tests: runs them when Chromium is found, otherwise registers a skipped test
 * whose title carries the reason (and prints it); a failing one where
 * `SCOPEGATE_REQUIRE_TEST_TOOLS=1` (the CI workflow).
 */
export function describeWithChromium(title: string, body: (executablePath: string) => void): void {
  const found = findChromium();
  if (found.available) {
    describe(title, () => body(found.executablePath));
    return;
  }
  describeMissingTool(title, "needs Chromium", found.reason);
}
