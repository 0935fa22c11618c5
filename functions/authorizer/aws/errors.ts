/**
 * Errors of the authorizer's AWS transport, shaped like the AWS SDK's service exceptions so that
 * callers classify both alike: `name` is the AWS error type, `$metadata.httpStatusCode` the status.
 *
 * @packageDocumentation
 */

/** What the transport knows about the HTTP exchange that failed. */
export interface AwsResponseMetadata {
  /** The HTTP status of the last attempt. */
  readonly httpStatusCode: number;
  /** `x-amzn-requestid` of the last attempt, when the service sent one. */
  readonly requestId: string | undefined;
  /** Attempts made, retries included. */
  readonly attempts: number;
  /** Whether this answer corrected the client's clock offset (see the retry rules in `json-rpc.ts`). */
  readonly clockSkewCorrected: boolean;
}

/**
 * An error answer from an AWS JSON service (any HTTP status other than 200).
 *
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html#operation-error-serialization
 */
export class AwsServiceError extends Error {
  /** The AWS error type, for example `ResourceNotFoundException` (from `x-amzn-errortype` or `__type`). */
  override readonly name: string;
  /** `server` for a 5xx, `client` otherwise (as the SDK's `$fault`). */
  readonly $fault: "client" | "server";
  /** The HTTP exchange, as the SDK's `$metadata`. */
  readonly $metadata: AwsResponseMetadata;

  /**
   * @param name - the AWS error type
   * @param message - the service's message (may echo input: never log it)
   * @param metadata - status, request id, attempts
   */
  constructor(name: string, message: string, metadata: AwsResponseMetadata) {
    super(message);
    this.name = name;
    this.$fault = metadata.httpStatusCode >= 500 ? "server" : "client";
    this.$metadata = metadata;
  }
}

/**
 * A connection or request timeout of the transport. `name` is `TimeoutError`, as the SDK's Node
 * HTTP handler names its timeouts, so logs and retry rules see the same value as before.
 */
export class AwsTimeoutError extends Error {
  /** Always `TimeoutError`. */
  override readonly name = "TimeoutError";
}

/** No credentials in the environment (`AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`). */
export class AwsCredentialsError extends Error {
  /** Always `CredentialsProviderError`, as the SDK names it. */
  override readonly name = "CredentialsProviderError";
}

/**
 * The AWS error type from an error answer: the `x-amzn-errortype` header, else the body's `__type`
 * or `code`; a namespace (`com.amazonaws.dynamodb.v20120810#`) and a trailing `:<uri>` are dropped.
 *
 * @param errorTypeHeader - the `x-amzn-errortype` header, if any
 * @param body - the parsed JSON body, if any
 * @param httpStatusCode - used when neither names a type (`UnknownError` with the status)
 * @returns the error type
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html#operation-error-serialization
 */
export function awsErrorType(errorTypeHeader: string | undefined, body: unknown, httpStatusCode: number): string {
  const fromBody = (key: string): unknown =>
    typeof body === "object" && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  const raw = [errorTypeHeader, fromBody("__type"), fromBody("code")].find(
    (value): value is string => typeof value === "string" && value !== "",
  );
  if (raw === undefined) return `UnknownError${httpStatusCode}`;
  const withoutUri = raw.split(":")[0]!;
  return withoutUri.slice(withoutUri.lastIndexOf("#") + 1);
}
