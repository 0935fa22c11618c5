/**
 * An HTTP proxy on 127.0.0.1 in front of a local AWS emulator (dynalite, cognito-local) that can be
 * switched between forwarding and failing, so one authorizer instance can be watched through an
 * outage and its recovery. Counts the AWS JSON operations it receives (`X-Amz-Target`).
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { StubAnswer } from "./aws-json-stub";

/** How the proxy misbehaves. */
export type ProxyFault =
  /** Forward every request to the target. */
  | "none"
  /** Stop listening: connections are refused (`ECONNREFUSED`), as when the service is down. */
  | "refused"
  /** Accept, read the request, then reset the connection. */
  | "reset";

/** One request received. */
export interface ProxiedRequest {
  /** The operation, from `X-Amz-Target` (e.g. `GetItem`, `AdminInitiateAuth`). */
  readonly operation: string;
  /** The parsed JSON body (undefined when empty or not JSON). */
  readonly body: unknown;
  /** How it was answered. */
  readonly answeredBy: "target" | "script" | "reset";
}

/** A running proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`; stays the same across `refused` and back. */
  readonly endpoint: string;
  /** Requests received so far (refused connections never arrive). */
  readonly requests: readonly ProxiedRequest[];
  /** Number of requests received for `operation`, or of all. */
  count(operation?: string): number;
  /** Switches the fault; resolves once the listening state matches it. */
  setFault(fault: ProxyFault): Promise<void>;
  /**
   * Answers requests with `script` instead of forwarding them, while it returns an answer;
   * `undefined` (or calling with `undefined`) forwards again.
   */
  answerWith(script: ((request: { operation: string; body: unknown }) => StubAnswer | undefined) | undefined): void;
  /** Stops the proxy and drops every connection. */
  close(): Promise<void>;
}

/** Starts a proxy forwarding to `target` (`http://127.0.0.1:<port>`). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  let fault: ProxyFault = "none";
  let script: ((request: { operation: string; body: unknown }) => StubAnswer | undefined) | undefined;
  let listening = false;

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const raw = Buffer.concat(chunks);
      const targetHeader = String(incoming.headers["x-amz-target"] ?? "");
      const operation = targetHeader.slice(targetHeader.indexOf(".") + 1);
      let body: unknown;
      try {
        body = raw.length === 0 ? undefined : JSON.parse(raw.toString("utf8"));
      } catch {
        body = undefined;
      }
      if (fault === "reset") {
        requests.push({ operation, body, answeredBy: "reset" });
        incoming.socket.destroy();
        return;
      }
      const scripted = script?.({ operation, body });
      if (scripted !== undefined) {
        requests.push({ operation, body, answeredBy: "script" });
        outgoing.writeHead(scripted.status, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify(scripted.body));
        return;
      }
      requests.push({ operation, body, answeredBy: "target" });
      const headers: IncomingHttpHeaders = { ...incoming.headers, host: targetUrl.host, "content-length": String(raw.length) };
      const forwarded = httpRequest(
        { host: targetUrl.hostname, port: targetUrl.port, method: incoming.method, path: incoming.url, headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on("error", () => outgoing.destroy());
      forwarded.end(raw);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        listening = true;
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve());
    });

  await listen(0);
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    count: (operation) =>
      operation === undefined ? requests.length : requests.filter((request) => request.operation === operation).length,
    async setFault(next) {
      fault = next;
      if (next === "refused") await stopListening();
      else if (!listening) await listen(port);
    },
    answerWith(next) {
      script = next;
    },
    async close() {
      await stopListening();
    },
  };
}
