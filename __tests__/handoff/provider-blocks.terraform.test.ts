import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AWS_PROVIDER_BLOCKS, extractProviderBlocks } from "../../handoff/provider-blocks";
import { AWS_PROVIDER_VERSION, describeWithTerraform, shareInit, terraform, writeOfflineProviderOverride } from "../../testing/terraform";

describeWithTerraform("the recorded provider blocks against the provider", (tf) => {
  test("equal what `terraform providers schema -json` of hashicorp/aws says", () => {
    // GIVEN a configuration that requires the provider the stacks use
    const dir = mkdtempSync(join(tmpdir(), "scopegate-schema-"));
    writeFileSync(
      join(dir, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION } } } }),
    );
    // (the run's shared init: its backend is the offline override's local state)
    writeOfflineProviderOverride(dir);
    shareInit(tf, dir);
    // WHEN its schema is read and extracted
    const schema = JSON.parse(terraform(tf, dir, ["providers", "schema", "-json"]));
    const extracted = extractProviderBlocks(schema, "registry.terraform.io/hashicorp/aws", AWS_PROVIDER_VERSION);
    // THEN it equals the record (if not: terraform providers schema -json > schema.json, then
    // node --import tsx handoff/provider-blocks.ts schema.json, and npx prettier --write the record)
    expect(extracted).toEqual(AWS_PROVIDER_BLOCKS);
  }, 120000);
});
