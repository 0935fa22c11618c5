/**
 * The jest setup blocks the network outside loopback (testing/network-guard.ts): every way out is
 * tried against a documentation address (192.0.2.1, RFC 5737) or name (example.com) and must fail at
 * once with an error naming the host, while 127.0.0.1 and localhost still work.
 */
import { spawnSync } from "node:child_process";
import * as dns from "node:dns";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import * as https from "node:https";
import { connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tls from "node:tls";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { PROJECT_ROOT } from "../../testing/app";
import { DUMMY_CREDENTIALS } from "../../testing/local-aws";
import { isLoopbackHost, NETWORK_BLOCKED, takeBlockedAttempts, type BlockedAttempt } from "../../testing/network-guard";

const BLOCKED_ADDRESS = "192.0.2.1";
const BLOCKED_NAME = "example.com";

/** The error an attempt failed with (it must fail: a success here means the network was reached). */
async function failure(attempt: () => Promise<unknown>): Promise<Error & { code?: string; cause?: unknown }> {
  try {
    await attempt();
  } catch (error) {
    return error as Error;
  }
  throw new Error("the attempt succeeded");
}

/** Takes the attempts this test provoked, so the setup does not fail it for them. */
function provoked(): BlockedAttempt[] {
  return takeBlockedAttempts();
}

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((_request, response) => response.end("local"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("the network guard", () => {
  it("fails a net connection to a non-loopback address, naming the host", async () => {
    const error = await failure(
      () =>
        new Promise((resolve, reject) => {
          const socket = connect({ host: BLOCKED_ADDRESS, port: 80 });
          socket.on("connect", resolve);
          socket.on("error", reject);
        }),
    );
    expect(error.code).toBe(NETWORK_BLOCKED);
    expect(error.message).toContain(`connect "${BLOCKED_ADDRESS}": tests may reach only loopback`);
    expect(provoked()).toEqual([{ operation: "connect", host: BLOCKED_ADDRESS }]);
  });

  it("fails tls and https to a name", async () => {
    const tlsError = await failure(
      () =>
        new Promise((resolve, reject) => {
          const socket = tls.connect({ host: BLOCKED_NAME, port: 443, servername: BLOCKED_NAME });
          socket.on("secureConnect", resolve);
          socket.on("error", reject);
        }),
    );
    expect(tlsError.code).toBe(NETWORK_BLOCKED);
    const httpsError = await failure(
      () =>
        new Promise((resolve, reject) => {
          https.get(`https://${BLOCKED_NAME}/`, resolve).on("error", reject);
        }),
    );
    expect(httpsError.message).toContain(`"${BLOCKED_NAME}"`);
    expect(provoked()).toEqual([
      { operation: "connect", host: BLOCKED_NAME },
      { operation: "connect", host: BLOCKED_NAME },
    ]);
  });

  it("fails fetch, with the guard's error as the cause", async () => {
    const error = await failure(() => fetch(`http://${BLOCKED_ADDRESS}/`));
    // undici keeps the cause's text only: "NetworkBlockedError: connect ...".
    expect(String(error.cause)).toContain(`NetworkBlockedError: connect "${BLOCKED_ADDRESS}"`);
    expect(provoked()).toEqual([{ operation: "connect", host: BLOCKED_ADDRESS }]);
  });

  it("fails an AWS SDK call to the real endpoint", async () => {
    const client = new DynamoDBClient({ region: "eu-west-1", credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
    try {
      const error = await failure(() => client.send(new GetItemCommand({ TableName: "t", Key: { principal: { S: "p" } } })));
      expect(error.message).toContain("dynamodb.eu-west-1.amazonaws.com");
    } finally {
      client.destroy();
    }
    expect(provoked()).toEqual([{ operation: "connect", host: "dynamodb.eu-west-1.amazonaws.com" }]);
  });

  it("fails DNS lookups and queries of names, in callback and promise forms", async () => {
    const lookupError = await failure(
      () => new Promise((resolve, reject) => dns.lookup(BLOCKED_NAME, (error, address) => (error ? reject(error) : resolve(address)))),
    );
    expect(lookupError.code).toBe(NETWORK_BLOCKED);
    expect((await failure(() => dns.promises.resolve4(BLOCKED_NAME))).code).toBe(NETWORK_BLOCKED);
    expect((await failure(() => new dns.promises.Resolver().resolveTxt(BLOCKED_NAME))).code).toBe(NETWORK_BLOCKED);
    expect(provoked()).toEqual([
      { operation: "dns.lookup", host: BLOCKED_NAME },
      { operation: "dns.resolve4", host: BLOCKED_NAME },
      { operation: "dns.resolveTxt", host: BLOCKED_NAME },
    ]);
  });

  it("lets 127.0.0.1 and localhost through", async () => {
    await expect((await fetch(`http://127.0.0.1:${port}/`)).text()).resolves.toBe("local");
    await expect((await fetch(`http://localhost:${port}/`)).text()).resolves.toBe("local");
    await expect(dns.promises.lookup("localhost")).resolves.toMatchObject({ address: expect.any(String) });
    expect(provoked()).toEqual([]);
  });

  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["::1", true],
    ["[::1]", true],
    ["0:0:0:0:0:0:0:1", true],
    ["::ffff:127.0.0.1", true],
    ["localhost", true],
    ["api.localhost", true],
    ["192.0.2.1", false],
    ["10.0.0.1", false],
    ["::ffff:192.0.2.1", false],
    ["2001:db8::1", false],
    ["localhost.example.com", false],
    ["example.com", false],
  ])("counts %s as loopback: %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it("fails a test whose code swallows the refused connection", () => {
    // GIVEN a test file that reaches 192.0.2.1 and ignores the error, as code under test might
    const dir = mkdtempSync(join(tmpdir(), "scopegate-network-guard-"));
    try {
      writeFileSync(
        join(dir, "reaches-out.test.ts"),
        [
          'import { connect } from "node:net";',
          'it("reaches out", async () => {',
          `  await new Promise((resolve) => connect({ host: "${BLOCKED_ADDRESS}", port: 80 }).on("error", resolve).on("connect", resolve));`,
          "});",
          "",
        ].join("\n"),
      );
      // WHEN jest runs it with the project's setup
      const run = spawnSync(process.execPath, [join(PROJECT_ROOT, "node_modules", "jest", "bin", "jest.js"), "--roots", dir, "--ci"], {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
        env: { ...process.env, FORCE_COLOR: "0" },
        timeout: 120_000,
      });
      // THEN the test fails, naming the host
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("✕ reaches out");
      expect(run.stderr).toContain(`This test tried to reach the network outside loopback: connect ${BLOCKED_ADDRESS}.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
