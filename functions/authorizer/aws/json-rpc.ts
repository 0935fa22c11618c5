/**
 * A small client for AWS JSON-protocol services (DynamoDB, Cognito user pools): one signed POST per
 * operation, without the AWS SDK clients, whose size dominated the authorizer's cold start.
 *
 * What it keeps from the SDK: credentials from the Lambda environment (session token included),
 * the regional HTTPS endpoint unless `AWS_ENDPOINT_URL_<SERVICE>` names another, SigV4 signing by
 * `@smithy/signature-v4` (the SDK's own signer), keep-alive connection reuse, connection and
 * request timeouts, the SDK's standard retries (see `retry.ts`), clock-skew correction from the
 * answer's `Date` header, and errors named by the AWS error type with the HTTP status.
 *
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 *
 * @packageDocumentation
 */
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import { SignatureV4 } from "@smithy/signature-v4";
import { AwsCredentialsError, AwsServiceError, AwsTimeoutError, awsErrorType } from "./errors";
import { CLOCK_SKEW_ERROR_TYPES, RetryBudget, classifyFailure, retryDelayMs, type RetryErrorKind } from "./retry";

/** AWS credentials. */
export interface AwsCredentials {
  /** `AWS_ACCESS_KEY_ID`. */
  readonly accessKeyId: string;
  /** `AWS_SECRET_ACCESS_KEY`. */
  readonly secretAccessKey: string;
  /** `AWS_SESSION_TOKEN` (Lambda's role credentials always have one). */
  readonly sessionToken?: string | undefined;
}

/** How to reach and sign for one AWS JSON service. */
export interface AwsJsonService {
  /** First label of the regional host, for example `dynamodb` or `cognito-idp`. */
  readonly endpointPrefix: string;
  /** The SigV4 service name, for example `dynamodb` or `cognito-idp`. */
  readonly signingName: string;
  /** The `X-Amz-Target` prefix, for example `DynamoDB_20120810`. */
  readonly targetPrefix: string;
  /** `1.0` (DynamoDB) or `1.1` (Cognito user pools): the `Content-Type` version. */
  readonly jsonVersion: "1.0" | "1.1";
  /** The variable that overrides the endpoint, as the SDK reads it, for example `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly endpointVariable: string;
  /** Attempts per call, retries included (the SDK client's default). */
  readonly defaultMaxAttempts: number;
  /** Base of the backoff for transient failures, in milliseconds (the SDK client's default). */
  readonly retryDelayBaseMs: number;
}

/** Options of {@link createAwsJsonClient}. */
export interface AwsJsonClientOptions {
  /** The region (`AWS_REGION`): the endpoint's and the signature's. */
  readonly region: string;
  /**
   * The service's URL, `http://` allowed for local emulators.
   *
   * @default `env[service.endpointVariable]`, else `https://<endpointPrefix>.<region>.amazonaws.com`
   */
  readonly endpoint?: string;
  /**
   * Credentials.
   *
   * @default read from `env` (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) on each call
   */
  readonly credentials?: AwsCredentials;
  /**
   * Longest wait for a new connection, in milliseconds.
   *
   * @default 1000
   */
  readonly connectTimeoutMs?: number;
  /**
   * Longest silence on a connection while a request is in flight, in milliseconds (as the SDK's
   * `requestTimeout`).
   *
   * @default 3000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Attempts per call, retries included; 1 turns retries off.
   *
   * @default the service's `defaultMaxAttempts`
   */
  readonly maxAttempts?: number;
  /**
   * Where the endpoint override and the credentials are read.
   *
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Current time in milliseconds since the epoch (signing dates, clock-skew correction).
   *
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Waits before a retry.
   *
   * @default setTimeout
   */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Uniform random numbers in [0, 1) for the backoff's jitter.
   *
   * @default Math.random
   */
  readonly random?: () => number;
}

