import { Testing } from "cdktf";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { resourceAt, resourcesOf, synthStack } from "../../../testing/synth";
import { AuthorizationTable } from "../../../stacks/constructs/authorization-table";

describe("AuthorizationTable", () => {
  const { tf } = synthStack();

  test("is on-demand, recoverable, encrypted and protected from deletion", () => {
    expect(resourceAt(tf, "aws_dynamodb_table", "authorization-table/table")).toEqual(
      expect.objectContaining({
        name: "scopegate-example-grants",
        billing_mode: "PAY_PER_REQUEST",
        hash_key: "principal",
        attribute: [{ name: "principal", type: "S" }],
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true },
        deletion_protection_enabled: true,
      }),
    );
  });

  test("lets DynamoDB delete the authorizer's failed sign-in counters after their window (TTL on expiresAt, which no grant carries)", () => {
    expect(resourceAt(tf, "aws_dynamodb_table", "authorization-table/table").ttl).toEqual({ attribute_name: "expiresAt", enabled: true });
    for (const item of Object.values(resourcesOf(tf, "aws_dynamodb_table_item")))
      expect(JSON.parse(item.item)).not.toHaveProperty("expiresAt");
  });

  test("seeds one item per principal in the documented format", () => {
    const items = resourcesOf(tf, "aws_dynamodb_table_item");
    expect(Object.keys(items)).toHaveLength(3);
    const user = resourceAt(tf, "aws_dynamodb_table_item", "grant-user-alice");
    expect(JSON.parse(user.item)).toEqual({ principal: { S: "user#alice" }, routes: { L: [{ S: "GET /resource" }] } });
    const client = resourceAt(tf, "aws_dynamodb_table_item", "grant-client-machine");
    // The machine client's principal is its Cognito client id, known after apply.
    expect(JSON.parse(client.item)).toEqual({
      principal: { S: expect.stringMatching(/^client#\$\{aws_cognito_user_pool_client\.client-machine_client_[0-9A-F]{8}\.id\}$/) },
      routes: { L: [{ S: "POST /resource" }] },
    });
  });

  test("carries the preconditions it is given in its lifecycle, and no lifecycle without them", () => {
    // GIVEN a plan-time condition (an attached pool's region check, in the stack)
    const condition = { condition: '${var.aws_region == "us-east-1"}', errorMessage: "plan in us-east-1" };
    // WHEN the table is synthesized with it, and without
    const table = (preconditions?: (typeof condition)[]) =>
      Object.values(
        JSON.parse(
          Testing.synthScope(
            (scope) => new AuthorizationTable(scope, "table", { tableName: "t", grants: [], ...(preconditions ? { preconditions } : {}) }),
          ),
        ).resource[DynamodbTable.tfResourceType],
      )[0] as Record<string, any>;
    // THEN the condition is the table's precondition, with its message; otherwise there is none
    expect(table([condition]).lifecycle).toEqual({
      precondition: [{ condition: condition.condition, error_message: "plan in us-east-1" }],
    });
    expect(table().lifecycle).toBeUndefined();
    expect(table([]).lifecycle).toBeUndefined();
  });
});
