import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderCedarTwin } from "../../stacks/cedar/render";
import { parseConfig } from "../../stacks/config/parse";
import { runSynth } from "../../testing/app";
import { exampleDocument } from "../../testing/config";
import { describeWithTerraform, terraform, writeOfflineProviderOverride } from "../../testing/terraform";

/**
 * The example with `verifiedPermissions.export`, handed to the real Terraform CLI and provider (from
 * the offline mirror): it validates with zero warnings and plans offline the policy store, the
 * twin's schema and policies, and the identity source.
 */
describeWithTerraform("the Verified Permissions export under Terraform (offline)", (tf) => {
  const document = exampleDocument();
  document.verifiedPermissions = { export: true };
  const twin = renderCedarTwin(parseConfig(document, "the example with the export"));
  let stackDir: string;
  let plan: any;

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-avp-"));
    writeFileSync(join(dir, "avp.json"), JSON.stringify(document));
    const run = runSynth({ SCOPEGATE_CONFIG: join(dir, "avp.json") });
    if (run.status !== 0) throw new Error(`synth failed: ${run.stderr}`);
    stackDir = join(run.outdir, "stacks", "scopegate-example");
    terraform(tf, stackDir, ["init", "-input=false", "-no-color"]);
    const result = JSON.parse(terraform(tf, stackDir, ["validate", "-json", "-no-color"]));
    expect({ valid: result.valid, warnings: result.warning_count, diagnostics: result.diagnostics }).toEqual({
      valid: true,
      warnings: 0,
      diagnostics: [],
    });
    writeOfflineProviderOverride(stackDir);
    terraform(tf, stackDir, ["init", "-reconfigure", "-input=false", "-no-color"]);
    terraform(tf, stackDir, ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=plan.bin"]);
    plan = JSON.parse(terraform(tf, stackDir, ["show", "-json", "plan.bin"]));
  }, 240000);

  const created = (type: string) =>
    (plan.resource_changes as any[]).filter((c) => c.type === type && c.change.actions.join() === "create").map((c) => c.change.after);

  test("plans the store (STRICT), the schema, every policy of the twin and the identity source", () => {
    expect(created("aws_verifiedpermissions_policy_store").map((store) => store.validation_settings)).toEqual([[{ mode: "STRICT" }]]);
    expect(created("aws_verifiedpermissions_schema").map((schema) => JSON.parse(schema.definition.value))).toEqual([twin.schema]);
    expect(
      created("aws_verifiedpermissions_policy")
        .map((policy) => policy.definition[0].static[0].statement)
        .sort(),
    ).toEqual(twin.policies.map((policy) => policy.statement).sort());
    expect(created("aws_verifiedpermissions_identity_source").map((source) => source.principal_entity_type)).toEqual(["Scopegate::User"]);
  });
});
