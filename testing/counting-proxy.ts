/**
 * A counting HTTP proxy for AWS JSON endpoints (DynamoDB, Cognito) on 127.0.0.1: forwards every
 * request to the emulator behind it and records each operation (from `X-Amz-Target`) with its
 * request body, so calls are counted where the service would see them, not in the client.
 */
import { startForwardingServer } from "./forwarding-server";

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
  const calls: ProxiedCall[] = [];
  const server = await startForwardingServer({
    target: targetEndpoint,
    keepAlive: true,
    handle: ({ operation, body }, reply) => {
      calls.push({ operation, body, atMs: clock() });
      reply.forward();
    },
  });
  return {
    endpoint: server.endpoint,
    calls,
    count: (operation) => (operation === undefined ? calls.length : calls.filter((call) => call.operation === operation).length),
    reset: () => {
      calls.length = 0;
    },
    close: () => server.close(),
  };
}
