import { CognitoUser } from "@cdktf/provider-aws/lib/cognito-user";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolDomain } from "@cdktf/provider-aws/lib/cognito-user-pool-domain";
import { configIssues, exampleDocument } from "../../testing/config";
import { exampleConfig, resourcesOf, synthStack } from "../../testing/synth";
import { terraformFiles } from "../../handoff/terraform-files";
import { checkSameInput } from "../../handoff/same-input";

const ARN = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyZ";
const POOL_ID = "us-east-1_AbC123xyZ";

/** The example attached to the pool of {@link ARN}: svc-reports (the Basic account) and alice already exist there. */
function attach(doc: Record<string, any>): void {
  doc.userPool = { existing: { arn: ARN }, domainPrefix: "scopegate-example-auth" };
  doc.users = [
    { username: "alice", existing: true },
    { username: "bob", email: "bob@example.com", groups: ["writers"] },
    { username: "svc-reports", existing: true },
  ];
}

function issuesOf(mutate: (doc: Record<string, any>) => void): { path: string; message: string }[] {
  const doc = exampleDocument();
  mutate(doc);
  return configIssues(doc);
}

describe("userPool.existing (configuration)", () => {
  test("an ARN is read into the pool's id and region, the facts default as for a new pool", () => {
    const config = exampleConfig(attach);
    expect(config.userPool.existing).toEqual({ arn: ARN, id: POOL_ID, region: "us-east-1" });
    expect(config.userPool).toMatchObject({ signInWith: "username", mfa: "OPTIONAL", tier: "ESSENTIALS", threatProtection: "off" });
    expect(config.users.filter((u) => u.existing).map((u) => u.username)).toEqual(["alice", "svc-reports"]);
  });

  test.each([
    ["not an ARN", "us-east-1_AbC123xyZ"],
    ["another service", "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:abc"],
    ["a short account", "arn:aws:cognito-idp:us-east-1:12345:userpool/us-east-1_AbC123xyZ"],
    ["no pool id region", "arn:aws:cognito-idp:us-east-1:123456789012:userpool/AbC123xyZ"],
  ])("a bad ARN (%s) is refused at its path, with the value", (_, arn) => {
    const issues = issuesOf((d) => {
      attach(d);
      d.userPool.existing.arn = arn;
    });
    expect(issues).toEqual([
      expect.objectContaining({ path: "userPool.existing.arn", message: expect.stringContaining(JSON.stringify(arn)) }),
    ]);
  });

  test("a pool in another region than the stack's, or an id of another region than the ARN's, is refused", () => {
    const other = issuesOf((d) => {
      attach(d);
      d.userPool.existing.arn = ARN.replace(/us-east-1/g, "eu-west-1");
    });
    expect(other).toEqual([
      expect.objectContaining({ path: "userPool.existing.arn", message: expect.stringContaining('the stack\'s region is "us-east-1"') }),
    ]);
    const mixed = issuesOf((d) => {
      attach(d);
      d.userPool.existing.arn = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/eu-west-1_AbC123xyZ";
    });
    expect(mixed).toEqual([
      expect.objectContaining({ path: "userPool.existing.arn", message: expect.stringContaining('belongs to region "eu-west-1"') }),
    ]);
  });

  test("each pool-wide setting next to existing is refused by name; the facts are accepted", () => {
    const issues = issuesOf((d) => {
      attach(d);
      Object.assign(d.userPool, {
        name: "x",
        deletionProtection: true,
        passwordPolicy: { minimumLength: 20 },
        mfa: "OFF",
        tier: "PLUS",
        threatProtection: "audit",
      });
    });
    expect(issues.map((i) => i.path)).toEqual(["userPool.name", "userPool.deletionProtection", "userPool.passwordPolicy"]);
    expect(issues.every((i) => i.message.includes("pool-wide") && i.message.includes("userPool.existing"))).toBe(true);
    expect(issues[1].message).toContain("got true");
  });

  test("existing users: only with an existing pool, without groups or email, with a sub for e-mail sign-in", () => {
    expect(issuesOf((d) => (d.users[2].existing = true))).toEqual([expect.objectContaining({ path: "users[2].existing" })]);
    const changed = issuesOf((d) => {
      attach(d);
      d.users[0] = { username: "alice", existing: true, email: "alice@example.com", groups: ["readers"] };
    });
    expect(changed.map((i) => i.path)).toEqual(["users[0].email", "users[0].groups"]);
    const noSub = issuesOf((d) => {
      attach(d);
      d.userPool.signInWith = "email";
      d.users = [{ username: "carol@example.com", existing: true }];
      d.appClients.find((c: any) => c.kind === "legacy").basicUsers = ["carol@example.com"];
      d.authorizationTable.grants = d.authorizationTable.grants.filter((g: any) => "client" in g.principal);
    });
    expect(noSub.map((i) => i.path)).toEqual(["users[0].sub"]);
  });
});

