import { AwsServiceError, AwsTimeoutError } from "../../../functions/authorizer/aws/errors";
import {
  CONTEXT_DATA_HEADER_NAMES,
  createBasicAuthenticator,
  isSignInUnavailableError,
  parseBasicAuthorization,
  signInContextData,
  type BasicCredentials,
} from "../../../functions/authorizer/basic-auth";
import { startAwsJsonStub, type StubAnswer } from "../../../testing/aws-json-stub";
import { createSignInCognito } from "../../../testing/cognito-local";

// Basic credentials parsed, and the authenticator against a scripted Cognito endpoint; against
// cognito-local in basic-auth.local.test.ts.

const basicHeader = (userPass: string, scheme = "Basic") => `${scheme} ${Buffer.from(userPass, "utf8").toString("base64")}`;

describe("parseBasicAuthorization (RFC 7617)", () => {
  test.each([
    ["a plain user and password", basicHeader("alice:secret"), { username: "alice", password: "secret" }],
    ["the scheme in lower case", basicHeader("alice:secret", "basic"), { username: "alice", password: "secret" }],
    ["the scheme in upper case", basicHeader("alice:secret", "BASIC"), { username: "alice", password: "secret" }],
    ["a password containing colons (split at the first)", basicHeader("alice:pa:ss:word"), { username: "alice", password: "pa:ss:word" }],
    ["an empty password", basicHeader("alice:"), { username: "alice", password: "" }],
    ["UTF-8 user and password", basicHeader("zoë:pässwörd€"), { username: "zoë", password: "pässwörd€" }],
    ["a password with spaces", basicHeader("alice: se cret "), { username: "alice", password: " se cret " }],
  ])("accepts %s", (_title, header, credentials) => {
    expect(parseBasicAuthorization(header)).toEqual({ ok: true, credentials });
  });

  test.each([
    ["no colon", basicHeader("alice")],
    ["an empty user", basicHeader(":secret")],
    ["an empty user and password", basicHeader(":")],
    ["characters outside base64", "Basic YWxp!2U6c2VjcmV0"],
    ["base64url instead of base64", `Basic ${Buffer.from("alice:??>>", "utf8").toString("base64url")}`],
    ["missing padding", "Basic YWxpY2U6c2VjcmV"],
    ['non-canonical padding bits ("alice:s" with stray low bits)', "Basic YWxpY2U6cx=="],
    ["padding in the middle", "Basic YWxp=Y2U6c2VjcmV0"],
    ["no credentials", "Basic "],
    ["the scheme alone", "Basic"],
    ["two spaces after the scheme", `Basic  ${Buffer.from("alice:secret").toString("base64")}`],
    ["a leading space", ` ${basicHeader("alice:secret")}`],
    ["a trailing space", `${basicHeader("alice:secret")} `],
    ["a tab instead of a space", `Basic\t${Buffer.from("alice:secret").toString("base64")}`],
    ["another scheme", basicHeader("alice:secret", "Digest")],
    ["a misspelled scheme", basicHeader("alice:secret", "Basik")],
    ["a control character in the user", basicHeader("ali\nce:secret")],
    ["a NUL in the password", basicHeader("alice:sec\u0000ret")],
    ["bytes that are not UTF-8", `Basic ${Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString("base64")}`],
    ["credentials longer than 4096 base64 characters", basicHeader(`alice:${"x".repeat(4000)}`)],
  ])("fails when the header has %s: HEADER_MALFORMED (401)", (_title, header) => {
    expect(parseBasicAuthorization(header)).toEqual({ ok: false, reason: "HEADER_MALFORMED" });
  });
});
describe("createBasicAuthenticator (against a scripted Cognito endpoint, for answers cognito-local cannot give)", () => {
  const credentials: BasicCredentials = { username: "carol", password: "Temporary-Pass1" };

  async function signInAgainst(answer: StubAnswer) {
    const stub = await startAwsJsonStub(() => answer);
    const cognito = createSignInCognito(stub.endpoint);
    try {
      const basic = createBasicAuthenticator(
        { userPoolId: "local_Pool1", clientId: "basicclient", cacheTtlSeconds: 60, designatedUsers: ["carol"] },
        { cognito, failedSignInLimit: null },
      );
      return { result: await basic.signIn(credentials), requests: stub.requests };
    } finally {
      cognito.destroy();
      await stub.close();
    }
  }

  test.each([
    ["NEW_PASSWORD_REQUIRED (a user with only a temporary password)", "NEW_PASSWORD_REQUIRED"],
    ["SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA"],
    ["SMS_MFA", "SMS_MFA"],
  ])("fails when Cognito answers the challenge %s: BASIC_SIGN_IN_FAILED", async (_title, challenge) => {
    const { result, requests } = await signInAgainst({
      status: 200,
      body: { ChallengeName: challenge, Session: "opaque", ChallengeParameters: {} },
    });
    expect(result).toEqual({ ok: false, reason: "BASIC_SIGN_IN_FAILED", detail: `challenge ${challenge}` });
    // AND the request was an ADMIN_USER_PASSWORD_AUTH sign-in with the configured pool and client
    expect(requests).toEqual([
      {
        operation: "AdminInitiateAuth",
        body: {
          UserPoolId: "local_Pool1",
          ClientId: "basicclient",
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "carol", PASSWORD: "Temporary-Pass1" },
        },
      },
    ]);
  });

  test.each([
    ["TooManyRequestsException (throttling)", 400, "TooManyRequestsException", "SIGN_IN_UNAVAILABLE"],
    ["InternalErrorException (500)", 500, "InternalErrorException", "SIGN_IN_UNAVAILABLE"],
    ["an unknown 503", 503, "ServiceUnavailable", "SIGN_IN_UNAVAILABLE"],
    ["AccessDeniedException (missing IAM permission)", 400, "AccessDeniedException", "SIGN_IN_UNAVAILABLE"],
    ["NotAuthorizedException", 400, "NotAuthorizedException", "BASIC_SIGN_IN_FAILED"],
    ["UserNotFoundException", 400, "UserNotFoundException", "BASIC_SIGN_IN_FAILED"],
    ["PasswordResetRequiredException", 400, "PasswordResetRequiredException", "BASIC_SIGN_IN_FAILED"],
    ["UserNotConfirmedException", 400, "UserNotConfirmedException", "BASIC_SIGN_IN_FAILED"],
    ["InvalidParameterException (e.g. a username Cognito rejects)", 400, "InvalidParameterException", "BASIC_SIGN_IN_FAILED"],
    ["LimitExceededException (a quota: an outage, not a wrong password)", 400, "LimitExceededException", "SIGN_IN_UNAVAILABLE"],
    ["UnexpectedLambdaException (a trigger failed)", 400, "UnexpectedLambdaException", "SIGN_IN_UNAVAILABLE"],
    ["InvalidLambdaResponseException (a trigger answered nonsense)", 400, "InvalidLambdaResponseException", "SIGN_IN_UNAVAILABLE"],
    ["UserLambdaValidationException (a pre-authentication trigger refused)", 400, "UserLambdaValidationException", "BASIC_SIGN_IN_FAILED"],
  ])("WHEN Cognito answers %s THEN the reason is its class", async (_title, status, errorName, reason) => {
    const { result } = await signInAgainst({ status, body: { __type: errorName, message: "scripted" } });
    expect(result).toMatchObject({ ok: false, reason });
  });

  test("fails when the token Cognito returns names an account that is not designated: BASIC_USER_NOT_DESIGNATED", async () => {
    const token = `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from('{"username":"mallory"}').toString("base64url")}.c2ln`;
    const { result, requests } = await signInAgainst({ status: 200, body: { AuthenticationResult: { AccessToken: token } } });
    expect(requests).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, reason: "BASIC_USER_NOT_DESIGNATED" });
  });

  test("fails when the answer holds no access token with a username: SIGN_IN_UNAVAILABLE", async () => {
    const { result } = await signInAgainst({ status: 200, body: { AuthenticationResult: { AccessToken: "not-a-jwt" } } });
    expect(result).toMatchObject({ ok: false, reason: "SIGN_IN_UNAVAILABLE" });
  });
});
describe("signInContextData (ContextData of AdminInitiateAuth)", () => {
  const EXCLUDED = ["authorization", "cookie", "x-forwarded-for", "forwarded", "x-real-ip"];

  test("the allow-list never holds a credential or forwarding header", () => {
    expect(CONTEXT_DATA_HEADER_NAMES.filter((name) => EXCLUDED.includes(name.toLowerCase()))).toEqual([]);
  });

  test("GIVEN excluded headers in odd case WHEN the context is built THEN none appears; the address is the source IP only", () => {
    const data = signInContextData({
      sourceIp: "203.0.113.7",
      serverName: "api.example.com",
      serverPath: "/v1/resource",
      headers: {
        AUTHORIZATION: "Basic YWxpY2U6c2VjcmV0",
        CooKie: "session=1",
        "X-FORWARDED-FOR": "198.51.100.1",
        Forwarded: "for=198.51.100.1",
        "x-real-IP": "198.51.100.1",
        "User-Agent": "legacy-app/1.0",
        HOST: "api.example.com",
        "X-Custom": "not on the list",
      },
    });
    expect(data).toEqual({
      IpAddress: "203.0.113.7",
      ServerName: "api.example.com",
      ServerPath: "/v1/resource",
      HttpHeaders: [
        { headerName: "user-agent", headerValue: "legacy-app/1.0" },
        { headerName: "host", headerValue: "api.example.com" },
      ],
    });
  });
});
describe("isSignInUnavailableError (the transport's error shape)", () => {
  const answered = (name: string, httpStatusCode: number) =>
    new AwsServiceError(name, "scripted", { httpStatusCode, requestId: undefined, attempts: 1, clockSkewCorrected: false });

  test.each([
    ["a 5xx answer", answered("InternalErrorException", 500)],
    ["a 429 answer of any type", answered("SomethingNew", 429)],
    ["throttling in a 400", answered("TooManyRequestsException", 400)],
    ["a deployment error (missing IAM permission)", answered("AccessDeniedException", 400)],
    ["a timeout (no HTTP answer)", new AwsTimeoutError("no answer within 3000 ms")],
    ["a network error (no HTTP answer)", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })],
    ["something that is not an error", "boom"],
  ])("GIVEN %s THEN Cognito is unavailable", (_title, error) => {
    expect(isSignInUnavailableError(error)).toBe(true);
  });

  test.each([
    ["NotAuthorizedException", answered("NotAuthorizedException", 400)],
    ["UserNotFoundException", answered("UserNotFoundException", 400)],
  ])("GIVEN %s THEN the credentials are refused", (_title, error) => {
    expect(isSignInUnavailableError(error)).toBe(false);
  });
});
