import { AWS_PROVIDER } from "../../core/aws-provider";
import { AWS_PROVIDER_BLOCKS } from "../../handoff/provider-blocks";

// The record itself; its equality with the provider's own schema is in provider-blocks.terraform.test.ts.

describe("the recorded provider blocks", () => {
  test("know the blocks scopegate writes, and the attributes that look like blocks in JSON", () => {
    expect(AWS_PROVIDER_BLOCKS.version).toBe(AWS_PROVIDER.version);
    expect(AWS_PROVIDER_BLOCKS.resource.aws_lambda_function.environment).toEqual(["list"]);
    expect(AWS_PROVIDER_BLOCKS.resource.aws_dynamodb_table.server_side_encryption).toEqual(["list"]);
    // tags and triggers are map attributes, written `tags = { … }`
    expect(AWS_PROVIDER_BLOCKS.resource.aws_lambda_function.tags).toBeUndefined();
    expect(AWS_PROVIDER_BLOCKS.resource.aws_api_gateway_deployment.triggers).toBeUndefined();
    expect(AWS_PROVIDER_BLOCKS.providerBlocks.default_tags).toEqual(["list"]);
  });
});
