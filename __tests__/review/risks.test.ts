import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SynthOutput } from "../../review/load";
import { RISK_RULES } from "../../review/risks";
import { editOutput, flagged, resourceIn, reviewOutputs, ruleList, synthOutputOf } from "../../testing/review";
import { exampleConfig } from "../../testing/synth";

const STACK = "scopegate-example";
let example: SynthOutput;

beforeAll(() => {
  example = synthOutputOf();
});

/** The example with a configuration change, synthesized as `npm run synth` would. */
const withConfig = (mutate: (doc: Record<string, any>) => void) => synthOutputOf(exampleConfig(mutate));
const actions = (review: ReturnType<typeof reviewOutputs>) =>
  review.changeSet.stacks.flatMap((s) => s.changes.map((c) => `${c.action} ${c.path}`));

describe("golden cases: real configuration changes", () => {
  test("adding a scope to a client is a medium risk on that client only", () => {
    // GIVEN the web client asking for the write scope too
    const head = withConfig((doc) => doc.appClients[0].scopes.push("api.example.com/write"));
    // WHEN reviewed against the example
    const review = reviewOutputs(example, head);
    // THEN only the client changes, in place, and the new scope is flagged
    expect(actions(review)).toEqual([`change ${STACK}/client-web/client`]);
    expect(ruleList(review.report.flags)).toEqual(["scope-added@medium"]);
    expect(flagged(review.report.flags, "scope-added")).toEqual([
      {
        severity: "medium",
        path: `${STACK}/client-web/client`,
        attribute: "allowed_oauth_scopes",
        summary: "allowed_oauth_scopes gains api.example.com/write",
      },
    ]);
    expect(review.markdown).toContain(
      `| 🟡 medium | \`${STACK}/client-web/client\` | \`allowed_oauth_scopes\` | allowed_oauth_scopes gains \`api.example.com/write\` | Tokens of this client then pass every method that requires the scope. |`,
    );
    // The scope reference to the resource server is shown by its configured value.
    expect(review.markdown).toContain(
      '| `allowed_oauth_scopes` | `["openid","api.example.com/read"]` | `["openid","api.example.com/read","api.example.com/write"]` |',
    );
  });

  test("removing a grant is a low risk naming the principal and the route", () => {
    const head = withConfig((doc) => {
      doc.authorizationTable.grants = doc.authorizationTable.grants.filter((g: any) => g.principal.user !== "alice");
    });
    const review = reviewOutputs(example, head);
    expect(actions(review)).toEqual([`remove ${STACK}/authorization-table/grant-user-alice`]);
    expect(review.report.grants.map((g) => [g.principal, g.kind, g.route])).toEqual([["user#alice", "removed", "GET /resource"]]);
    expect(flagged(review.report.flags, "grant-removed")).toEqual([
      {
        severity: "low",
        path: `${STACK}/authorization-table/grant-user-alice`,
        attribute: "item",
        summary: "user#alice loses GET /resource",
      },
    ]);
    expect(ruleList(review.report.flags)).toEqual(["grant-removed@low"]);
    expect(review.markdown).toContain(`- \`user#alice\` ➖ loses \`GET /resource\` (\`${STACK}/authorization-table/grant-user-alice\`)`);
  });

  test("turning the user pool's deletion protection off is high", () => {
    const review = reviewOutputs(
      example,
      withConfig((doc) => (doc.userPool.deletionProtection = false)),
    );
    expect(actions(review)).toEqual([`change ${STACK}/user-pool/pool`]);
    expect(flagged(review.report.flags, "deletion-protection-off")).toEqual([
      {
        severity: "high",
        path: `${STACK}/user-pool/pool`,
        attribute: "deletion_protection",
        summary: "deletion_protection ACTIVE → INACTIVE (npm run check: SG-USERPOOL-001 medium; the review: high; the higher wins)",
      },
    ]);
    expect(ruleList(review.report.flags)).toEqual(["deletion-protection-off@high"]);
    expect(review.markdown).toContain("| `deletion_protection` | `ACTIVE` | `INACTIVE` |");
  });

  test("adding the implicit flow is high", () => {
    const review = reviewOutputs(
      example,
      withConfig((doc) => (doc.appClients[0].allowImplicitFlow = true)),
    );
    expect(flagged(review.report.flags, "implicit-flow-added")).toEqual([
      {
        severity: "high",
        path: `${STACK}/client-web/client`,
        attribute: "allowed_oauth_flows",
        summary: "allowed_oauth_flows gains implicit (also SG-APPCLIENT-003 in npm run check)",
      },
    ]);
    expect(ruleList(review.report.flags)).toEqual(["implicit-flow-added@high"]);
  });

  test("signing in with e-mail replaces the user pool: critical, and everything in the pool follows", () => {
    // GIVEN users that sign in with their e-mail address
    const head = withConfig((doc) => {
      doc.userPool.signInWith = "email";
      for (const user of doc.users) user.username = user.email ?? `${user.username}@example.com`;
      doc.authorizationTable.grants = doc.authorizationTable.grants.filter((grant: any) => grant.principal.user !== "svc-reports");
      for (const grant of doc.authorizationTable.grants) if (grant.principal.user) grant.principal.user = "alice@example.com";
      doc.appClients[2].basicUsers = ["svc-reports@example.com"];
    });
    // WHEN reviewed with --fail-on critical
    const review = reviewOutputs(example, head, "critical");
    const pool = review.changeSet.stacks[0].changes.find((c) => c.path === `${STACK}/user-pool/pool`);
    // THEN the pool is replaced because of username_attributes, the review fails, and the clients,
    // the resource server and the domain are replaced through user_pool_id
    expect(pool).toMatchObject({ action: "replace", replacedBecause: ["username_attributes"] });
    expect(review.exitCode).toBe(1);
    expect(review.summary).toMatchObject({ highestSeverity: "critical", failed: true });
    expect(flagged(review.report.flags, "user-pool-destroyed")).toEqual([
      {
        severity: "critical",
        path: `${STACK}/user-pool/pool`,
        attribute: "username_attributes",
        summary:
          "replaced (forced by username_attributes); deletion protection is ACTIVE, so apply stops at the delete until it is turned off",
      },
    ]);
    expect(flagged(review.report.flags, "app-client-destroyed").map((f) => [f.path, f.severity, f.attribute])).toEqual([
      [`${STACK}/client-legacy/client`, "high", "user_pool_id"],
      [`${STACK}/client-machine/client`, "high", "user_pool_id"],
      [`${STACK}/client-web/client`, "high", "user_pool_id"],
    ]);
    expect(ruleList(review.report.flags)).toEqual(
      expect.arrayContaining([
        "resource-server-destroyed@high",
        "hosted-ui-domain-replaced@medium",
        "grant-added@medium",
        "grant-removed@low",
      ]),
    );
    const client = review.changeSet.stacks[0].changes.find((c) => c.path === `${STACK}/client-web/client`);
    expect(client?.attributes).toEqual([
      {
        path: "user_pool_id",
        before: "${aws_cognito_user_pool.user-pool_54D4728B.id}",
        after: "(known after apply)",
        forcesReplacement: true,
        cause: `${STACK}/user-pool/pool is replaced`,
      },
    ]);
    // The authorizer learns the new pool's id only at apply.
    expect(actions(review)).toContain(`change ${STACK}/authorizer/function`);
    expect(review.markdown).toContain("**Highest risk: 🔴 critical**");
    expect(review.markdown).toContain('| `username_attributes` ⚠️ forces replacement | `[]` | `["email"]` |');
    expect(review.markdown).toContain(
      `| \`user_pool_id\` ⚠️ forces replacement<br><sub>because \`${STACK}/user-pool/pool\` is replaced</sub> | \`\${user-pool/pool.id}\` | _(known after apply)_ |`,
    );
    // The grant's new principal is the user's sub, named by construct path.
    expect(review.markdown).toContain("- `user#${users/user-alice@example.com.sub}` ➕ gains `GET /resource`");
    expect(review.markdown).toContain("it **fails**");
  });

  test("moving a route from the lambda guard to the cognito guard changes its authorizer: high", () => {
    // GIVEN POST /resource guarded by Cognito (the machine grant for it must go: it would grant nothing)
    const head = withConfig((doc) => {
      doc.api.routes.find((r: any) => r.method === "POST" && r.path === "/resource").guard = "cognito";
      doc.authorizationTable.grants = doc.authorizationTable.grants.filter((g: any) => !g.principal.client);
    });
    const review = reviewOutputs(example, head);
    expect(flagged(review.report.flags, "method-authorizer-changed")).toEqual([
      {
        severity: "high",
        path: `${STACK}/rest-api/route-POST:resource/method`,
        attribute: "authorization",
        summary: "authorization CUSTOM → COGNITO_USER_POOLS",
      },
    ]);
    expect(ruleList(review.report.flags).sort()).toEqual([
      "authorizer-code-changed@info",
      "grant-removed@low",
      "method-authorizer-changed@high",
    ]);
    // The deployment is replaced (its trigger changes) and the authorizer's route table follows: its
    // package and the settings record change.
    expect(actions(review)).toEqual(
      expect.arrayContaining([
        `replace ${STACK}/rest-api/deployment`,
        `change ${STACK}/authorizer/function`,
        `change ${STACK}/authorizer/settings`,
      ]),
    );
    expect(review.markdown).toContain("| `authorization` | `CUSTOM` | `COGNITO_USER_POOLS` |");
  });

  test("a longer refresh token validity is medium, with units normalized", () => {
    const review = reviewOutputs(
      example,
      withConfig((doc) => (doc.appClients[0].refreshTokenValidityDays = 30)),
    );
    expect(flagged(review.report.flags, "token-validity-longer")).toEqual([
      {
        severity: "medium",
        path: `${STACK}/client-web/client`,
        attribute: "refresh_token_validity",
        summary: "refresh token validity 10 days → 30 days",
      },
    ]);
    expect(ruleList(review.report.flags)).toEqual(["token-validity-longer@medium"]);
  });

  test("designating a person for Basic is a high access change on the authorizer; undesignating an account is low", () => {
    const designated = reviewOutputs(
      example,
      withConfig((doc) => doc.appClients[2].basicUsers.push("alice")),
    );
    expect(flagged(designated.report.flags, "basic-user-designated")).toEqual([
      {
        severity: "high",
        path: `${STACK}/authorizer/function`,
        attribute: "environment.variables.BASIC_USERS",
        summary: "gains designated Basic account alice",
      },
    ]);
    const undesignated = reviewOutputs(
      withConfig((doc) => doc.appClients[2].basicUsers.push("Alice")),
      example,
    );
    expect(flagged(undesignated.report.flags, "basic-user-undesignated")).toEqual([
      {
        severity: "low",
        path: `${STACK}/authorizer/function`,
        attribute: "environment.variables.BASIC_USERS",
        summary: "no longer designates alice",
      },
    ]);
    // AND the same names in another case are the same accounts: no flag
    const recased = reviewOutputs(
      example,
      withConfig((doc) => (doc.appClients[2].basicUsers = ["SVC-Reports"])),
    );
    expect(flagged(recased.report.flags, "basic-user-designated")).toEqual([]);
    expect(flagged(recased.report.flags, "basic-user-undesignated")).toEqual([]);
  });

  test("weakening MFA from OPTIONAL to OFF is high", () => {
    const review = reviewOutputs(
      example,
      withConfig((doc) => (doc.userPool.mfa = "OFF")),
    );
    expect(flagged(review.report.flags, "mfa-weakened")).toEqual([
      {
        severity: "high",
        path: `${STACK}/user-pool/pool`,
        attribute: "mfa_configuration",
        summary: "mfa_configuration OPTIONAL → OFF (also SG-USERPOOL-002 in npm run check)",
      },
    ]);
  });

  test("a widened authorizer policy (hand-edited cdk.tf.json) is high and names the wildcards", () => {
    // GIVEN the authorizer's policy edited by hand: any DynamoDB action, and S3 on every resource
    const head = editOutput(example, (tf) => {
      const policy = resourceIn(tf, "aws_iam_role_policy", "authorizer/policy");
      const document = JSON.parse(policy.policy);
      document.Statement[0].Action = ["dynamodb:*"];
      document.Statement.push({ Sid: "Objects", Effect: "Allow", Action: "s3:GetObject", Resource: "*" });
      policy.policy = JSON.stringify(document);
    });
    const review = reviewOutputs(example, head);
    const [flag] = flagged(review.report.flags, "iam-policy-widened");
    expect(flag).toMatchObject({ severity: "high", path: `${STACK}/authorizer/policy`, attribute: "policy" });
    expect(flag.summary).toMatch(
      /^now allows dynamodb:\* on \$\{aws_dynamodb_table\.[\w-]+\.arn\}; s3:GetObject on \* \(2 with a wildcard\) \(also SG-IAM-001, SG-IAM-002, SG-IAM-005 in npm run check\)$/,
    );
    expect(ruleList(review.report.flags)).toEqual(["iam-policy-widened@high"]);
    // The Markdown shows the policy as a JSON diff, references named by construct path.
    expect(review.markdown).toContain("```diff");
    expect(review.markdown).toContain('+         "dynamodb:*"');
    expect(review.markdown).toContain('-         "dynamodb:GetItem"');
    expect(review.markdown).toContain(
      "now allows `dynamodb:*` on `${authorization-table/table.arn}`; `s3:GetObject` on `*` (2 with a wildcard)",
    );
  });
});

