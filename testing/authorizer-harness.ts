/**
 * Helpers for driving `createHandler` in stress tests: REQUEST events, a captured decision log, and
 * a bounded call whose outcome is classified the way API Gateway would answer it.
 */
import { AuthorizerDependencyError, type ApiGatewayRequestAuthorizerEvent, type AuthorizerHandler } from "../functions/authorizer/handler";
import type { AuthorizerResponse } from "../functions/authorizer/policy";

/** The stage every test event is sent to. */
export const STAGE = "arn:aws:execute-api:eu-west-1:123456789012:api123/v1";

/** One `authorization decision` log line. */
export interface DecisionLine {
  readonly level: string;
  readonly message: "authorization decision";
  readonly reason: string;
  readonly effect: "Allow" | "Deny" | "Unauthorized" | "Error";
  readonly routeKey: string;
  readonly principal?: string;
  readonly authType?: string;
  readonly clientId?: string;
  readonly detail?: string;
  readonly fromCache?: boolean;
  readonly kind: string;
  readonly status: number;
  readonly latencyMs: number;
}

/** A log sink for `HandlerDependencies.log` that keeps every line. */
export interface CapturedLog {
  readonly log: (line: string) => void;
  /** Every line, parsed. */
  lines(): Record<string, unknown>[];
  /** The decision lines, in order. */
  decisions(): DecisionLine[];
  /** Forgets what was captured. */
  clear(): void;
}

/** Captures the handler's log lines. */
export function captureLog(): CapturedLog {
  const raw: string[] = [];
  const lines = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    log: (line) => void raw.push(line),
    lines,
    decisions: () => lines().filter((entry): entry is Record<string, unknown> & DecisionLine => entry.message === "authorization decision"),
    clear: () => void raw.splice(0),
  };
}

/** What API Gateway would make of one invocation. */
export type Outcome =
  | { readonly kind: "response"; readonly response: AuthorizerResponse }
  /** Exactly `new Error("Unauthorized")`: a 401. */
  | { readonly kind: "unauthorized" }
  /** An {@link AuthorizerDependencyError}: a 500. */
  | { readonly kind: "dependency"; readonly reason: string }
  /** Anything else thrown: a bug. */
  | { readonly kind: "other"; readonly error: unknown }
  /** No answer within the bound. */
  | { readonly kind: "timeout" };

/** True only for an error API Gateway turns into a 401: a plain `Error` whose message is exactly `Unauthorized`. */
export function isExactUnauthorized(error: unknown): boolean {
  return error instanceof Error && Object.getPrototypeOf(error) === Error.prototype && error.message === "Unauthorized";
}

/**
 * Calls `handler` and classifies what happens, giving up after `timeoutMs`.
 *
 * @param handler - the authorizer
 * @param event - the event
 * @param timeoutMs - the bound on one call
 */
export async function invoke(handler: AuthorizerHandler, event: ApiGatewayRequestAuthorizerEvent, timeoutMs = 2_000): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs);
  });
  const call = handler(event).then(
    (response): Outcome => ({ kind: "response", response }),
    (error: unknown): Outcome => {
      if (isExactUnauthorized(error)) return { kind: "unauthorized" };
      if (error instanceof AuthorizerDependencyError) return { kind: "dependency", reason: error.reason };
      return { kind: "other", error };
    },
  );
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Options of {@link restEvent}. */
export interface RestEventOptions {
  readonly method: string;
  readonly resource: string;
  /** Concrete request path; the method ARN is `<STAGE>/<method><path>`. */
  readonly path: string;
  /** Authorization values (each one header occurrence); none when undefined. */
  readonly authorization?: string | readonly string[];
  /** @default "Authorization" */
  readonly headerName?: string;
  /** Overrides the method ARN. */
  readonly methodArn?: string;
  /**
   * The caller's address: with it, the event carries `path` and the `requestContext` (identity,
   * domain, stage path) as API Gateway sends them.
   *
   * @default no `path` nor `requestContext`
   */
  readonly sourceIp?: string;
}

/** A REQUEST authorizer event as API Gateway builds it (`headers` holds the last value of each name). */
export function restEvent(options: RestEventOptions): ApiGatewayRequestAuthorizerEvent {
  const values =
    options.authorization === undefined
      ? []
      : typeof options.authorization === "string"
        ? [options.authorization]
        : [...options.authorization];
  const name = options.headerName ?? "Authorization";
  return {
    type: "REQUEST",
    methodArn: options.methodArn ?? `${STAGE}/${options.method}${options.path}`,
    resource: options.resource,
    httpMethod: options.method,
    headers: values.length === 0 ? { Host: "api.example.com" } : { Host: "api.example.com", [name]: values[values.length - 1] },
    multiValueHeaders: values.length === 0 ? { Host: ["api.example.com"] } : { Host: ["api.example.com"], [name]: values },
    ...(options.sourceIp === undefined
      ? {}
      : {
          path: options.path,
          requestContext: { identity: { sourceIp: options.sourceIp }, domainName: "api.example.com", path: `/v1${options.path}` },
        }),
  };
}

/** `Bearer <token>`. */
export const bearer = (token: string): string => `Bearer ${token}`;

/** `Basic <base64(user:password)>`. */
export const basic = (userPass: string): string => `Basic ${Buffer.from(userPass, "utf8").toString("base64")}`;

/**
 * Runs `task` over `items` with at most `concurrency` in flight at once.
 *
 * @returns the results, in item order
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * The seed of every property in the stress suite: fixed so a failure reproduces, overridable with
 * `SCOPEGATE_FC_SEED` to explore. fast-check prints it (with the shrunk path) on failure.
 */
export const FC_SEED = Number(process.env.SCOPEGATE_FC_SEED ?? 20_260_611);
