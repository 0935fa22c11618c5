/**
 * A scripted AWS JSON 1.0/1.1 endpoint on 127.0.0.1 for answers the emulators cannot give
 * (challenges, throttling, 5xx). Real SDK clients talk to it over HTTP.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One answer. */
export interface StubAnswer {
  readonly status: number;
  /** JSON body; for errors `{ "__type": "<ErrorName>", "message": "…" }`. */
  readonly body: unknown;
}

/** One request received. */
export interface StubRequest {
  /** The operation, from `X-Amz-Target` (e.g. `AdminInitiateAuth`). */
  readonly operation: string;
  readonly body: unknown;
}

/** A running stub. */
export interface AwsJsonStub {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Requests received so far. */
  readonly requests: readonly StubRequest[];
  /** Replaces the answering function. */
  answerWith(answer: (request: StubRequest) => StubAnswer): void;
  close(): Promise<void>;
}

/** Starts a stub answering with `answer`. */
export async function startAwsJsonStub(answer: (request: StubRequest) => StubAnswer): Promise<AwsJsonStub> {
  const requests: StubRequest[] = [];
  let current = answer;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const target = String(request.headers["x-amz-target"] ?? "");
      const received: StubRequest = {
        operation: target.slice(target.indexOf(".") + 1),
        body: chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString("utf8")),
      };
      requests.push(received);
      const { status, body } = current(received);
      response.writeHead(status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    answerWith(next) {
      current = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