/** A client for one AWS JSON service. */
export interface AwsJsonClient {
  /**
   * Calls one operation.
   *
   * @param operation - the operation name, for example `GetItem`
   * @param input - the operation's input in the service's JSON wire format
   * @returns the parsed JSON answer
   * @throws {@link AwsServiceError} for an error answer (after retries), {@link AwsTimeoutError},
   * a Node network error (with its `code`), or {@link AwsCredentialsError}
   */
  call<Output>(operation: string, input: object): Promise<Output>;
  /** The current correction added to the local clock when signing, in milliseconds. */
  readonly clockOffsetMs: number;
  /** Closes the kept-alive connections. */
  destroy(): void;
}

/** Answers whose clock offset is within this much of the local clock do not count as skewed (the SDK's threshold). */
const CLOCK_SKEW_THRESHOLD_MS = 240_000;

/** `node:crypto` behind the hash interface `@smithy/signature-v4` expects (SHA-256, or HMAC-SHA256 with a secret). */
class NodeSha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/**
 * Reads credentials from the environment, as Lambda provides them.
 *
 * @param env - the environment
 * @returns the credentials
 * @throws {@link AwsCredentialsError} when the key id or the secret is missing
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
export function credentialsFromEnvironment(env: Readonly<Record<string, string | undefined>>): AwsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new AwsCredentialsError("no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set");
  }
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}

interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The service's URL: `endpoint` if given, else the service's override variable (as the SDK reads
 * `AWS_ENDPOINT_URL_<SERVICE>`), else the regional HTTPS endpoint.
 *
 * @param service - the service description
 * @param region - the region
 * @param env - where the override variable is read
 * @param endpoint - an explicit URL
 * @returns the URL
 * @throws Error naming the variable (or `endpoint`) and the value when it is not an http(s) URL
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
export function resolveEndpoint(
  service: AwsJsonService,
  region: string,
  env: Readonly<Record<string, string | undefined>>,
  endpoint?: string,
): URL {
  const fromVariable = env[service.endpointVariable] || undefined;
  const text = endpoint ?? fromVariable ?? `https://${service.endpointPrefix}.${region}.amazonaws.com`;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    const source = endpoint !== undefined ? "endpoint" : fromVariable !== undefined ? service.endpointVariable : "AWS_REGION";
    throw new Error(
      `${source}: must give an http(s) URL such as https://${service.endpointPrefix}.eu-west-1.amazonaws.com, got ${JSON.stringify(text)}`,
    );
  }
  return url;
}

/** Where and how one client sends its requests: fixed when the client is created. */
interface Connection {
  readonly endpoint: URL;
  /** The endpoint's path, `/` when it has none. */
  readonly path: string;
  /** Keeps connections alive between calls. */
  readonly agent: http.Agent;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/**
 * Sends one POST and reads the whole answer, whatever its status.
 *
 * @param connection - endpoint, agent and timeouts
 * @param headers - the signed headers
 * @param body - the JSON body
 * @returns the answer
 * @throws (rejects with) {@link AwsTimeoutError} when no connection or no answer comes in time, or
 * the Node network error
 */
function post(connection: Connection, headers: Record<string, string>, body: string): Promise<HttpAnswer> {
  const { endpoint, agent, connectTimeoutMs, requestTimeoutMs } = connection;
  return new Promise((resolve, reject) => {
    const request = (endpoint.protocol === "https:" ? https : http).request({
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port,
      path: connection.path,
      method: "POST",
      headers,
      agent,
    });
    let connectTimer: NodeJS.Timeout | undefined;
    let settled = false;
    // A timer fires in the event loop's timers phase, before the poll phase that would deliver a
    // connection or an answer that arrived while the loop was busy: check again after the poll
    // phase (setImmediate) before giving up, so a blocked loop does not fake a timeout.
    const timeOut = (stillWaiting: () => boolean, message: string) => () =>
      setImmediate(() => {
        if (!settled && stillWaiting()) request.destroy(new AwsTimeoutError(message));
      });
    request.once("socket", (socket) => {
      if (!socket.connecting) return;
      connectTimer = setTimeout(
        timeOut(() => socket.connecting, `no connection to ${endpoint.host} within ${connectTimeoutMs} ms`),
        connectTimeoutMs,
      );
      socket.once("connect", () => clearTimeout(connectTimer));
    });
    request.setTimeout(
      requestTimeoutMs,
      timeOut(() => true, `no answer from ${endpoint.host} within ${requestTimeoutMs} ms`),
    );
    // `on`, not `once`: a socket error after the answer (rejecting again is a no-op) must not become an uncaught exception.
    request.on("error", (error) => {
      clearTimeout(connectTimer);
      settled = true;
      reject(error);
    });
    request.once("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.once("end", () => {
        settled = true;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    request.end(body);
  });
}

/**
 * The server's clock minus the local clock, from the answer's `Date` header; `undefined` when the
 * answer has no readable one, or has an `Age` header (a cached answer's date is not the server's now).
 *
 * @param headers - the answer's headers
 * @param now - the local clock (read only when the answer has a usable date)
 * @returns the offset in milliseconds, or `undefined`
 */
function clockOffsetOf(headers: http.IncomingHttpHeaders, now: () => number): number | undefined {
  const date = header(headers, "date");
  if (date === undefined || header(headers, "age") !== undefined) return undefined;
  const serverTimeMs = Date.parse(date);
  return Number.isNaN(serverTimeMs) ? undefined : serverTimeMs - now();
}

/**
 * The output of a successful answer (status 200 and a JSON body, an empty body being `{}`).
 *
 * @param answer - the answer
 * @param attempts - attempts made so far, this one included (recorded in the error)
 * @param clockOffset - the clock correction before this answer and after it
 * @returns the parsed output
 * @throws {@link AwsServiceError} named by the AWS error type for any other answer; it says whether
 * the answer corrected a skewed clock (so the retry classifier may retry a clock-skew error)
 */
function outputOf(answer: HttpAnswer, attempts: number, clockOffset: { readonly beforeMs: number; readonly afterMs: number }): unknown {
  let parsed: unknown;
  try {
    parsed = answer.body === "" ? {} : JSON.parse(answer.body);
  } catch {
    parsed = undefined;
  }
  if (answer.status === 200 && parsed !== undefined) return parsed;
  const errorType = awsErrorType(header(answer.headers, "x-amzn-errortype"), parsed, answer.status);
  const message = typeof parsed === "object" && parsed !== null ? (parsed as { message?: unknown; Message?: unknown }) : {};
  const { beforeMs, afterMs } = clockOffset;
  throw new AwsServiceError(errorType, String(message.message ?? message.Message ?? `HTTP ${answer.status}`), {
    httpStatusCode: answer.status,
    requestId: header(answer.headers, "x-amzn-requestid"),
    attempts,
    clockSkewCorrected: CLOCK_SKEW_ERROR_TYPES.has(errorType) && Math.abs(afterMs) >= CLOCK_SKEW_THRESHOLD_MS && afterMs !== beforeMs,
  });
}

/** When and how often a failed attempt is tried again: fixed when the client is created. */
interface RetryPolicy {
  readonly maxAttempts: number;
  /** Shared by every call of the client. */
  readonly budget: RetryBudget;
  readonly retryDelayBaseMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/** What {@link classifyFailure} makes of an error thrown by an attempt. */
function failureKindOf(error: unknown): RetryErrorKind {
  const { name, code, $metadata } = error as { name?: unknown; code?: unknown; $metadata?: AwsServiceError["$metadata"] };
  return classifyFailure({
    errorType: typeof name === "string" ? name : undefined,
    networkCode: typeof code === "string" ? code : undefined,
    httpStatusCode: $metadata?.httpStatusCode,
    clockSkewCorrected: $metadata?.clockSkewCorrected === true,
  });
}

/**
 * Makes attempts until one succeeds, the failure is not retryable, the attempts are used up, or
 * the retry budget refuses; waits the backoff between attempts.
 *
 * @param attempt - one attempt, given its number (from 1)
 * @param policy - attempts, budget and backoff
 * @returns the first successful attempt's output
 * @throws the last attempt's error
 */
async function withRetries<Output>(attempt: (attempts: number) => Promise<Output>, policy: RetryPolicy): Promise<Output> {
  let lastRetryCost: number | undefined;
  for (let attempts = 1; ; attempts++) {
    try {
      const output = await attempt(attempts);
      policy.budget.recordSuccess(lastRetryCost);
      return output;
    } catch (error) {
      const kind = failureKindOf(error);
      if (kind === "other" || attempts >= policy.maxAttempts) throw error;
      const cost = policy.budget.acquire(kind);
      if (cost === undefined) throw error;
      lastRetryCost = cost;
      await policy.sleep(retryDelayMs(attempts - 1, kind, policy.retryDelayBaseMs, policy.random));
    }
  }
}

/**
 * Creates a client for one AWS JSON service. Create it once per container: the connections, the
 * clock offset and the retry budget live in it.
 *
 * @param service - the service description (see `dynamodb.ts`, `cognito.ts`)
 * @param options - region, endpoint, credentials, timeouts, retries
 * @returns the client
 * @throws Error when the endpoint is not an http(s) URL
 */
export function createAwsJsonClient(service: AwsJsonService, options: AwsJsonClientOptions): AwsJsonClient {
  const env = options.env ?? process.env;
  const endpoint = resolveEndpoint(service, options.region, env, options.endpoint);
  const now = options.now ?? Date.now;
  const agentOptions = { keepAlive: true, maxSockets: 50 };
  const connection: Connection = {
    endpoint,
    path: endpoint.pathname === "" ? "/" : endpoint.pathname,
    agent: endpoint.protocol === "https:" ? new https.Agent(agentOptions) : new http.Agent(agentOptions),
    connectTimeoutMs: options.connectTimeoutMs ?? 1_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 3_000,
  };
  const retryPolicy: RetryPolicy = {
    maxAttempts: options.maxAttempts ?? service.defaultMaxAttempts,
    budget: new RetryBudget(),
    retryDelayBaseMs: service.retryDelayBaseMs,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
  };
  const signer = new SignatureV4({
    service: service.signingName,
    region: options.region,
    credentials: () => Promise.resolve(options.credentials ?? credentialsFromEnvironment(env)),
    sha256: NodeSha256,
  });
  const contentType = `application/x-amz-json-${service.jsonVersion}`;
  let clockOffsetMs = 0;

  async function attempt(operation: string, body: string, attempts: number): Promise<unknown> {
    const signed = await signer.sign(
      {
        method: "POST",
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        ...(endpoint.port === "" ? {} : { port: Number(endpoint.port) }),
        path: connection.path,
        query: {},
        headers: {
          host: endpoint.host,
          "content-type": contentType,
          "x-amz-target": `${service.targetPrefix}.${operation}`,
          "content-length": String(Buffer.byteLength(body)),
        },
        body,
      },
      { signingDate: new Date(now() + clockOffsetMs) },
    );
    const beforeMs = clockOffsetMs;
    const answer = await post(connection, signed.headers, body);
    clockOffsetMs = clockOffsetOf(answer.headers, now) ?? clockOffsetMs;
    return outputOf(answer, attempts, { beforeMs, afterMs: clockOffsetMs });
  }

  return {
    async call<Output>(operation: string, input: object): Promise<Output> {
      const body = JSON.stringify(input);
      return (await withRetries((attempts) => attempt(operation, body, attempts), retryPolicy)) as Output;
    },
    get clockOffsetMs() {
      return clockOffsetMs;
    },
    destroy() {
      connection.agent.destroy();
    },
  };
}
