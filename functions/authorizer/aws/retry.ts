/**
 * Retry rules of the authorizer's AWS transport: which failures are retried, how long to wait, and
 * the retry budget. They follow the AWS SDK for JavaScript v3 "standard" retry strategy, so the
 * authorizer behaves towards DynamoDB and Cognito as the SDK clients did.
 *
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 * @see https://github.com/smithy-lang/smithy-typescript/blob/main/packages/util-retry/src/StandardRetryStrategy.ts
 * (the constants below are those of the SDK version in package-lock.json: DynamoDB 4 attempts from a
 * 25 ms base, other services 3 from 50 ms, throttling from 1 s)
 *
 * @packageDocumentation
 */

/** What kind of failure an attempt ended with. */
export type RetryErrorKind = "throttling" | "transient" | "other";

const THROTTLING_ERROR_TYPES = new Set([
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "LimitExceededException",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "TransactionInProgressException",
]);
const TRANSIENT_ERROR_TYPES = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException"]);
const TRANSIENT_HTTP_STATUSES = new Set([500, 502, 503, 504]);
const TRANSIENT_NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * AWS error types that may mean the request was signed with a wrong clock; retried only when the
 * answer's `Date` header moved the clock offset (see `json-rpc.ts`).
 */
export const CLOCK_SKEW_ERROR_TYPES: ReadonlySet<string> = new Set([
  "AccessDeniedException",
  "AuthFailure",
  "InvalidSignatureException",
  "RequestExpired",
  "RequestInTheFuture",
  "RequestTimeTooSkewed",
  "SignatureDoesNotMatch",
]);

/**
 * Classifies a failed attempt as the SDK's standard strategy does: throttling (HTTP 429 or a
 * throttling error type), transient (HTTP 500/502/503/504, a timeout, a connection error, a
 * corrected clock skew) or other (not retried).
 *
 * @param failure - the error type or network code, the HTTP status if an answer came, and whether the clock was corrected
 * @returns the kind
 */
export function classifyFailure(failure: {
  readonly errorType: string | undefined;
  readonly networkCode: string | undefined;
  readonly httpStatusCode: number | undefined;
  readonly clockSkewCorrected: boolean;
}): RetryErrorKind {
  const { errorType = "", networkCode = "", httpStatusCode, clockSkewCorrected } = failure;
  if (httpStatusCode === 429 || THROTTLING_ERROR_TYPES.has(errorType)) return "throttling";
  if (
    clockSkewCorrected ||
    TRANSIENT_ERROR_TYPES.has(errorType) ||
    TRANSIENT_NETWORK_CODES.has(networkCode) ||
    (httpStatusCode !== undefined && TRANSIENT_HTTP_STATUSES.has(httpStatusCode))
  ) {
    return "transient";
  }
  return "other";
}

/** Base delay of the backoff for most services, in milliseconds (the SDK's `Retry.delay()`). */
export const RETRY_DELAY_BASE_MS = 50;
/** Base delay of the backoff for DynamoDB, in milliseconds (the DynamoDB client's `defaultBaseDelay`). */
export const DYNAMODB_RETRY_DELAY_BASE_MS = 25;
/** Base delay after throttling, in milliseconds, for every service (the SDK's `Retry.throttlingDelay()`). */
export const THROTTLING_RETRY_DELAY_BASE_MS = 1_000;
/** Longest single wait, in milliseconds (the SDK's `MAXIMUM_RETRY_DELAY`). */
export const MAX_RETRY_DELAY_MS = 20_000;

/**
 * Full-jitter exponential backoff: a uniform random wait in `[0, min(cap, base × 2^retryIndex))`.
 *
 * @param retryIndex - 0 before the first retry, 1 before the second, …
 * @param kind - throttling waits from {@link THROTTLING_RETRY_DELAY_BASE_MS}
 * @param baseDelayMs - the base for other retryable failures
 * @param random - a uniform number in [0, 1)
 * @returns the wait in milliseconds
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function retryDelayMs(retryIndex: number, kind: RetryErrorKind, baseDelayMs: number, random: () => number): number {
  const base = kind === "throttling" ? THROTTLING_RETRY_DELAY_BASE_MS : baseDelayMs;
  return Math.floor(random() * Math.min(MAX_RETRY_DELAY_MS, base * 2 ** retryIndex));
}

/** Tokens in a full retry budget (the SDK's `INITIAL_RETRY_TOKENS`). */
export const RETRY_BUDGET_TOKENS = 500;
/** Tokens a retry after a transient failure costs (the SDK's `Retry.cost()`). */
export const RETRY_COST_TOKENS = 14;
/** Tokens a retry after throttling costs (the SDK's `Retry.throttlingCost()`). */
export const THROTTLING_RETRY_COST_TOKENS = 5;
/** Tokens a success without retries returns (the SDK's `NO_RETRY_INCREMENT`). */
export const NO_RETRY_INCREMENT_TOKENS = 1;

/**
 * The retry budget of one client: a token bucket that retries draw from and successes refill, so
 * that when a dependency fails for everyone, retries stop instead of multiplying its load.
 */
export class RetryBudget {
  private tokens = RETRY_BUDGET_TOKENS;

  /** Tokens left. */
  get available(): number {
    return this.tokens;
  }

  /**
   * Takes the tokens for one retry, if there are enough.
   *
   * @param kind - the failure to retry (`throttling` costs less)
   * @returns the tokens taken (to give back on success), or `undefined` when the budget is spent
   */
  acquire(kind: RetryErrorKind): number | undefined {
    const cost = kind === "throttling" ? THROTTLING_RETRY_COST_TOKENS : RETRY_COST_TOKENS;
    if (this.tokens < cost) return undefined;
    this.tokens -= cost;
    return cost;
  }

  /**
   * Records a successful call: gives back what its last retry took, or one token if it needed none.
   *
   * @param lastRetryCost - the value `acquire` returned for the call's last retry, if it retried
   */
  recordSuccess(lastRetryCost: number | undefined): void {
    this.tokens = Math.min(RETRY_BUDGET_TOKENS, this.tokens + (lastRetryCost ?? NO_RETRY_INCREMENT_TOKENS));
  }
}
