/**
 * What a test file does when a tool its tests need (Chromium, Terraform) is missing: skip loudly
 * with the reason in the title, or fail where the tool is required (the CI workflow).
 */

/** Environment variable that turns a missing test tool into a failed test instead of a skip. */
export const REQUIRE_TEST_TOOLS_ENV = "SCOPEGATE_REQUIRE_TEST_TOOLS";

/** Whether a missing tool fails the run: `SCOPEGATE_REQUIRE_TEST_TOOLS=1`. @default false */
export function testToolsRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[REQUIRE_TEST_TOOLS_ENV] === "1";
}

/**
 * Registers, in place of the tests titled `title`, one skipped test whose title carries `reason`
 * (and prints it), never a silent pass; or, when {@link testToolsRequired}, one failing test.
 */
export function describeMissingTool(title: string, need: string, reason: string, env: NodeJS.ProcessEnv = process.env): void {
  if (testToolsRequired(env)) {
    describe(title, () => {
      it(need, () => {
        throw new Error(`${reason} (${REQUIRE_TEST_TOOLS_ENV}=1: these tests must run here)`);
      });
    });
    return;
  }
  console.warn(`SKIPPED "${title}": ${reason}`);
  describe.skip(`${title} [SKIPPED: ${reason}]`, () => {
    it(need, () => undefined);
  });
}
