import { JwksUnavailableError, REASONS, reasonFromJoseError, reasonKind } from "../../../functions/authorizer/reasons";
import { errors } from "jose";

describe("REASONS", () => {
  test("every code has a kind matching its HTTP status, a meaning and a hint", () => {
    const statusOfKind = { allowed: 200, authentication: 401, authorization: 403, dependency: 500 } as const;
    for (const [code, description] of Object.entries(REASONS)) {
      expect(code).toMatch(/^[A-Z][A-Z_]+$/);
      expect(description.httpStatus).toBe(statusOfKind[description.kind]);
      expect(description.meaning.length).toBeGreaterThan(10);
      expect(description.hint.length).toBeGreaterThan(5);
    }
  });

  test("the kinds the handler relies on", () => {
    expect(reasonKind("ALLOWED")).toBe("allowed");
    expect(
      [
        "TOKEN_EXPIRED",
        "TOKEN_SIGNATURE_INVALID",
        "TOKEN_KID_MISSING",
        "TOKEN_USE_NOT_ACCESS",
        "CLIENT_NOT_ALLOWED",
        "BASIC_SIGN_IN_FAILED",
        "BASIC_DISABLED",
        "HEADER_MALFORMED",
      ].map((code) => reasonKind(code as never)),
    ).toEqual(Array(8).fill("authentication"));
    expect(["SCOPE_MISSING", "GRANT_MISSING", "ROUTE_NOT_CONFIGURED"].map((code) => reasonKind(code as never))).toEqual(
      Array(3).fill("authorization"),
    );
    expect(
      ["JWKS_UNAVAILABLE", "GRANTS_UNAVAILABLE", "SIGN_IN_UNAVAILABLE", "CONFIGURATION_INVALID", "INTERNAL_ERROR"].map((code) =>
        reasonKind(code as never),
      ),
    ).toEqual(Array(5).fill("dependency"));
  });
});

describe("reasonFromJoseError", () => {
  test.each([
    ["ERR_JWT_EXPIRED on exp", new errors.JWTExpired("x", {}, "exp", "check_failed"), "TOKEN_EXPIRED"],
    ["ERR_JWT_EXPIRED on iat (maxTokenAge)", new errors.JWTExpired("x", {}, "iat", "check_failed"), "TOKEN_TOO_OLD"],
    ["a missing claim", new errors.JWTClaimValidationFailed("x", {}, "sub", "missing"), "TOKEN_CLAIM_MISSING"],
    ["the issuer", new errors.JWTClaimValidationFailed("x", {}, "iss", "check_failed"), "TOKEN_ISSUER_INVALID"],
    ["nbf", new errors.JWTClaimValidationFailed("x", {}, "nbf", "check_failed"), "TOKEN_NOT_YET_VALID"],
    ["iat in the future", new errors.JWTClaimValidationFailed("x", {}, "iat", "check_failed"), "TOKEN_NOT_YET_VALID"],
    ["a claim of the wrong type", new errors.JWTClaimValidationFailed("x", {}, "exp", "invalid"), "TOKEN_CLAIM_INVALID"],
    ["the signature", new errors.JWSSignatureVerificationFailed(), "TOKEN_SIGNATURE_INVALID"],
    ["no matching key", new errors.JWKSNoMatchingKey(), "TOKEN_KEY_UNKNOWN"],
    ["several matching keys", new errors.JWKSMultipleMatchingKeys(), "TOKEN_KEY_UNKNOWN"],
    ["a JWKS timeout", new errors.JWKSTimeout(), "JWKS_UNAVAILABLE"],
    ["a malformed JWKS", new errors.JWKSInvalid("x"), "JWKS_UNAVAILABLE"],
    ["the key resolver's outage", new JwksUnavailableError(new Error("fetch failed")), "JWKS_UNAVAILABLE"],
    ["a disallowed alg", new errors.JOSEAlgNotAllowed("x"), "TOKEN_ALG_NOT_ALLOWED"],
    ["an unrecognised crit", new errors.JOSENotSupported("x"), "TOKEN_HEADER_UNSUPPORTED"],
    ["an invalid JWS", new errors.JWSInvalid("x"), "TOKEN_MALFORMED"],
    ["an invalid JWT", new errors.JWTInvalid("x"), "TOKEN_MALFORMED"],
    ["decodeProtectedHeader's plain TypeError", new TypeError("Invalid Token or Protected Header formatting"), "TOKEN_MALFORMED"],
    ["anything else", new RangeError("bug"), "INTERNAL_ERROR"],
    ["a non-error", "boom", "INTERNAL_ERROR"],
  ])("maps %s", (_title, error, reason) => {
    expect(reasonFromJoseError(error)).toBe(reason);
  });
});
