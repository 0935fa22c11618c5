import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthOutput } from "../../testing/app";
import { describeWithTerraform, offlineStackAlone, planAlone, terraform, validateAlone } from "../../testing/terraform";

const ARN = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyZ";

/**
 * The example attached to an existing pool, handed to the real Terraform CLI and provider offline:
 * it plans without a user pool, and a plan in another region stops at the precondition on the grants table.
 */
describeWithTerraform("a stack attached to an existing pool under Terraform (offline)", (tf) => {
  let stackDir: string;

  beforeAll(() => {
    const doc = JSON.parse(readFileSync(join(__dirname, "../../stacks/config/example.config.json"), "utf8"));
    doc.userPool = { existing: { arn: ARN }, domainPrefix: doc.userPool.domainPrefix };
    doc.users = doc.users.map((user: any) => (user.username === "bob" ? user : { username: user.username, existing: true }));
    const configFile = join(mkdtempSync(join(tmpdir(), "scopegate-attached-")), "scopegate.json");
    writeFileSync(configFile, JSON.stringify(doc, null, 2));
    stackDir = join(synthOutput(configFile), "stacks", doc.name);
  }, 120000);

  test("validates with zero errors and zero warnings", async () => {
    const result = await validateAlone(tf, stackDir);
    expect({ valid: result.valid, warnings: result.warning_count, diagnostics: result.diagnostics }).toEqual({
      valid: true,
      warnings: 0,
      diagnostics: [],
    });
  });

  test("plans with no user pool; the domain, resource server, clients and the Cognito authorizer use the given pool", async () => {
    const { plan } = await planAlone(tf, stackDir);
    const changes = plan.resource_changes as any[];
    expect(changes.filter((c) => c.type === "aws_cognito_user_pool")).toEqual([]);
    expect(changes.filter((c) => c.type === "aws_cognito_user").map((c) => c.change.after.username)).toEqual(["bob"]);
    for (const type of ["aws_cognito_user_pool_domain", "aws_cognito_resource_server", "aws_cognito_user_pool_client"]) {
      const inPool = changes.filter((c) => c.type === type).map((c) => c.change.after.user_pool_id);
      expect(inPool.length).toBeGreaterThan(0);
      expect(new Set(inPool)).toEqual(new Set(["us-east-1_AbC123xyZ"]));
    }
    const cognito = changes.find((c) => c.type === "aws_api_gateway_authorizer" && c.change.after.type === "COGNITO_USER_POOLS");
    expect(cognito.change.after.provider_arns).toEqual([ARN]);
  }, 120000);

  test("a plan in another region fails with the precondition's message", () => {
    const copy = offlineStackAlone(tf, stackDir);
    expect(() =>
      terraform(tf, copy, ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-var", "aws_region=eu-west-1"]),
    ).toThrow(
      /Resource precondition failed[\s\S]*userpool\/us-east-1_AbC123xyZ\s+\(userPool\.existing\.arn\) is in region us-east-1;\s+plan with\s+aws_region\s+=\s+"us-east-1"/,
    );
  }, 120000);
});