describe("a stack attached to an existing pool", () => {
  const { tf, json } = synthStack(exampleConfig(attach));

  test("creates no pool, and creates the domain, the resource server and the clients in the given one", () => {
    expect(json).not.toHaveResource(CognitoUserPool);
    expect(json).toHaveResourceWithProperties(CognitoUserPoolDomain, { user_pool_id: POOL_ID });
    for (const type of ["aws_cognito_resource_server", "aws_cognito_user_pool_client", "aws_cognito_user_group"]) {
      const resources = Object.values(resourcesOf(tf, type));
      expect(resources.length).toBeGreaterThan(0);
      expect(resources.every((r: any) => r.user_pool_id === POOL_ID)).toBe(true);
    }
  });

  test("the issuer, JWKS URL, authorizer settings and IAM policy come from the ARN", () => {
    const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`;
    expect(tf.output.issuer.value).toBe(issuer);
    expect(tf.output.jwks_url.value).toBe(`${issuer}/.well-known/jwks.json`);
    expect(tf.output.user_pool_id.value).toBe(POOL_ID);
    expect(tf.output.user_pool_arn.value).toBe(ARN);
    const [fn] = Object.values(resourcesOf(tf, "aws_lambda_function")) as any[];
    expect(fn.environment.variables).toMatchObject({ USER_POOL_ID: POOL_ID, TOKEN_ISSUER: issuer });
    const [cognitoAuthorizer] = Object.values(resourcesOf(tf, "aws_api_gateway_authorizer")).filter(
      (a: any) => a.type === "COGNITO_USER_POOLS",
    ) as any[];
    expect(cognitoAuthorizer.provider_arns).toEqual([ARN]);
    const policies = JSON.stringify(tf.data?.aws_iam_policy_document ?? {}) + JSON.stringify(resourcesOf(tf, "aws_iam_role_policy"));
    expect(policies).toContain(ARN);
  });

  test("existing users are granted and designated for Basic without being created", () => {
    const users = Object.values(resourcesOf(tf, "aws_cognito_user")) as any[];
    expect(users.map((u) => u.username)).toEqual(["bob"]);
    expect(json).not.toHaveResourceWithProperties(CognitoUser, { username: "alice" });
    expect(Object.keys(resourcesOf(tf, "aws_cognito_user_in_group")).length).toBe(1);
    const [fn] = Object.values(resourcesOf(tf, "aws_lambda_function")) as any[];
    expect(fn.environment.variables.BASIC_USERS).toContain("svc-reports");
    expect(JSON.stringify(resourcesOf(tf, "aws_dynamodb_table_item"))).toContain("user#alice");
  });

  test("with e-mail sign-in an existing user is granted by its declared sub", () => {
    const sub = "0f1e2d3c-4b5a-4697-8877-665544332211";
    const { tf: emailTf } = synthStack(
      exampleConfig((d) => {
        attach(d);
        d.userPool.signInWith = "email";
        d.users = [{ username: "alice@example.com", existing: true, sub }];
        d.appClients.find((c: any) => c.kind === "legacy").basicUsers = ["alice@example.com"];
        d.authorizationTable.grants = [{ principal: { user: "alice@example.com" }, routes: ["GET /resource"] }];
      }),
    );
    expect(JSON.stringify(resourcesOf(emailTf, "aws_dynamodb_table_item"))).toContain(`user#${sub}`);
    const [fn] = Object.values(resourcesOf(emailTf, "aws_lambda_function")) as any[];
    expect(fn.environment.variables.BASIC_USERS).toContain(sub);
  });

  test("the grants table, which every stack has, carries a precondition that the planned region is the pool's", () => {
    const [table] = Object.values(resourcesOf(tf, "aws_dynamodb_table")) as any[];
    expect(table.lifecycle.precondition).toEqual([
      { condition: '${(var.aws_region == "us-east-1")}', error_message: expect.stringContaining(`The user pool ${ARN}`) },
    ]);
    const { tf: created } = synthStack(exampleConfig());
    const [own] = Object.values(resourcesOf(created, "aws_dynamodb_table")) as any[];
    expect(own.lifecycle?.precondition).toBeUndefined();
  });

  test("without domainPrefix the pool keeps its own domain: none is created and no hosted-UI endpoint is stated", () => {
    const { tf: noDomain } = synthStack(
      exampleConfig((d) => {
        attach(d);
        delete d.userPool.domainPrefix;
      }),
    );
    expect(resourcesOf(noDomain, "aws_cognito_user_pool_domain")).toEqual({});
    expect(Object.keys(noDomain.output)).not.toEqual(expect.arrayContaining(["hosted_ui_base_url"]));
    expect(Object.keys(noDomain.output).filter((name) => /hosted_ui|endpoint/.test(name))).toEqual([]);
    expect(noDomain.output.issuer.value).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`);
  });

  test("a stack that creates its pool still needs domainPrefix", () => {
    expect(issuesOf((d) => delete d.userPool.domainPrefix)).toEqual([expect.objectContaining({ path: "userPool.domainPrefix" })]);
  });
});

describe("the hand-off of a stack attached to an existing pool", () => {
  test("writes the region precondition into the grants table's lifecycle block", async () => {
    const { tf } = synthStack(exampleConfig(attach));
    const main = (await terraformFiles(tf, "scopegate-example"))["main.tf"];
    expect(main).toContain(
      [
        "  lifecycle {",
        "    precondition {",
        '      condition     = (var.aws_region == "us-east-1")',
        `      error_message = "The user pool ${ARN} (userPool.existing.arn) is in region us-east-1; plan with aws_region = \\"us-east-1\\" (a stack attaches only to a pool in its own region)."`,
        "    }",
        "  }",
      ].join("\n"),
    );
    expect(main).not.toContain('resource "aws_cognito_user_pool" ');
  });
});

describe("the hand-off of an attached stack", () => {
  test("people who already exist in the pool are granted, not created: the hand-off's same-input check expects no aws_cognito_user for them", () => {
    const config = exampleConfig(attach);
    const { tf } = synthStack(config);
    expect(Object.values(resourcesOf(tf, CognitoUser.tfResourceType)).map((u: any) => u.username)).toEqual(["bob"]);
    expect(() => checkSameInput(config, tf, "cdktf.out", "attached.json")).not.toThrow();
    // and a user the model says is created but cdk.tf.json does not create is still caught
    const claimed = {
      ...config,
      users: config.users.map((u) =>
        u.username === "alice" ? { username: "alice", email: "a@example.com", groups: [], basicAuth: false } : u,
      ),
    };
    expect(() => checkSameInput(claimed as typeof config, tf, "cdktf.out", "attached.json")).toThrow(
      /users bob but .* has the users alice, bob/,
    );
  });
});
