import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { cpSync } from "node:fs";
import { runHandoff } from "../../handoff/cli";
import { PROJECT_ROOT, runSynth } from "../../testing/app";
import { CognitoLocal, createCognitoClient, startCognitoLocal } from "../../testing/cognito-local";
import { CognitoStandIn, startCognitoStandIn } from "../../testing/cognito-stand-in";
import { exampleDocument } from "../../testing/config";
import { exampleConfig } from "../../testing/synth";
import { describeWithTerraform, terraform, terraformAsync, writeOfflineProviderOverride } from "../../testing/terraform";

/**
 * The configuration's pool id: `adopt.userPoolId` must be a real pool id (`<region>_<id>`), which
 * cognito-local's `local_…` ids are not. The configuration carries this realistic id, and the test
 * puts the emulator's id in its place in the synthesized JSON (the import ids are the only place
 * it appears), so the emulator's quirk stays out of the product's rules.
 */
const CONFIGURED_POOL_ID = "us-east-1_EmulatedPool1";

/**
 * The example with every Cognito resource existing already in a pool (created in cognito-local as
 * the configuration describes it, the resource server and domain in the stand-in for the two calls
 * cognito-local does not answer), adopted and planned by the real Terraform CLI and provider against
 * them: every adopted resource is imported, none is created, replaced or destroyed.
 */
describeWithTerraform("adopting existing Cognito resources: terraform plan against cognito-local", (tf) => {
  let cognito: CognitoLocal;
  let standIn: CognitoStandIn;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientIds: Record<string, string>;
  let stackDir: string;
  let plan: any;
  let configFile: string;
  let synthOut: string;
  let handoffOut: string;
  let handoffRun: Awaited<ReturnType<typeof runHandoff>>;

  beforeAll(async () => {
    cognito = await startCognitoLocal();
    standIn = await startCognitoStandIn(cognito.endpoint);
    client = createCognitoClient(cognito.endpoint);
    const config = exampleConfig();

    // The existing pool, as the configuration describes it (what `npm run adopt` would have read).
    const pool = await client.send(
      new CreateUserPoolCommand({
        PoolName: config.userPool.name,
        UsernameAttributes: [],
        UsernameConfiguration: { CaseSensitive: false },
        MfaConfiguration: config.userPool.mfa,
      }),
    );
    poolId = pool.UserPool!.Id!;
    clientIds = {};
    for (const appClient of config.appClients) {
      const created = await client.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: `${config.name}-${appClient.name}`,
          GenerateSecret: appClient.kind === "machine",
        }),
      );
      clientIds[appClient.name] = created.UserPoolClient!.ClientId!;
    }
    for (const group of config.groups) {
      await client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: group.name, Description: group.description }));
    }
    for (const user of config.users) {
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: user.username,
          MessageAction: "SUPPRESS",
          // Attributes the configuration does not set: an adopted user keeps them.
          UserAttributes: [
            ...(user.email === undefined ? [] : [{ Name: "email", Value: user.email }]),
            { Name: "given_name", Value: `${user.username} as before` },
          ],
        }),
      );
    }
    for (const server of config.resourceServers) {
      standIn.addResourceServer({
        UserPoolId: poolId,
        Identifier: server.identifier,
        Name: server.name,
        Scopes: server.scopes.map((scope) => ({ ScopeName: scope.name, ScopeDescription: scope.description })),
      });
    }
    standIn.addDomain(config.userPool.domainPrefix!, poolId);

    const doc = exampleDocument();
    doc.adopt = {
      userPoolId: CONFIGURED_POOL_ID,
      domain: true,
      resourceServers: config.resourceServers.map((server) => server.identifier),
      clients: clientIds,
      groups: config.groups.map((group) => group.name),
      users: config.users.map((user) => user.username),
    };
    configFile = join(mkdtempSync(join(tmpdir(), "scopegate-adopt-plan-")), "scopegate.json");
    writeFileSync(configFile, JSON.stringify(doc, null, 2));
    const run = runSynth({ SCOPEGATE_CONFIG: configFile });
    if (run.status !== 0) throw new Error(`synth failed: ${run.stderr}`);
    synthOut = run.outdir;
    stackDir = join(run.outdir, "stacks", doc.name);
    const tfFile = join(stackDir, "cdk.tf.json");
    writeFileSync(tfFile, readFileSync(tfFile, "utf8").split(CONFIGURED_POOL_ID).join(poolId));

    // The hand-off of this output (before Terraform adds its files to the folder).
    handoffOut = join(mkdtempSync(join(tmpdir(), "scopegate-adopt-handoff-")), "handoff");
    handoffRun = await runHandoff(["--from", synthOut, "--out", handoffOut], PROJECT_ROOT, { SCOPEGATE_CONFIG: configFile });

    writeOfflineProviderOverride(stackDir, { endpoints: [{ cognitoidp: standIn.endpoint }] });
    terraform(tf, stackDir, ["init", "-input=false", "-no-color"]);
    // Asynchronously: the plan reads from servers that run in this process.
    await terraformAsync(tf, stackDir, ["plan", "-input=false", "-no-color", "-lock=false", "-out=plan.bin"]);
    plan = JSON.parse(await terraformAsync(tf, stackDir, ["show", "-json", "plan.bin"]));
  }, 240000);

  /** What must be equal between two plans: each resource's address, actions, import and planned values. */
  const planned = (p: any) =>
    (p.resource_changes as any[])
      .map((c) => ({
        address: c.address,
        actions: c.change.actions,
        importing: c.change.importing,
        after: c.change.after,
        after_unknown: c.change.after_unknown,
      }))
      .sort((a, b) => a.address.localeCompare(b.address));

  afterAll(async () => {
    client?.destroy();
    await standIn?.close();
    await cognito?.close();
  });

  test("the synthesized stack validates with its import blocks", () => {
    const result = JSON.parse(terraform(tf, stackDir, ["validate", "-json", "-no-color"]));
    expect({ valid: result.valid, warnings: result.warning_count, diagnostics: result.diagnostics }).toEqual({
      valid: true,
      warnings: 0,
      diagnostics: [],
    });
  });

  test("every adopted resource is imported with the id it has, and none is created, replaced or destroyed", () => {
    const changes = plan.resource_changes as any[];
    const imported = changes
      .filter((c) => c.change.importing !== undefined)
      .map((c) => `${c.type} ${c.change.importing.id}`)
      .sort();
    expect(imported).toEqual(
      [
        `aws_cognito_user_pool ${poolId}`,
        "aws_cognito_user_pool_domain scopegate-example-auth",
        `aws_cognito_resource_server ${poolId}|api.example.com`,
        ...Object.values(clientIds).map((id) => `aws_cognito_user_pool_client ${poolId}/${id}`),
        `aws_cognito_user_group ${poolId}/readers`,
        `aws_cognito_user_group ${poolId}/writers`,
        `aws_cognito_user ${poolId}/alice`,
        `aws_cognito_user ${poolId}/bob`,
        `aws_cognito_user ${poolId}/svc-reports`,
      ].sort(),
    );
    const cognitoTypes = [
      "aws_cognito_user_pool",
      "aws_cognito_user_pool_domain",
      "aws_cognito_resource_server",
      "aws_cognito_user_pool_client",
      "aws_cognito_user_group",
      "aws_cognito_user",
    ];
    const adopted = changes.filter((c) => cognitoTypes.includes(c.type));
    expect(adopted.filter((c) => c.change.importing === undefined).map((c) => c.address)).toEqual([]);
    expect(
      adopted
        .filter((c) => c.change.actions.includes("delete") || c.change.actions.includes("create"))
        .map((c) => `${c.address} ${c.change.actions}`),
    ).toEqual([]);
    expect(changes.filter((c) => c.change.actions.includes("delete")).map((c) => c.address)).toEqual([]);
  });

  test("the pool keeps its id; adopted users keep their attributes and get no password", () => {
    const changes = plan.resource_changes as any[];
    const pool = changes.find((c) => c.type === "aws_cognito_user_pool");
    expect(pool.change.after.id).toBe(poolId);
    for (const user of changes.filter((c) => c.type === "aws_cognito_user")) {
      expect(user.change.actions).toEqual(["no-op"]);
      expect(user.change.after.attributes.given_name).toBe(`${user.change.after.username} as before`);
      expect(user.change.after.attributes.email_verified).toBeUndefined();
    }
    // The two calls cognito-local cannot answer were answered by the stand-in.
    expect(standIn.operations).toEqual(expect.arrayContaining(["DescribeResourceServer", "DescribeUserPoolDomain"]));
  });

  test("the hand-off writes the import blocks in HCL (imports.tf), and its folder plans exactly what cdk.tf.json plans", async () => {
    expect(handoffRun.stderr).toBe("");
    expect(handoffRun.status).toBe(0);
    const hclDir = join(mkdtempSync(join(tmpdir(), "scopegate-adopt-hcl-")), "scopegate-example");
    cpSync(join(handoffOut, "scopegate-example"), hclDir, { recursive: true });
    expect(readFileSync(join(hclDir, "imports.tf"), "utf8")).toContain(`id = "${poolId}"`);
    writeOfflineProviderOverride(hclDir, { endpoints: [{ cognitoidp: standIn.endpoint }] });
    terraform(tf, hclDir, ["init", "-input=false", "-no-color"]);
    await terraformAsync(tf, hclDir, ["plan", "-input=false", "-no-color", "-lock=false", "-out=plan.bin"]);
    const hclPlan = JSON.parse(await terraformAsync(tf, hclDir, ["show", "-json", "plan.bin"]));
    expect(planned(hclPlan).filter((c) => c.importing !== undefined)).toHaveLength(11);
    expect(planned(hclPlan)).toEqual(planned(plan));
  }, 240000);
});

