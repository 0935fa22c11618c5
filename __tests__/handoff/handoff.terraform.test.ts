import { readdirSync } from "node:fs";
import { join } from "node:path";
import { exampleDocument } from "../../testing/config";
import { synthAndHandOff } from "../../testing/handoff";
import { createSigningKey, jwksOf } from "../../testing/keys";
import { describeWithTerraform, planAlone, terraformAsync, validateAlone } from "../../testing/terraform";

// Hand-off folders planned by Terraform; npm run handoff itself is in cli.test.ts.

/** The configuration with environments and S3 state. */
function environmentsDocument(): Record<string, any> {
  const doc = exampleDocument();
  doc.backend = { type: "s3", bucket: "scopegate-state", key: "api/terraform.tfstate", useLockfile: true };
  doc.environments = { dev: {}, prod: { region: "eu-west-1", authorizer: { reservedConcurrency: 50 } } };
  return doc;
}

/** The configuration with every optional feature on. */
function everyFeatureDocument(): Record<string, any> {
  const doc = exampleDocument();
  doc.backend = {
    type: "s3",
    bucket: "scopegate-state",
    key: "full/terraform.tfstate",
    useLockfile: false,
    dynamodbTable: "terraform-locks",
  };
  doc.encryption = { kmsKey: "create" };
  doc.verifiedPermissions = { export: true };
  // (MFA stays optional: the designated Basic account cannot answer an MFA challenge)
  doc.userPool = {
    ...doc.userPool,
    tier: "PLUS",
    threatProtection: "enforced",
    passwordPolicy: { minimumLength: 16, temporaryPasswordValidityDays: 1 },
  };
  doc.api.basicRateLimit = { requestsPer5MinutesPerIp: 500 };
  doc.appClients[0].allowImplicitFlow = true;
  doc.appClients[0].accessTokenValidityMinutes = 15;
  doc.groups[0].precedence = 1;
  doc.api.stageName = "prod";
  doc.api.logRetentionDays = 731;
  doc.api.routes.push({
    method: "PUT",
    path: "/orders/{id}",
    guard: "lambda",
    scopes: [],
    integration: { type: "http_proxy", url: "https://backend.example.com/orders/{id}" },
  });
  doc.authorizationTable.grants[0].routes.push("* /orders/{id}");
  doc.authorizer = {
    resultTtlSeconds: 0,
    reservedConcurrency: 20,
    memorySizeMb: 512,
    jwksSnapshot: jwksOf(createSigningKey("snapshot-1")),
  };
  return doc;
}

/** A plan's resource changes, in address order: what must be equal between the HCL and the JSON. */
function plannedChanges(plan: any): unknown[] {
  return (plan.resource_changes as any[])
    .map((c) => ({
      address: c.address,
      actions: c.change.actions,
      after: c.change.after,
      after_unknown: c.change.after_unknown,
      after_sensitive: c.change.after_sensitive,
    }))
    .sort((a, b) => a.address.localeCompare(b.address));
}

describeWithTerraform("a hand-off folder copied alone", (tf) => {
  const cases: [string, () => Record<string, any> | undefined][] = [
    ["the built-in example", () => undefined],
    ["environments with S3 state", environmentsDocument],
    ["every optional feature on", everyFeatureDocument],
  ];

  describe.each(cases)("%s", (_title, documentOf) => {
    const results: { stack: string; validation: any; fmt: string; hcl: unknown[]; json: unknown[] }[] = [];

    beforeAll(async () => {
      const { synthOut, handoffOut } = await synthAndHandOff(documentOf());
      // One folder per stack (next to them, the list of the files the hand-off wrote)
      const stacks = readdirSync(handoffOut, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
      await Promise.all(
        stacks.map(async (stack) => {
          // GIVEN the stack's hand-off folder alone, somewhere else, and the synthesized JSON alone
          // WHEN a platform team runs Terraform in each (state overridden to a local file, as offline
          // tests do; each helper copies the folder alone, and the plan of the example's JSON is the
          // run's shared one)
          const [hclDir, jsonDir] = [join(handoffOut, stack), join(synthOut, "stacks", stack)];
          const validation = await validateAlone(tf, hclDir);
          const fmt = await terraformAsync(tf, hclDir, ["fmt", "-check", "-recursive", "-no-color"]).catch((error: Error) => error.message);
          const [hcl, json] = await Promise.all([planAlone(tf, hclDir), planAlone(tf, jsonDir)]);
          results.push({ stack, validation, fmt, hcl: plannedChanges(hcl.plan), json: plannedChanges(json.plan) });
        }),
      );
      results.sort((a, b) => a.stack.localeCompare(b.stack));
    }, 600000);

    test("validates with zero warnings and is terraform fmt clean", () => {
      expect(results.length).toBeGreaterThan(0);
      for (const { stack, validation, fmt } of results) {
        expect({ stack, valid: validation.valid, warnings: validation.warning_count, diagnostics: validation.diagnostics, fmt }).toEqual({
          stack,
          valid: true,
          warnings: 0,
          diagnostics: [],
          fmt: "",
        });
      }
    });

    test("plans exactly what the stack's cdk.tf.json plans: addresses, actions and planned values", () => {
      for (const { stack, hcl, json } of results) {
        expect({ stack, count: hcl.length }).toEqual({ stack, count: json.length });
        expect(hcl).toEqual(json);
        expect(hcl.length).toBeGreaterThan(40);
      }
    });
  });
});
