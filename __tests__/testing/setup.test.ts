import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolDomain } from "@cdktf/provider-aws/lib/cognito-user-pool-domain";
import { synthStack } from "../../testing/synth";

// testing/setup.ts registers cdktf's matchers on their first use (so suites that never match a
// stack do not load cdktf): they must pass, fail and negate exactly as cdktf's own.
describe("cdktf's matchers, loaded on first use", () => {
  const { json } = synthStack();

  test("pass on a match and fail on a mismatch, naming the resource type", () => {
    expect(json).toHaveResourceWithProperties(CognitoUserPool, { deletion_protection: "ACTIVE" });
    expect(json).toHaveResource(CognitoUserPoolDomain);
    expect(() => expect(json).toHaveResourceWithProperties(CognitoUserPool, { deletion_protection: "INACTIVE" })).toThrow(
      /aws_cognito_user_pool/,
    );
  });

  test("negate: .not passes on a mismatch and fails on a match", () => {
    expect(json).not.toHaveResourceWithProperties(CognitoUserPool, { deletion_protection: "INACTIVE" });
    expect(() => expect(json).not.toHaveResourceWithProperties(CognitoUserPool, { deletion_protection: "ACTIVE" })).toThrow(
      /aws_cognito_user_pool/,
    );
  });

  test("a first use that fails still registers them: the next use passes", () => {
    expect(() => expect("{}").toHaveResource(CognitoUserPool)).toThrow();
    expect(json).toHaveResource(CognitoUserPool);
    expect("{}").not.toHaveResource(CognitoUserPool);
  });
});