describe("the authorizer role's one write (the failed Basic sign-in counters)", () => {
  /** The example with the authorizer's policy edited by hand. */
  const withPolicy = (edit: (statements: Record<string, any>[]) => void) =>
    editOutput(example, (tf) => {
      const policy = resourceIn(tf, "aws_iam_role_policy", "authorizer/policy");
      const document = JSON.parse(policy.policy);
      edit(document.Statement);
      policy.policy = JSON.stringify(document);
    });
  const counterStatement = (statements: Record<string, any>[]) => statements.find((statement) => statement.Sid === "CountFailedSignIns")!;

  test("GIVEN a stack from before the counters THEN adding the statement is flagged once, high, as UpdateItem with its condition: the change is on purpose, not silent", () => {
    const base = withPolicy((statements) => statements.splice(statements.indexOf(counterStatement(statements)), 1));
    const review = reviewOutputs(base, example);
    const [flag] = flagged(review.report.flags, "iam-policy-widened");
    expect(flag).toMatchObject({ severity: "high", path: `${STACK}/authorizer/policy` });
    expect(flag!.summary).toMatch(/^now allows dynamodb:UpdateItem on \$\{aws_dynamodb_table\.[\w-]+\.arn\} \(with condition\)$/);
  });

  test("GIVEN the statement as synthesized THEN nothing is flagged", () => {
    expect(flagged(reviewOutputs(example, synthOutputOf()).report.flags, "iam-policy-widened")).toEqual([]);
  });

  test.each([
    [
      "UpdateItem without the LeadingKeys condition (it could then rewrite grants)",
      (statements: Record<string, any>[]) => delete counterStatement(statements).Condition,
    ],
    [
      "the condition widened to every key",
      (statements: Record<string, any>[]) =>
        (counterStatement(statements).Condition["ForAllValues:StringLike"]["dynamodb:LeadingKeys"] = ["*"]),
    ],
    [
      "PutItem added next to UpdateItem",
      (statements: Record<string, any>[]) => counterStatement(statements).Action.push("dynamodb:PutItem"),
    ],
    [
      "DeleteItem under the same condition",
      (statements: Record<string, any>[]) => (counterStatement(statements).Action = ["dynamodb:DeleteItem"]),
    ],
  ])("GIVEN %s THEN it is flagged as a widened policy", (_title, edit) => {
    const review = reviewOutputs(example, withPolicy(edit));
    expect(ruleList(review.report.flags)).toContain("iam-policy-widened@high");
  });
});

