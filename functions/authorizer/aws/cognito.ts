/**
 * Cognito user pools' `AdminInitiateAuth` over the authorizer's AWS transport (`json-rpc.ts`): the
 * input and output objects have the field names of the API reference (and of the SDK's
 * `AdminInitiateAuthCommandInput` / `AdminInitiateAuthCommandOutput`).
 *
 * @packageDocumentation
 */
import { createAwsJsonClient, type AwsJsonClientOptions, type AwsJsonService } from "./json-rpc";

/**
 * The caller's context for threat protection.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ContextDataType.html
 */
export interface ContextDataType {
  readonly IpAddress: string;
  readonly ServerName: string;
  readonly ServerPath: string;
  readonly HttpHeaders: ReadonlyArray<{ readonly headerName?: string; readonly headerValue?: string }>;
  /** @default none */
  readonly EncodedData?: string;
}

/**
 * The `AdminInitiateAuth` request.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminInitiateAuth.html#API_AdminInitiateAuth_RequestSyntax
 */
export interface AdminInitiateAuthInput {
  readonly UserPoolId: string;
  readonly ClientId: string;
  readonly AuthFlow: string;
  /** For `ADMIN_USER_PASSWORD_AUTH`: `USERNAME`, `PASSWORD` (and `SECRET_HASH` for a client with a secret). */
  readonly AuthParameters?: Readonly<Record<string, string>>;
  /** @default none */
  readonly ClientMetadata?: Readonly<Record<string, string>>;
  /** @default none */
  readonly AnalyticsMetadata?: { readonly AnalyticsEndpointId?: string };
  /** @default none: Cognito scores the sign-in as if it came from the caller of the API (the authorizer) */
  readonly ContextData?: ContextDataType;
}

/**
 * The `AdminInitiateAuth` answer.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminInitiateAuth.html#API_AdminInitiateAuth_ResponseSyntax
 */
export interface AdminInitiateAuthOutput {
  /** Set when Cognito asks for another step (new password, MFA, …). */
  readonly ChallengeName?: string;
  readonly Session?: string;
  readonly ChallengeParameters?: Readonly<Record<string, string>>;
  /** Set on a completed sign-in. */
  readonly AuthenticationResult?: {
    readonly AccessToken?: string;
    readonly ExpiresIn?: number;
    readonly TokenType?: string;
    readonly RefreshToken?: string;
    readonly IdToken?: string;
  };
}

/** The Cognito operations the authorizer calls. */
export interface CognitoApi {
  /**
   * Signs a user in as an administrator.
   *
   * @param input - the request
   * @returns the answer
   * @throws an `AwsServiceError` named by the Cognito error type, a `TimeoutError` or a network error
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminInitiateAuth.html
   */
  adminInitiateAuth(input: AdminInitiateAuthInput): Promise<AdminInitiateAuthOutput>;
  /** Closes the kept-alive connections. */
  destroy(): void;
}

/**
 * Cognito user pools' AWS JSON 1.1 protocol and the SDK client's retry defaults (3 attempts, 50 ms base).
 *
 * @see https://docs.aws.amazon.com/general/latest/gr/cognito_identity.html
 */
export const COGNITO_SERVICE: AwsJsonService = {
  endpointPrefix: "cognito-idp",
  signingName: "cognito-idp",
  targetPrefix: "AWSCognitoIdentityProviderService",
  jsonVersion: "1.1",
  endpointVariable: "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
  defaultMaxAttempts: 3,
  retryDelayBaseMs: 50,
};

/**
 * Creates a Cognito user pools client. Once per container.
 *
 * @param options - region, endpoint, credentials, timeouts, retries (see {@link AwsJsonClientOptions})
 * @returns the client
 */
export function createCognitoClient(options: AwsJsonClientOptions): CognitoApi {
  const client = createAwsJsonClient(COGNITO_SERVICE, options);
  return {
    adminInitiateAuth: (input) => client.call<AdminInitiateAuthOutput>("AdminInitiateAuth", input),
    destroy: () => client.destroy(),
  };
}
