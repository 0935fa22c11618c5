/** Loopback helpers: a local HTTP server's endpoint and stop, and an endpoint nothing listens on. */
import type { Server } from "node:http";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";

/** An HTTP server listening on 127.0.0.1. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Stops the server, dropping the connections still open. */
  close(): Promise<void>;
}

/** Starts `server` on a free port of 127.0.0.1. */
export async function serveOnLoopback(server: Server): Promise<LoopbackServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * An `http://127.0.0.1:<port>` URL whose port was just free (bound then released): connections to it
 * are refused, which is how a down dependency looks.
 */
export async function closedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
