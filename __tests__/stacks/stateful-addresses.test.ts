/**
 * The Terraform addresses of the example stack's stateful resources are pinned. An address is
 * derived from the construct path (`<type>.<path>_<hash>`), so renaming a construct id, or moving a
 * construct under another parent, gives the resource a new address: Terraform then plans to destroy
 * the resource at the old address and create an empty one at the new. For the resources below that
 * destroys something no configuration can bring back.
 *
 * Stateful here means: a replacement loses data, or an identifier or secret that people and
 * applications outside Terraform hold.
 * - user pool: every user's password, MFA device and attributes; the pool id in every token's issuer.
 * - users: a user created again gets a new `sub`, loses the password they chose and their MFA device.
 * - app clients: a new client id and secret; every application configured with the old ones fails.
 * - grants table: the items written outside Terraform, and the point-in-time recovery history.
 * - log groups: every log event (access logs, execution logs, the authorizer's decisions).
 * - REST API: a new API id, so a new invoke URL for every caller.
 * Not pinned, because Terraform recreates them whole from the configuration: the user pool domain
 * (the same prefix is claimed again; nothing is stored in it), resource servers, groups and group
 * memberships, the grants items of the configuration, the authorizer function, roles and policies,
 * the API's resources, methods, deployment and stage, and the WAF web ACL.
 */
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Testing } from "cdktf";
import { ScopegateStack } from "../../stacks/scopegate-stack";
import { exampleConfig, stubBundle } from "../../testing/synth";

/** The resource types whose replacement loses something (see above), with what is lost. */
const LOST_ON_REPLACEMENT: Readonly<Record<string, string>> = {
  aws_cognito_user_pool: "every user, password and MFA device, and the pool id in every token's issuer",
  aws_cognito_user: "the user's sub, the password they chose and their MFA device",
  aws_cognito_user_pool_client: "the client id and secret every application is configured with",
  aws_dynamodb_table: "every item written outside Terraform and the point-in-time recovery history",
  aws_cloudwatch_log_group: "every log event in the group",
  aws_api_gateway_rest_api: "the API id in the invoke URL every caller uses",
};

/** The addresses of the example configuration's stateful resources, by construct path. */
const PINNED: Readonly<Record<string, string>> = {
  "user-pool/pool": "aws_cognito_user_pool.user-pool_54D4728B",
  "users/user-alice": "aws_cognito_user.users_user-alice_E441C26C",
  "users/user-bob": "aws_cognito_user.users_user-bob_E3B7CF7A",
  "users/user-svc-reports": "aws_cognito_user.users_user-svc-reports_87D5AAD8",
  "client-web/client": "aws_cognito_user_pool_client.client-web_client_AB33B52B",
  "client-machine/client": "aws_cognito_user_pool_client.client-machine_client_3CFAE2A1",
  "client-legacy/client": "aws_cognito_user_pool_client.client-legacy_client_BC09E1AE",
  "authorization-table/table": "aws_dynamodb_table.authorization-table_4794CD72",
  "authorizer/logs": "aws_cloudwatch_log_group.authorizer_logs_73C65530",
  "rest-api/access-logs": "aws_cloudwatch_log_group.rest-api_access-logs_F07FF424",
  "rest-api/execution-logs": "aws_cloudwatch_log_group.rest-api_execution-logs_6BE510E4",
  "rest-api/api": "aws_api_gateway_rest_api.rest-api_1547DDCA",
};

/**
 * Every resource of a stateful type in the synthesized example stack: construct path → address.
 * `change` runs on the stack before synthesis.
 */
function statefulAddresses(change: (stack: ScopegateStack) => void = () => undefined): Map<string, string> {
  const config = exampleConfig();
  const stack = new ScopegateStack(Testing.app(), config.name, { config, buildAuthorizer: stubBundle });
  change(stack);
  const tf = JSON.parse(JSON.stringify(stack.toTerraform()));
  const addresses = new Map<string, string>();
  for (const [type, resources] of Object.entries<Record<string, any>>(tf.resource)) {
    if (!(type in LOST_ON_REPLACEMENT)) continue;
    for (const [id, resource] of Object.entries(resources)) {
      const path = String(resource["//"].metadata.path).slice(`${stack.node.id}/`.length);
      addresses.set(path, `${type}.${id}`);
    }
  }
  return addresses;
}

/** What goes wrong, in words a reviewer acts on; empty when every address is the pinned one. */
function addressProblems(actual: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const pinned = new Set(Object.values(PINNED));
  for (const [path, address] of Object.entries(PINNED)) {
    const type = address.slice(0, address.indexOf("."));
    if (actual.get(path) === address) continue;
    const now = [...actual.entries()].filter(([, a]) => a.startsWith(`${type}.`) && !pinned.has(a)).map(([p, a]) => `${a} (${p})`);
    problems.push(
      `${address} (${path}) is gone${now.length > 0 ? `; new: ${now.join(", ")}` : ""}. terraform apply would destroy it and create ` +
        `an empty one, losing ${LOST_ON_REPLACEMENT[type]}. Keep the construct id and parent, or move the state in the same ` +
        `change (resource.moveFromId("${address}"), or a moved block / terraform state mv) and update PINNED here.`,
    );
  }
  for (const [path, address] of actual) {
    if (!pinned.has(address) && PINNED[path] === undefined) {
      problems.push(`${address} (${path}) is stateful and not pinned: add it to PINNED once its construct id is final.`);
    }
  }
  return problems;
}

describe("stateful resources of the example configuration", () => {
  it("keep their Terraform addresses", () => {
    expect(addressProblems(statefulAddresses()).join("\n")).toBe("");
  });

  it("names the loss and the fix when the user pool's address changes (the message a construct rename would get)", () => {
    // GIVEN the example stack's addresses as a rename of the pool's construct id "pool" → "userpool" would leave them
    // (which changes its path, and so the address's name and hash)
    const renamed = statefulAddresses();
    renamed.delete("user-pool/pool");
    renamed.set("user-pool/userpool", "aws_cognito_user_pool.user-pool_userpool_0A1B2C3D");
    // THEN the problem says what would be lost and how to keep it
    expect(addressProblems(renamed)).toEqual([
      "aws_cognito_user_pool.user-pool_54D4728B (user-pool/pool) is gone; new: aws_cognito_user_pool.user-pool_userpool_0A1B2C3D " +
        "(user-pool/userpool). terraform apply would destroy it and create an empty one, losing every user, password and MFA " +
        "device, and the pool id in every token's issuer. Keep the construct id and parent, or move the state in the same " +
        'change (resource.moveFromId("aws_cognito_user_pool.user-pool_54D4728B"), or a moved block / terraform state mv) and ' +
        "update PINNED here.",
      "aws_cognito_user_pool.user-pool_userpool_0A1B2C3D (user-pool/userpool) is stateful and not pinned: add it to PINNED " +
        "once its construct id is final.",
    ]);
  });

  it("fails when a stateful resource is not pinned", () => {
    // GIVEN a second table next to the pinned one
    const extra = statefulAddresses((stack) => {
      new DynamodbTable(stack, "archive", { name: "archive", hashKey: "principal", attribute: [{ name: "principal", type: "S" }] });
    });
    // THEN it must be pinned deliberately
    expect(addressProblems(extra)).toEqual([
      "aws_dynamodb_table.archive (archive) is stateful and not pinned: add it to PINNED once its construct id is final.",
    ]);
  });
});
