/**
 * A counting HTTP proxy for AWS JSON endpoints (DynamoDB, Cognito) on 127.0.0.1: forwards every
 * request to the emulator behind it and records each operation (from `X-Amz-Target`) with its
 * request body, so calls are counted where the service would see them, not in the client.
 */
import { Agent, createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";

/** One request seen by the proxy. */
export interface ProxiedCall {
  /** The operation, for example `GetItem` or `AdminInitiateAuth`. */
  readonly operation: string;
  /** The parsed JSON request body. */
  readonly body: unknown;
  /** The value of the proxy's clock when the request arrived (a simulated clock in the load benchmark). */
  readonly atMs: number;
}

/** A running proxy. */
export interface CountingProxy {
  /** `http://127.0.0.1:<port>`: give this to the SDK client instead of the emulator's endpoint. */
  readonly endpoint: string;
  /** Every call seen since the start or the last {@link CountingProxy.reset}. */
  readonly calls: readonly ProxiedCall[];
  /** Calls of one operation (or all). */
  count(operation?: string): number;
  /** Forgets the calls seen. */
  reset(): void;
  /** Stops the proxy. */
  close(): Promise<void>;
}

/**
 * Starts a proxy in front of `targetEndpoint`.
 *
 * @param targetEndpoint - the emulator, `http://127.0.0.1:<port>`
 * @param clock - stamps each call
 * @returns the proxy
 */
export async function startCountingProxy(targetEndpoint: string, clock: () => number = Date.now): Promise<CountingProxy> {
  const target = new URL(targetEndpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const calls: ProxiedCall[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const targetHeader = String(incoming.headers["x-amz-target"] ?? "");
      let parsed: unknown;
      try {
        parsed = body.length === 0 ? undefined : JSON.parse(body.toString("utf8"));
      } catch {
        parsed = undefined;
      }
      calls.push({ operation: targetHeader.slice(targetHeader.indexOf(".") + 1), body: parsed, atMs: clock() });
      const forwarded = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: target.host },
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on("error", () => outgoing.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    count: (operation) => (operation === undefined ? calls.length : calls.filter((call) => call.operation === operation).length),
    reset: () => {
      calls.length = 0;
    },
    async close() {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
