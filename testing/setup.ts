import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { blockNonLoopbackNetwork, takeBlockedAttempts } from "./network-guard";

// Adds the cdktf jest matchers (toHaveResourceWithProperties, toBeValidTerraform, …).
Testing.setupJest();

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