/** The same adopting stack, as synthesized (no emulator): Terraform validates it, import blocks included. */
describeWithTerraform("an adopting stack under terraform validate (offline)", (tf) => {
  test("validates with zero errors and zero warnings, and every import block names a resource of the stack", () => {
    const doc = exampleDocument();
    doc.adopt = {
      userPoolId: CONFIGURED_POOL_ID,
      domain: true,
      resourceServers: ["api.example.com"],
      clients: { web: "webclient123", machine: "machineclient123", legacy: "legacyclient123" },
      groups: ["readers", "writers"],
      users: ["alice", "bob", "svc-reports"],
    };
    const configFile = join(mkdtempSync(join(tmpdir(), "scopegate-adopt-validate-")), "scopegate.json");
    writeFileSync(configFile, JSON.stringify(doc));
    const run = runSynth({ SCOPEGATE_CONFIG: configFile });
    expect(run.stderr).toBe("");
    const dir = join(run.outdir, "stacks", doc.name);
    expect(JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")).import).toHaveLength(11);
    writeOfflineProviderOverride(dir);
    terraform(tf, dir, ["init", "-input=false", "-no-color"]);
    const result = JSON.parse(terraform(tf, dir, ["validate", "-json", "-no-color"]));
    expect({ valid: result.valid, warnings: result.warning_count, diagnostics: result.diagnostics }).toEqual({
      valid: true,
      warnings: 0,
      diagnostics: [],
    });
  }, 120000);
});
