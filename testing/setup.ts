// The types of cdktf's jest matchers; the matchers themselves are loaded on first use, below.
import type { setupJest } from "cdktf/lib/testing/adapters/jest";
import { blockNonLoopbackNetwork, takeBlockedAttempts } from "./network-guard";

/** What registers cdktf's matchers (`Testing.setupJest`). */
export type CdktfMatcherSetup = typeof setupJest;

// cdktf's jest matchers (toHaveResourceWithProperties, toBeValidTerraform, …), loaded by the first
// suite-level use: loading cdktf costs each suite a third of a second, and most suites never match a
// stack. The first use registers cdktf's own matchers in their place and asks them.
const CDKTF_MATCHERS = [
  "toHaveResource",
  "toHaveResourceWithProperties",
  "toHaveDataSource",
  "toHaveDataSourceWithProperties",
  "toHaveProvider",
  "toHaveProviderWithProperties",
  "toBeValidTerraform",
  "toPlanSuccessfully",
] as const;
expect.extend(
  Object.fromEntries(
    CDKTF_MATCHERS.map((name) => [
      name,
      function firstUse(this: jest.MatcherContext, received: unknown, ...args: unknown[]): jest.CustomMatcherResult {
        (require("cdktf") as typeof import("cdktf")).Testing.setupJest();
        const subject: any = this.isNot ? expect(received).not : expect(received);
        try {
          subject[name](...args);
          return { pass: this.isNot !== true, message: () => "" };
        } catch (error) {
          return { pass: this.isNot === true, message: () => (error as Error).message };
        }
      },
    ]),
  ),
);

// Tests reach only loopback: a connection or DNS query elsewhere fails the test that made it, even
// when the code under test swallows the error.
blockNonLoopbackNetwork();
const failOnBlockedAttempts = () => {
  const attempts = takeBlockedAttempts();
  if (attempts.length > 0) {
    throw new Error(
      `This test tried to reach the network outside loopback: ${attempts.map((a) => `${a.operation} ${a.host}`).join(", ")}. ` +
        "Tests may reach only local servers on 127.0.0.1 (see testing/network-guard.ts).",
    );
  }
};
afterEach(failOnBlockedAttempts);
afterAll(failOnBlockedAttempts);

// npm (and npx) record the folder they were run in as INIT_CWD, and relative configuration paths
// start there. Tests name their folders themselves, so the runner's own INIT_CWD must not leak into
// the commands they start; a test of INIT_CWD sets it.
delete process.env.INIT_CWD;
