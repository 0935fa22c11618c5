/**
 * Reads the `Authorization` header: which scheme, and its credentials.
 *
 * @packageDocumentation
 */
import { parseBasicAuthorization, type BasicCredentials } from "./basic-auth";

/** Result of {@link parseAuthorizationHeader}. */
export type ParsedAuthorization =
  | { readonly scheme: "bearer"; readonly token: string }
  | { readonly scheme: "basic"; readonly credentials: BasicCredentials }
  | { readonly scheme: "invalid"; readonly reason: "HEADER_MISSING" | "HEADER_MALFORMED" };

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const BEARER_HEADER = /^([A-Za-z]+) ([A-Za-z0-9\-._~+/]+=*)$/;

/**
 * Parses the request's Authorization header values: exactly one value, `Bearer <token>` or
 * `Basic <base64>`, schemes in any case, exactly one space.
 *
 * @param values - every value of the header found in the request (any header-name case)
 * @returns the bearer token, the Basic credentials, or `HEADER_MISSING` / `HEADER_MALFORMED`
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function parseAuthorizationHeader(values: readonly string[]): ParsedAuthorization {
  if (values.length === 0 || (values.length === 1 && values[0] === "")) return { scheme: "invalid", reason: "HEADER_MISSING" };
  if (values.length > 1) return { scheme: "invalid", reason: "HEADER_MALFORMED" };
  const value = values[0]!;
  const scheme = /^[A-Za-z]+/.exec(value)?.[0].toLowerCase();
  if (scheme === "basic") {
    const basic = parseBasicAuthorization(value);
    return basic.ok ? { scheme: "basic", credentials: basic.credentials } : { scheme: "invalid", reason: basic.reason };
  }
  if (scheme === "bearer") {
    const match = BEARER_HEADER.exec(value);
    if (match !== null) return { scheme: "bearer", token: match[2]! };
  }
  return { scheme: "invalid", reason: "HEADER_MALFORMED" };
}
