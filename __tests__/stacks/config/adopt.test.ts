import { parseConfig } from "../../../stacks/config/parse";
import { configIssues, exampleDocument } from "../../../testing/config";

const POOL_ID = "us-east-1_AbCdEf123";

function withAdopt(adopt: unknown, change: (doc: Record<string, any>) => void = () => {}): Record<string, any> {
  const doc = exampleDocument();
  doc.adopt = adopt;
  change(doc);
  return doc;
}

describe("adopt", () => {
  test("is absent by default: every Cognito resource is created", () => {
    expect(parseConfig(exampleDocument(), "example").adopt).toBeUndefined();
  });

  test("reads the pool id and the configured names that exist already, with defaults for the rest", () => {
    const full = {
      userPoolId: POOL_ID,
      domain: true,
      resourceServers: ["api.example.com"],
      clients: { web: "1example23456789", machine: "abc_def+1" },
      groups: ["readers"],
      users: ["alice", "svc-reports"],
    };
    expect(parseConfig(withAdopt(full), "x").adopt).toEqual(full);
    expect(parseConfig(withAdopt({ userPoolId: POOL_ID }), "x").adopt).toEqual({
      userPoolId: POOL_ID,
      domain: false,
      resourceServers: [],
      clients: {},
      groups: [],
      users: [],
    });
  });

  test.each([
    ["an emulator's id", "local_abc"],
    ["an ARN", `arn:aws:cognito-idp:us-east-1:111122223333:userpool/${POOL_ID}`],
    ["a non-string", 7],
  ])("refuses a pool id that is %s, naming the field and the value", (_what, userPoolId) => {
    const issues = configIssues(withAdopt({ userPoolId }));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe("adopt.userPoolId");
    expect(issues[0]!.message).toContain(JSON.stringify(userPoolId));
  });

  test("refuses a pool of another region, and a pool that is also attached", () => {
    expect(configIssues(withAdopt({ userPoolId: "eu-west-1_AbC" }))).toEqual([
      {
        path: "adopt.userPoolId",
        message:
          'the pool is in region "eu-west-1" but the stack\'s region is "us-east-1", got "eu-west-1_AbC"; set region to the pool\'s region',
      },
    ]);
    const attached = configIssues(
      withAdopt({ userPoolId: POOL_ID }, (doc) => {
        doc.userPool = { existing: { arn: `arn:aws:cognito-idp:us-east-1:111122223333:userpool/${POOL_ID}` } };
      }),
    );
    expect(attached.map((i) => i.path)).toEqual(["adopt"]);
    expect(attached[0]!.message).toContain("userPool.existing");
  });

  test("refuses names the configuration does not describe, each at its own path", () => {
    const issues = configIssues(
      withAdopt({
        userPoolId: POOL_ID,
        resourceServers: ["api.example.com", "other.example.com"],
        clients: { web: "abc", nobody: "def", machine: "abc" },
        groups: [7, "admins"],
        users: ["carol"],
      }),
    );
    expect(issues.map((i) => i.path)).toEqual([
      "adopt.resourceServers[1]",
      "adopt.groups[0]",
      "adopt.groups[1]",
      "adopt.users[0]",
      "adopt.clients.nobody",
      "adopt.clients.machine",
    ]);
    expect(issues.find((i) => i.path === "adopt.users[0]")!.message).toBe(
      'user "carol" is not configured; configured: alice, bob, svc-reports; add it to users so the import keeps it, or remove it here',
    );
    expect(issues.find((i) => i.path === "adopt.clients.machine")!.message).toContain('also given for "web"');
  });

  test("refuses a client id Cognito would not issue", () => {
    expect(configIssues(withAdopt({ userPoolId: POOL_ID, domain: "yes", clients: { web: "has space" } }))).toEqual([
      { path: "adopt.domain", message: 'must be true or false, got "yes"' },
      {
        path: "adopt.clients.web",
        message: 'must be the client\'s ClientId from describe-user-pool-client (letters, digits, _ and +), got "has space"',
      },
    ]);
  });
});
