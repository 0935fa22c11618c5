/**
 * The local HTTP server the proxies in front of an emulator share (`counting-proxy.ts`,
 * `cognito-stand-in.ts`): it listens on 127.0.0.1, reads each AWS JSON request whole (the operation
 * from `X-Amz-Target`, the body), lets the proxy record or answer it, and forwards what the proxy
 * does not answer to the emulator behind it, with its reply passed back as it came or rewritten.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { serveOnLoopback } from "./network";

/** One AWS JSON request as the server read it. */
export interface AwsJsonCall {
  /** The operation, from `X-Amz-Target` (e.g. `GetItem`, `DescribeUserPool`); empty without the header. */
  readonly operation: string;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  readonly body: unknown;
}

/** How a proxy answers one request. */
export interface CallReply {
  /** Answers here, with a JSON body (AWS JSON 1.1). */
  json(status: number, body: unknown): void;
  /**
   * Forwards the request to the target. `rewrite`, when given, replaces the JSON body of a 200
   * reply; any other reply is passed back as it came.
   */
  forward(rewrite?: (body: unknown) => unknown): void;
}

/** A running forwarding server. */
export interface ForwardingServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Stops the server and drops every connection. */
  close(): Promise<void>;
}

/** Options of {@link startForwardingServer}. */
export interface ForwardingServerOptions {
  /** The emulator, `http://127.0.0.1:<port>`. */
  readonly target: string;
  /** What to do with each request. */
  readonly handle: (call: AwsJsonCall, reply: CallReply) => void;
  /**
   * Keep the connections to the target open between requests (a pool of 64 sockets).
   * @default false
   */
  readonly keepAlive?: boolean;
}

const JSON_1_1 = "application/x-amz-json-1.1";

/** Starts a forwarding server on a free port of 127.0.0.1. */
export async function startForwardingServer(options: ForwardingServerOptions): Promise<ForwardingServer> {
  const target = new URL(options.target);
  const agent = options.keepAlive === true ? new Agent({ keepAlive: true, maxSockets: 64 }) : undefined;

  const forward = (incoming: IncomingMessage, raw: Buffer, outgoing: ServerResponse, rewrite?: (body: unknown) => unknown) => {
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
        if (rewrite === undefined || answer.statusCode !== 200) {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
          return;
        }
        const parts: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => parts.push(chunk));
        answer.on("end", () => {
          const text = JSON.stringify(rewrite(JSON.parse(Buffer.concat(parts).toString("utf8"))));
          outgoing.writeHead(200, { "content-type": JSON_1_1, "content-length": Buffer.byteLength(text) });
          outgoing.end(text);
        });
      },
    );
    forwarded.on("error", () => outgoing.destroy());
    forwarded.end(raw);
  };

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const raw = Buffer.concat(chunks);
      const header = String(incoming.headers["x-amz-target"] ?? "");
      options.handle(
        { operation: header.slice(header.indexOf(".") + 1), body: parseJson(raw) },
        {
          json(status, body) {
            outgoing.writeHead(status, { "content-type": JSON_1_1 });
            outgoing.end(JSON.stringify(body));
          },
          forward: (rewrite) => forward(incoming, raw, outgoing, rewrite),
        },
      );
    });
  });
  const listening = await serveOnLoopback(server);
  return {
    endpoint: listening.endpoint,
    async close() {
      agent?.destroy();
      await listening.close();
    },
  };
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return undefined;
  }
}
