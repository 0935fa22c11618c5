/**
 * A local JWKS endpoint shaped like Cognito's: `http://127.0.0.1:<port>/<poolId>/.well-known/jwks.json`
 * under the issuer `http://127.0.0.1:<port>/<poolId>`. Counts fetches, switches faults, rotates keys.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** How the server misbehaves. */
export type JwksFault =
  /** Serve the keys. */
  | "none"
  /** Reset every connection (like an unreachable endpoint). */
  | "down"
  /** Answer after `slowDelayMs` (longer than the verifier's timeout). */
  | "slow"
  /** Answer 500. */
  | "500"
  /** Answer 200 with a body that is not JSON. */
  | "not-json";

/** A running JWKS server. */
export interface JwksServer {
  /** The pool id in the path. */
  readonly poolId: string;
  /** `http://127.0.0.1:<port>/<poolId>`: the TOKEN_ISSUER. */
  readonly issuer: string;
  /** `<issuer>/.well-known/jwks.json`. */
  readonly jwksUri: string;
  /** Requests received for the JWKS path (faulty answers included, reset connections not). */
  readonly fetchCount: number;
  /** Replaces the published JWKS (key rotation). */
  setJwks(jwks: { keys: readonly object[] }): void;
  /** Switches the fault. */
  setFault(fault: JwksFault): void;
  /** Closes every open (kept-alive) connection, as a server restart or idle timeout would. */
  dropConnections(): void;
  /** Stops the server and drops every connection. */
  close(): Promise<void>;
}

/** Options of {@link startJwksServer}. */
export interface JwksServerOptions {
  /** The JWKS to publish. */
  readonly jwks: { keys: readonly object[] };
  /** @default "local_TestPool1" */
  readonly poolId?: string;
  /** Delay of the "slow" fault. @default 2000 */
  readonly slowDelayMs?: number;
}

/** Starts a JWKS server on 127.0.0.1 and a random port. */
export async function startJwksServer(options: JwksServerOptions): Promise<JwksServer> {
  const poolId = options.poolId ?? "local_TestPool1";
  const path = `/${poolId}/.well-known/jwks.json`;
  const slowDelayMs = options.slowDelayMs ?? 2000;
  let jwks = options.jwks;
  let fault: JwksFault = "none";
  let fetchCount = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer((request, response) => {
    if (request.method !== "GET" || request.url !== path) {
      response.writeHead(404).end();
      return;
    }
    if (fault === "down") {
      request.socket.destroy();
      return;
    }
    fetchCount += 1;
    const answer = () => {
      if (fault === "500") response.writeHead(500, { "content-type": "text/plain" }).end("internal error");
      else if (fault === "not-json") response.writeHead(200, { "content-type": "application/json" }).end("<html>");
      else response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
    };
    if (fault === "slow") {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!response.destroyed) answer();
      }, slowDelayMs);
      timers.add(timer);
    } else {
      answer();
    }
  });
  server.on("connection", (socket) => {
    if (fault === "down") {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}/${poolId}`;

  return {
    poolId,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    get fetchCount() {
      return fetchCount;
    },
    setJwks(next) {
      jwks = next;
    },
    setFault(next) {
      fault = next;
      // Kept-alive connections would otherwise still be served.
      if (fault === "down") for (const socket of sockets) socket.destroy();
    },
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
