import { Testing } from "cdktf";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolDomain } from "@cdktf/provider-aws/lib/cognito-user-pool-domain";
import { UserPool } from "../../../stacks/constructs/user-pool";
import { exampleConfig } from "../../../testing/synth";

function synthPool(mutate: (doc: Record<string, any>) => void = () => undefined): string {
  const config = exampleConfig(mutate);
  return Testing.synthScope((scope) => new UserPool(scope, "user-pool", { config: config.userPool, region: "us-east-1" }));
}

describe("UserPool", () => {
  test("sets every security attribute explicitly", () => {
    // GIVEN the defaults WHEN synthesized
    const synthesized = synthPool();
    // THEN nothing is left to a service default a plan would not show
    expect(synthesized).toHaveResourceWithProperties(CognitoUserPool, {
      deletion_protection: "ACTIVE",
      mfa_configuration: "OPTIONAL",
      software_token_mfa_configuration: { enabled: true },
      admin_create_user_config: { allow_admin_create_user_only: true },
      username_configuration: { case_sensitive: false },
      account_recovery_setting: { recovery_mechanism: [{ name: "verified_email", priority: 1 }] },
      user_attribute_update_settings: { attributes_require_verification_before_update: ["email"] },
      password_policy: {
        minimum_length: 14,
        require_lowercase: true,
        require_uppercase: true,
        require_numbers: true,
        require_symbols: true,
        temporary_password_validity_days: 3,
      },
    });
    expect(synthesized).toHaveResourceWithProperties(CognitoUserPoolDomain, { domain: "scopegate-example-auth" });
  });

  test("turns protections off only when the configuration says so", () => {
    const synthesized = synthPool((d) => (d.userPool = { ...d.userPool, deletionProtection: false, mfa: "OFF" }));
    expect(synthesized).toHaveResourceWithProperties(CognitoUserPool, {
      deletion_protection: "INACTIVE",
      mfa_configuration: "OFF",
      software_token_mfa_configuration: { enabled: false },
    });
  });

  test("signs users in with their e-mail address when asked", () => {
    const synthesized = synthPool((d) => {
      d.userPool.signInWith = "email";
      d.users = [];
      d.authorizationTable.grants = [];
      d.appClients = d.appClients.filter((c: { kind: string }) => c.kind !== "legacy");
    });
    expect(synthesized).toHaveResourceWithProperties(CognitoUserPool, { username_attributes: ["email"] });
  });

  test("builds issuer and hosted-UI URLs from the pool and domain", () => {
    const config = exampleConfig();
    Testing.synthScope((scope) => {
      const pool = new UserPool(scope, "user-pool", { config: config.userPool, region: "eu-west-1" });
      expect(pool.issuer).toMatch(/^https:\/\/\$\{TfToken\[TOKEN\.\d+\]\}$/);
      expect(pool.jwksUrl.endsWith("/.well-known/jwks.json")).toBe(true);
      expect(pool.hostedUiBaseUrl).toMatch(/^https:\/\/\$\{TfToken\[TOKEN\.\d+\]\}\.auth\.eu-west-1\.amazoncognito\.com$/);
    });
  });
});
