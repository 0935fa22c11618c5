/**
 * Reason codes of the access matrix: the authorizer's own codes (functions/authorizer/reasons.ts)
 * wherever the scopegate authorizer decides, plus a few for the native Cognito authorizer, which
 * has no codes of its own.
 *
 * @packageDocumentation
 */
import { REASONS, type ReasonCode } from "../functions/authorizer/reasons";

/** How the native Cognito authorizer answers. */
export interface NativeReasonDescription {
  /** Whether the backend is called. */
  readonly allowed: boolean;
  /** HTTP status the caller sees; API Gateway answers every refusal of this authorizer with 401. */
  readonly httpStatus: 200 | 401;
  /** One-line meaning. */
  readonly meaning: string;
}

/**
 * Answers of the native Cognito authorizer (`COGNITO_USER_POOLS`). A token that lacks the method's
 * scopes is `SCOPE_MISSING`, as with the scopegate authorizer.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 */
export const NATIVE_REASONS = {
  NATIVE_SCOPES_ONLY: {
    allowed: true,
    httpStatus: 200,
    meaning: "The access token holds one of the method's scopes; the native authorizer checks scopes only: no grant needed.",
  },
  NATIVE_ID_TOKEN_REFUSED: {
    allowed: false,
    httpStatus: 401,
    meaning: "ID tokens are refused once a method has scopes: only an access token holding one of them passes.",
  },
  NATIVE_BASIC_NOT_ACCEPTED: {
    allowed: false,
    httpStatus: 401,
    meaning: "Basic credentials are not accepted by the native Cognito authorizer: it takes Cognito tokens only.",
  },
  NATIVE_ID_TOKEN_ACCEPTED: {
    allowed: true,
    httpStatus: 200,
    meaning: "The method has no scopes: the native authorizer accepts any valid ID token of the pool (scopegate refuses such routes).",
  },
  NATIVE_ACCESS_TOKEN_REFUSED: {
    allowed: false,
    httpStatus: 401,
    meaning: "The method has no scopes: the native authorizer expects an ID token and refuses access tokens.",
  },
} as const satisfies Record<string, NativeReasonDescription>;

/** A reason code of the native Cognito authorizer. */
export type NativeReason = keyof typeof NATIVE_REASONS;

/** Any reason a matrix cell can carry. */
export type MatrixReason = ReasonCode | NativeReason;

/**
 * The one-line meaning of a matrix reason.
 *
 * @param reason - an authorizer or native reason code
 */
export function reasonMeaning(reason: MatrixReason): string {
  return reason in NATIVE_REASONS ? NATIVE_REASONS[reason as NativeReason].meaning : REASONS[reason as ReasonCode].meaning;
}
