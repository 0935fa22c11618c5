/**
 * Reads the `Authorization` header: which scheme, and its credentials.
 *
 * @packageDocumentation
 */
import { parseBasicAuthorization, type BasicCredentials } from "./basic-auth";

/**
 * The `Authorization` header of a request, as the adapter reads it from the event: the value the
 * identity source `method.request.header.Authorization` holds (the one API Gateway keys its result
 * cache on), and how many times the request carries the header, in any case of its name.
 */
export interface AuthorizationHeader {
  /** The value in `headers`; `undefined` when there is none. */
  readonly value: string | undefined;
  /** How many times the header occurs in the request (0 when absent). */
  readonly occurrences: number;
}

/** Result of {@link parseAuthorizationHeader}. */
export type ParsedAuthorization =
  | { readonly scheme: "bearer"; readonly token: string }
  | { readonly scheme: "basic"; readonly credentials: BasicCredentials }
  | { readonly scheme: "invalid"; readonly reason: "HEADER_MISSING" | "HEADER_MALFORMED" | "HEADER_REPEATED" };

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=", matched
// from just after `Bearer ` to the end of the value (sticky: the value is read once, not copied).
const B64TOKEN_TO_END = /[A-Za-z0-9\-._~+/]+=*$/y;

/** How many ASCII letters the value starts with: its scheme, when one space follows. */
function schemeLength(value: string): number {
  let index = 0;
  while (index < value.length) {
    const lower = value.charCodeAt(index) | 0x20;
    if (lower < 0x61 || lower > 0x7a) break;
    index += 1;
  }
  return index;
}

/**
 * Parses the request's Authorization header: one credential per request. A header that occurs more
 * than once is refused whatever its values (`HEADER_REPEATED`); its one value must be
 * exactly `Bearer <token>` or `Basic <base64>`, schemes in any case, exactly one space (so a
 * comma-joined list of credentials in one value is `HEADER_MALFORMED`). A Bearer value is read in one
 * pass: the scheme's letters, then the token's characters.
 *
 * @param header - the value in `headers` and the number of occurrences (any header-name case)
 * @returns the bearer token, the Basic credentials, or `HEADER_MISSING` / `HEADER_MALFORMED` /
 *   `HEADER_REPEATED`
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function parseAuthorizationHeader(header: AuthorizationHeader): ParsedAuthorization {
  if (header.occurrences > 1) return { scheme: "invalid", reason: "HEADER_REPEATED" };
  const { value } = header;
  if (value === undefined || value === "") return { scheme: "invalid", reason: "HEADER_MISSING" };
  const length = schemeLength(value);
  if (length === 5 && value.slice(0, 5).toLowerCase() === "basic") {
    const basic = parseBasicAuthorization(value);
    return basic.ok ? { scheme: "basic", credentials: basic.credentials } : { scheme: "invalid", reason: basic.reason };
  }
  if (length === 6 && value.charCodeAt(6) === 0x20 && value.slice(0, 6).toLowerCase() === "bearer") {
    B64TOKEN_TO_END.lastIndex = 7;
    if (B64TOKEN_TO_END.test(value)) return { scheme: "bearer", token: value.slice(7) };
  }
  return { scheme: "invalid", reason: "HEADER_MALFORMED" };
}
