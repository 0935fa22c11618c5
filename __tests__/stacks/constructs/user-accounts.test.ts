import { exampleConfig, resourceAt, resourcesOf, synthStack } from "../../../testing/synth";

describe("UserAccounts", () => {
  const { tf, json } = synthStack();

  test("creates users and their group memberships; a password comes only from the sensitive variable", () => {
    expect(tf.variable.user_passwords).toMatchObject({ type: "map(string)", sensitive: true, default: {} });
    expect(resourceAt(tf, "aws_cognito_user", "users/user-alice")).toMatchObject({
      username: "alice",
      password: '${lookup(var.user_passwords, "alice", null)}',
      desired_delivery_mediums: ["EMAIL"],
      attributes: { email: "alice@example.com", email_verified: "true" },
    });
    expect(Object.values<any>(resourcesOf(tf, "aws_cognito_user_group")).map((g) => g.name)).toEqual(["readers", "writers"]);
    expect(resourceAt(tf, "aws_cognito_user_in_group", "users/member-alice-readers").group_name).toMatch(/^\$\{aws_cognito_user_group\./);
    expect(json).not.toMatch(/"temporary_password"/);
  });

  test("grants name e-mail users by the sub Cognito puts in their access tokens' username", () => {
    const { tf: byEmail } = synthStack(
      exampleConfig((d) => {
        d.userPool.signInWith = "email";
        d.users = [{ username: "alice@example.com", groups: ["readers"] }, { username: "svc-reports@example.com" }];
        d.authorizationTable.grants[0].principal.user = "alice@example.com";
        d.authorizationTable.grants[1].principal.user = "svc-reports@example.com";
        d.appClients[2].basicUsers = ["svc-reports@example.com"];
      }),
    );
    expect(JSON.parse(resourceAt(byEmail, "aws_dynamodb_table_item", "grant-user-alice@example.com").item).principal.S).toMatch(
      /^user#\$\{aws_cognito_user\.users_user-alice[^}]*\.sub\}$/,
    );
  });

  test("declares no password variable without users", () => {
    const { tf: noUsers } = synthStack(
      exampleConfig((d) => {
        d.users = [];
        d.authorizationTable.grants = [d.authorizationTable.grants[2]];
        d.appClients = d.appClients.filter((c: { kind: string }) => c.kind !== "legacy");
      }),
    );
    expect(noUsers.variable.user_passwords).toBeUndefined();
    expect(noUsers.resource.aws_cognito_user).toBeUndefined();
  });
});
