import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createGrantStore } from "../../functions/authorizer/grants";
import { synthOutput } from "../../testing/app";
import { createGrantsDynamoDb, startDynalite, type Dynalite } from "../../testing/dynalite";
import { describeWithTerraform, offlineStackAlone, terraformAsync } from "../../testing/terraform";

/**
 * The grants' data contract end to end: Terraform applies the synthesized table and a user's
 * grant item to dynalite, and the authorizer's grant store reads what Terraform wrote.
 */
describeWithTerraform("grants written by Terraform, read by the authorizer", (tf) => {
  let dynalite: Dynalite;
  let stackDir: string;
  let itemAddress: string;

  beforeAll(async () => {
    dynalite = await startDynalite();
    const example = join(synthOutput(), "stacks", "scopegate-example");
    // The emulator copy: dynalite has no point-in-time recovery, time-to-live or tagging API, so those
    // three settings are dropped here; every other attribute of the table and item is applied as synthesized.
    const file = join(example, "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    for (const table of Object.values<any>(json.resource.aws_dynamodb_table)) {
      delete table.point_in_time_recovery;
      delete table.ttl;
    }
    writeFileSync(file, JSON.stringify(json));
    stackDir = offlineStackAlone(tf, example, { endpoints: [{ dynamodb: dynalite.endpoint }], default_tags: [{ tags: {} }] });
    itemAddress = `aws_dynamodb_table_item.${Object.keys(json.resource.aws_dynamodb_table_item).find((id) => id.includes("grant-user-alice"))}`;
  }, 60000);

  afterAll(async () => {
    await dynalite?.close();
  });

  test("alice's grant, as applied, is the grant the authorizer reads", async () => {
    // GIVEN the table and alice's item applied by Terraform (the machine client's item needs a real Cognito client id)
    const applied = await terraformAsync(tf, stackDir, [
      "apply",
      "-auto-approve",
      "-input=false",
      "-no-color",
      "-lock=false",
      `-target=${itemAddress}`,
    ]);
    expect(applied).toContain("Apply complete! Resources: 2 added, 0 changed, 0 destroyed.");
    // WHEN the authorizer's grant store looks the principals up
    const dynamoDb = createGrantsDynamoDb(dynalite.endpoint);
    const store = createGrantStore({ tableName: "scopegate-example-grants", cacheTtlSeconds: 0 }, { dynamoDb });
    const alice = await store.getGrants("user#alice");
    const bob = await store.getGrants("user#bob");
    dynamoDb.destroy();
    // THEN alice may GET /resource, and bob, who has no item, nothing
    expect(alice).toEqual({ ok: true, routeKeys: ["GET /resource"], fromCache: false });
    expect(bob).toEqual({ ok: true, routeKeys: [], fromCache: false });
  }, 120000);
});
