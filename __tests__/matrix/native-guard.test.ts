import type { CallerCredential } from "../../matrix/model";
import { nativeCognitoDecision, type NativeDecision } from "../../matrix/native-guard";

const READ = "api.example.com/read";
const WRITE = "api.example.com/write";

describe("nativeCognitoDecision (the native Cognito authorizer's rule)", () => {
  const cases: ReadonlyArray<{ title: string; credential: CallerCredential; methodScopes: readonly string[]; expected: NativeDecision }> = [
    {
      title: "an access token with one of the method's scopes",
      credential: { kind: "access-token", scopes: ["openid", READ] },
      methodScopes: [READ, WRITE],
      expected: { allowed: true, reason: "NATIVE_SCOPES_ONLY", scopesUsed: [READ] },
    },
    {
      title: "an access token with two of them",
      credential: { kind: "access-token", scopes: [WRITE, READ] },
      methodScopes: [READ, WRITE],
      expected: { allowed: true, reason: "NATIVE_SCOPES_ONLY", scopesUsed: [READ, WRITE] },
    },
    {
      title: "an access token with none of them",
      credential: { kind: "access-token", scopes: ["openid", WRITE] },
      methodScopes: [READ],
      expected: { allowed: false, reason: "SCOPE_MISSING" },
    },
    {
      title: "an access token with a scope that only starts like one",
      credential: { kind: "access-token", scopes: [`${READ}x`] },
      methodScopes: [READ],
      expected: { allowed: false, reason: "SCOPE_MISSING" },
    },
    {
      title: "an ID token on a method with scopes",
      credential: { kind: "id-token" },
      methodScopes: [READ],
      expected: { allowed: false, reason: "NATIVE_ID_TOKEN_REFUSED" },
    },
    {
      title: "Basic credentials",
      credential: { kind: "basic", enabled: true },
      methodScopes: [READ],
      expected: { allowed: false, reason: "NATIVE_BASIC_NOT_ACCEPTED" },
    },
    {
      title: "Basic credentials on a method without scopes",
      credential: { kind: "basic", enabled: false },
      methodScopes: [],
      expected: { allowed: false, reason: "NATIVE_BASIC_NOT_ACCEPTED" },
    },
    {
      title: "an ID token on a method without scopes",
      credential: { kind: "id-token" },
      methodScopes: [],
      expected: { allowed: true, reason: "NATIVE_ID_TOKEN_ACCEPTED", scopesUsed: [] },
    },
    {
      title: "an access token on a method without scopes",
      credential: { kind: "access-token", scopes: [READ] },
      methodScopes: [],
      expected: { allowed: false, reason: "NATIVE_ACCESS_TOKEN_REFUSED" },
    },
  ];
  test.each(cases)("GIVEN $title THEN $expected.reason", ({ credential, methodScopes, expected }) => {
    expect(nativeCognitoDecision(credential, methodScopes)).toEqual(expected);
  });
});
