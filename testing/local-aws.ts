/**
 * The settings every client of a local AWS emulator (dynalite, cognito-local) uses: the SDK's, for
 * setting up tables, pools and users, and the authorizer's own (`functions/authorizer/aws/`).
 */
import type { AwsJsonClientOptions } from "../functions/authorizer/aws/json-rpc";

// The SDK warns once per module registry, so once per jest test file, that it will need Node 22
// from 2027: true, but noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** Dummy credentials: the emulators do not check signatures, and no test may find real ones. */
export const DUMMY_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" } as const;

/** Options of a local client. */
export interface LocalClientOptions {
  /**
   * Attempts per call.
   *
   * @default 1 (keeps failure tests fast)
   */
  readonly maxAttempts?: number;
}

/** The configuration of an AWS SDK client of the emulator at `endpoint`: dummy credentials, short timeouts. */
export function sdkClientConfig(endpoint: string, options: LocalClientOptions = {}) {
  return {
    endpoint,
    region: "local",
    credentials: DUMMY_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 1,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
  };
}

/**
 * The options of the authorizer's own client of the emulator at `endpoint`: dummy credentials, a 1 s
 * connect timeout and a long request timeout.
 */
export function authorizerClientOptions(endpoint: string, options: LocalClientOptions = {}): AwsJsonClientOptions {
  return {
    endpoint,
    region: "local",
    credentials: DUMMY_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 1,
    connectTimeoutMs: 1000,
    // Generous: the emulators run in the test process, which a loaded machine can stall for seconds
    // (the SDK clients these replaced only logged a warning when their requestTimeout passed).
    requestTimeoutMs: 10_000,
  };
}