describe("each rule on a hand-edited cdk.tf.json", () => {
  type Edit = (tf: any) => void;
  const client = (tf: any) => resourceIn(tf, "aws_cognito_user_pool_client", "client-web/client");
  const method = (tf: any, route: string) => resourceIn(tf, "aws_api_gateway_method", `route-${route}/method`);
  const cases: [string, Edit, string[], Edit?][] = [
    ["user existence errors revealed", (tf) => (client(tf).prevent_user_existence_errors = "LEGACY"), ["user-existence-errors@high"]],
    ["token revocation off", (tf) => (client(tf).enable_token_revocation = false), ["token-revocation-off@high"]],
    ["USER_PASSWORD_AUTH gained", (tf) => client(tf).explicit_auth_flows.push("ALLOW_USER_PASSWORD_AUTH"), ["password-flow-added@high"]],
    [
      "ADMIN_USER_PASSWORD_AUTH gained",
      (tf) => client(tf).explicit_auth_flows.push("ALLOW_ADMIN_USER_PASSWORD_AUTH"),
      ["password-flow-added@medium"],
    ],
    ["a secret generated replaces the client", (tf) => (client(tf).generate_secret = true), ["app-client-destroyed@high"]],
    [
      "a method left without authorization",
      (tf) => {
        const m = method(tf, "GET:reports");
        m.authorization = "NONE";
        delete m.authorizer_id;
        delete m.authorization_scopes;
      },
      ["method-unguarded@critical"],
    ],
    ["a Cognito method without scopes", (tf) => (method(tf, "GET:reports").authorization_scopes = []), ["method-scopes-removed@high"]],
    [
      "a Cognito method accepting another scope",
      (tf) => method(tf, "GET:reports").authorization_scopes.push("api.example.com/write"),
      ["method-scopes-added@medium"],
    ],
    [
      "a Cognito method dropping one of two scopes",
      (tf) => (method(tf, "GET:reports").authorization_scopes = ["api.example.com/read"]),
      ["method-scopes-narrowed@low"],
      (tf) => method(tf, "GET:reports").authorization_scopes.push("api.example.com/write"),
    ],
    [
      "the invoke permission broadened to every authorizer of the API",
      (tf) =>
        (resourceIn(tf, "aws_lambda_permission", "authorizer-invoke").source_arn =
          "${aws_api_gateway_rest_api.rest-api_1547DDCA.execution_arn}/*"),
      ["invoke-permission-widened@high"],
    ],
    [
      "the invoke permission without source_arn",
      (tf) => delete resourceIn(tf, "aws_lambda_permission", "authorizer-invoke").source_arn,
      ["invoke-permission-widened@high"],
    ],
    [
      "the grants table renamed",
      (tf) => (resourceIn(tf, "aws_dynamodb_table", "authorization-table/table").name = "other-grants"),
      ["grants-table-destroyed@high"],
    ],
    [
      "the grants table unprotected",
      (tf) => (resourceIn(tf, "aws_dynamodb_table", "authorization-table/table").deletion_protection_enabled = false),
      ["deletion-protection-off@high"],
    ],
    [
      "a schema attribute changed",
      (tf) => (resourceIn(tf, "aws_cognito_user_pool", "user-pool/pool").schema[0].mutable = false),
      ["user-pool-schema-changed@high"],
      (tf) =>
        (resourceIn(tf, "aws_cognito_user_pool", "user-pool/pool").schema = [
          { name: "tenant", attribute_data_type: "String", mutable: true },
        ]),
    ],
    [
      "a lambda route whose scopes narrow to none",
      (tf) => {
        const input = resourceIn(tf, "terraform_data", "authorizer/settings").input;
        input.ROUTE_SCOPES = { ...input.ROUTE_SCOPES, "POST /resource": [] };
      },
      ["lambda-route-scopes-removed@high"],
    ],
    [
      "the authorizer's code changed",
      (tf) => {
        const fn = resourceIn(tf, "aws_lambda_function", "authorizer/function");
        fn.filename = fn.filename.replace(/\/[0-9A-F]{32}\//, "/00000000000000000000000000000000/");
        fn.source_code_hash = fn.source_code_hash.replace(/\/[0-9A-F]{32}\//, "/00000000000000000000000000000000/");
      },
      ["authorizer-code-changed@info"],
    ],
    [
      "a new client with weak settings",
      (tf) => {
        const copy = {
          ...JSON.parse(JSON.stringify(client(tf))),
          prevent_user_existence_errors: "LEGACY",
          enable_token_revocation: false,
          allowed_oauth_scopes: [],
        };
        copy["//"].metadata.path = `${STACK}/client-extra/client`;
        tf.resource.aws_cognito_user_pool_client["client-extra_client_00000000"] = copy;
      },
      ["token-revocation-off@medium", "user-existence-errors@medium"],
    ],
  ];

  // Every row gets its fourth value: jest would pass `done` in place of a missing one.
  test.each(cases.map(([title, edit, expected, editBase]) => [title, edit, expected, editBase ?? null] as const))(
    "%s",
    (_title, edit, expected, editBase) => {
      const base = editBase !== null ? editOutput(example, editBase) : example;
      const review = reviewOutputs(base, editOutput(base, edit));
      expect(ruleList(review.report.flags).sort()).toEqual(expected);
      for (const flag of review.report.flags) expect(flag.why).toBe(RISK_RULES.find((r) => r.id === flag.rule)?.why);
    },
  );

  test("removing a user, renaming the hosted UI domain and renaming the resource server each flag their resource", () => {
    const head = withConfig((doc) => {
      doc.users = doc.users.filter((u: any) => u.username !== "bob");
      doc.userPool.domainPrefix = "scopegate-example-login";
    });
    const review = reviewOutputs(
      example,
      editOutput(head, (tf) => (resourceIn(tf, "aws_cognito_resource_server", "server").identifier = "api2.example.com")),
    );
    expect(ruleList(review.report.flags)).toEqual(
      expect.arrayContaining(["resource-server-destroyed@high", "hosted-ui-domain-replaced@medium", "user-destroyed@medium"]),
    );
    expect(flagged(review.report.flags, "user-destroyed")).toEqual([
      { severity: "medium", path: `${STACK}/users/user-bob`, attribute: "", summary: "removed" },
    ]);
  });
});

describe("the catalog", () => {
  test("every rule has a unique id, a severity and a one-line reason", () => {
    const ids = RISK_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RISK_RULES) {
      expect(rule.why).toMatch(/^[A-Z].*\.$/);
      expect(rule.why).not.toContain("\n");
      expect(rule.trigger.length).toBeGreaterThan(10);
    }
  });

  test("an unchanged configuration has no changes and no flags", () => {
    const review = reviewOutputs(example, synthOutputOf());
    expect(review.changeSet.stacks).toEqual([]);
    expect(review.report.flags).toEqual([]);
    expect(review.markdown).toContain("No resource changes.");
    expect(review.markdown).toContain("**No risks flagged.**");
  });
});

describe("SG-TF-001: what the head makes Terraform do (the check's rule, applied to the head)", () => {
  const plant = (text: string) =>
    editOutput(example, (tf) => {
      resourceIn(tf, "aws_cognito_resource_server", "server").scope[0].scope_description = text;
    });

  test("a head whose scope description reads a file is flagged critical under the check's id, and fails at --fail-on critical", () => {
    // GIVEN a head with a planted file(...) in a scope description
    const head = plant('Read ${file("/etc/hostname")}');
    // WHEN reviewed against the example at --fail-on critical
    const review = reviewOutputs(example, head, "critical");
    // THEN the description is flagged critical, with the function named, and the review fails
    expect(flagged(review.report.flags, "SG-TF-001")).toEqual([
      {
        severity: "critical",
        path: `${STACK}/resource-server-api.example.com/server`,
        attribute: "scope[0].scope_description",
        summary: "scope[0].scope_description calls file(): it reads a file of the machine that runs Terraform, and a plan can print it",
      },
    ]);
    expect(review.exitCode).toBe(1);
    expect(review.summary).toMatchObject({ highestSeverity: "critical", failed: true });
    expect(review.markdown).toContain(
      "| 🔴 critical | `scopegate-example/resource-server-api.example.com/server` | `scope[0].scope_description` |",
    );
  });

  test("present in the head is flagged, whatever the base held; gone from the head is not", () => {
    // GIVEN the same expression in base and head, and then only in the base
    const planted = plant("${jsonencode(nonsensitive(var.user_passwords))}");
    // WHEN reviewed THEN it is flagged although nothing changed, and not once the head drops it
    const unchanged = reviewOutputs(planted, planted);
    expect(unchanged.changeSet.stacks).toEqual([]);
    expect(unchanged.report.flags.map((f) => f.summary.split(":")[0])).toEqual([
      "scope[0].scope_description calls nonsensitive()",
      "scope[0].scope_description refers to the sensitive var.user_passwords",
    ]);
    expect(ruleList(reviewOutputs(planted, example).report.flags)).not.toContain("SG-TF-001@critical");
  });

  test("a head stack folder with another Terraform file is flagged: Terraform would read it with cdk.tf.json", () => {
    // GIVEN the example's head read from a folder that also holds evil.tf
    const folder = mkdtempSync(join(tmpdir(), "scopegate-review-folder-"));
    writeFileSync(join(folder, "evil.tf"), 'output "x" { value = file("/etc/hostname") }\n');
    const head = { stacks: example.stacks, stackDirs: new Map([[STACK, folder]]) };
    // WHEN reviewed THEN the file is flagged critical
    expect(flagged(reviewOutputs(example, head).report.flags, "SG-TF-001")).toEqual([
      {
        severity: "critical",
        path: "evil.tf",
        attribute: "",
        summary: "evil.tf sits next to cdk.tf.json: Terraform reads it too, and this check does not",
      },
    ]);
    rmSync(folder, { recursive: true, force: true });
  });

  test("the head's own package hash and an escaped literal are not flagged", () => {
    const review = reviewOutputs(example, plant('$${file("x")}'));
    expect(ruleList(review.report.flags)).toEqual([]);
  });
});
