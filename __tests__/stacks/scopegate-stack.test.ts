import { exampleConfig, synthStack } from "../../testing/synth";

describe("ScopegateStack", () => {
  const { tf, json } = synthStack();

  test("the provider's region is the aws_region variable, us-east-1 by default", () => {
    expect(tf.variable.aws_region).toMatchObject({ type: "string", default: "us-east-1" });
    expect(tf.provider.aws[0].region).toBe("${var.aws_region}");
  });

  test("declares the outputs platform teams need, with the client secret sensitive", () => {
    expect(Object.keys(tf.output).sort()).toEqual([
      "authorization_table_name",
      "authorize_endpoint",
      "client_id_legacy",
      "client_id_machine",
      "client_id_web",
      "client_secret_machine",
      "hosted_ui_base_url",
      "invoke_url",
      "issuer",
      "jwks_url",
      "rest_api_id",
      "stage_name",
      "token_endpoint",
      "user_pool_arn",
      "user_pool_id",
    ]);
    const sensitive = Object.entries<any>(tf.output)
      .filter(([, o]) => o.sensitive)
      .map(([name]) => name);
    expect(sensitive).toEqual(["client_secret_machine"]);
    expect(tf.output.token_endpoint.value).toMatch(
      /^https:\/\/\$\{aws_cognito_user_pool_domain\.[^}]+\.domain\}\.auth\.\$\{var\.aws_region\}\.amazoncognito\.com\/oauth2\/token$/,
    );
    expect(tf.output.issuer.value).toMatch(/^https:\/\/\$\{aws_cognito_user_pool\.[^}]+\.endpoint\}$/);
  });

  test("keeps state in a relative local file by default, and no absolute path anywhere", () => {
    expect(tf.terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
    expect(json).not.toMatch(/"\/(home|root|tmp|work|Users|var)\//);
  });

  test("keeps state in S3 with encryption and S3-native locking when configured", () => {
    const { tf: s3 } = synthStack(
      exampleConfig((d) => (d.backend = { type: "s3", bucket: "team-state", key: "scopegate/example.tfstate" })),
    );
    expect(s3.terraform.backend).toEqual({
      s3: { bucket: "team-state", key: "scopegate/example.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true },
    });
  });

  test("the same configuration always gives the same Terraform JSON", () => {
    expect(synthStack().json).toEqual(json);
  });
});
