import { forcesReplacement } from "../../review/force-new";

describe("forcesReplacement (measured with provider 5.100.0)", () => {
  test.each([
    ["aws_cognito_user_pool", ["username_attributes"], true],
    ["aws_cognito_user_pool", ["username_configuration", 0, "case_sensitive"], true],
    ["aws_cognito_user_pool", ["username_configuration"], true],
    ["aws_cognito_user_pool", ["mfa_configuration"], false],
    ["aws_cognito_user_pool", ["schema"], false],
    ["aws_cognito_user_pool_client", ["generate_secret"], true],
    ["aws_cognito_user_pool_client", ["allowed_oauth_scopes"], false],
    ["aws_dynamodb_table_item", ["item"], false],
    ["aws_api_gateway_resource", ["path_part"], false],
    ["aws_lambda_permission", ["source_arn"], true],
    ["aws_verifiedpermissions_policy_store", ["validation_settings", 0, "mode"], false],
    ["aws_verifiedpermissions_schema", ["definition", "value"], false],
    ["aws_verifiedpermissions_schema", ["policy_store_id"], false],
    ["aws_verifiedpermissions_policy", ["policy_store_id"], true],
    ["aws_verifiedpermissions_policy", ["definition", 0, "static", 0, "description"], false],
    ["aws_verifiedpermissions_identity_source", ["policy_store_id"], true],
    ["aws_verifiedpermissions_identity_source", ["configuration", 0, "cognito_user_pool_configuration", 0, "client_ids"], false],
    ["aws_s3_bucket", ["bucket"], false],
  ] as const)("%s %j → %s", (type, path, expected) => {
    expect(forcesReplacement(type, path)).toBe(expected);
  });
});
