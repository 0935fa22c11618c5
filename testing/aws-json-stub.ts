/**
 * A scripted AWS JSON 1.0/1.1 endpoint on 127.0.0.1 for answers the emulators cannot give
 * (challenges, throttling, 5xx, clock-skew errors). AWS clients talk to it over HTTP; it records each
 * request as received (method, path, headers, raw body) for tests that check what went on the wire.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import { serveOnLoopback } from "./network";

/** One answer. */
export interface StubAnswer {
  readonly status: number;
  /** JSON body; for errors `{ "__type": "<ErrorName>", "message": "…" }`. */
  readonly body: unknown;
  /** Extra response headers (for example `date`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** One request received. */
export interface StubRequest {
  /** The operation, from `X-Amz-Target` (e.g. `AdminInitiateAuth`). */
  readonly operation: string;
  readonly body: unknown;
}

/** One request exactly as it arrived. */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  /** Header names in lower case, as node parses them. */
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
}

/** A running stub. */
export interface AwsJsonStub {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Requests received so far. */
  readonly requests: readonly StubRequest[];
  /** The same requests, as they arrived on the wire. */
  readonly rawRequests: readonly RawRequest[];
  /** TCP connections accepted so far. */
  readonly connectionCount: number;
  /** Replaces the answering function. */
  answerWith(answer: (request: StubRequest) => StubAnswer): void;
  close(): Promise<void>;
}

/** Starts a stub answering with `answer`. */
export async function startAwsJsonStub(answer: (request: StubRequest) => StubAnswer): Promise<AwsJsonStub> {
  const requests: StubRequest[] = [];
  const rawRequests: RawRequest[] = [];
  let connectionCount = 0;
  let current = answer;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const target = String(request.headers["x-amz-target"] ?? "");
      const received: StubRequest = {
        operation: target.slice(target.indexOf(".") + 1),
        body: chunks.length === 0 ? undefined : JSON.parse(rawBody),
      };
      requests.push(received);
      rawRequests.push({ method: request.method ?? "", path: request.url ?? "", headers: request.headers, rawBody });
      const { status, body, headers = {} } = current(received);
      response.writeHead(status, { "content-type": "application/x-amz-json-1.1", ...headers }).end(JSON.stringify(body));
    });
  });
  server.on("connection", () => void connectionCount++);
  const { endpoint, close } = await serveOnLoopback(server);
  return {
    endpoint,
    requests,
    rawRequests,
    get connectionCount() {
      return connectionCount;
    },
    answerWith(next) {
      current = next;
    },
    close,
  };
}
