import { diffSynthOutputs } from "../../review/diff";
import { SynthOutput } from "../../review/load";
import { ResourceChange, SENSITIVE, KNOWN_AFTER_APPLY } from "../../review/model";

/** A one-stack synth output of hand-written resources: `{ "<type>.<name>": config }`. */
function output(resources: Record<string, Record<string, unknown>>, stack = "app"): SynthOutput {
  const tf: { resource: Record<string, Record<string, unknown>> } = { resource: {} };
  for (const [address, config] of Object.entries(resources)) {
    const [type, name] = address.split(".");
    tf.resource[type] ??= {};
    tf.resource[type][name] = { "//": { metadata: { path: `${stack}/${name}` } }, ...config };
  }
  return { stacks: new Map([[stack, tf]]) };
}

const diff = (base: SynthOutput, head: SynthOutput) => diffSynthOutputs(base, head, { kind: "synth-diff", base: "b", head: "h" });
const changes = (base: SynthOutput, head: SynthOutput): ResourceChange[] => diff(base, head).stacks.flatMap((s) => s.changes);
const summary = (list: ResourceChange[]) => list.map((c) => `${c.action} ${c.address}`);

const POOL = { name: "users", username_attributes: [], mfa_configuration: "ON" };
const CLIENT = { name: "web", user_pool_id: "${aws_cognito_user_pool.pool.id}", allowed_oauth_scopes: ["openid", "email"] };

describe("diffSynthOutputs", () => {
  test("matches resources by address: added, removed, unchanged", () => {
    const base = output({ "aws_cognito_user_pool.pool": POOL, "aws_cognito_user_group.old": { name: "old", user_pool_id: "x" } });
    const head = output({ "aws_cognito_user_pool.pool": POOL, "aws_cognito_user_group.new": { name: "new", user_pool_id: "x" } });
    expect(summary(changes(base, head))).toEqual(["add aws_cognito_user_group.new", "remove aws_cognito_user_group.old"]);
    expect(changes(base, head).map((c) => c.path)).toEqual(["app/new", "app/old"]);
  });

  test("an update lists each changed attribute, nested paths included", () => {
    const base = output({ "aws_cognito_user_pool.pool": { ...POOL, password_policy: { minimum_length: 14, require_symbols: true } } });
    const head = output({
      "aws_cognito_user_pool.pool": {
        ...POOL,
        mfa_configuration: "OPTIONAL",
        password_policy: { minimum_length: 12, require_symbols: true },
      },
    });
    const [change] = changes(base, head);
    expect(change).toMatchObject({ action: "change", replacedBecause: [] });
    expect(change.attributes).toEqual([
      { path: "mfa_configuration", before: "ON", after: "OPTIONAL", forcesReplacement: false },
      { path: "password_policy.minimum_length", before: 14, after: 12, forcesReplacement: false },
    ]);
  });

  test("a force-new attribute makes it a replacement, with the attribute named", () => {
    const base = output({ "aws_cognito_user_pool.pool": { ...POOL, username_configuration: { case_sensitive: false } } });
    const head = output({ "aws_cognito_user_pool.pool": { ...POOL, username_configuration: { case_sensitive: true } } });
    expect(changes(base, head)[0]).toMatchObject({ action: "replace", replacedBecause: ["username_configuration.case_sensitive"] });
  });

  test("meta-arguments, list order and unset-versus-empty are not changes", () => {
    const base = output({ "aws_cognito_user_pool_client.web": { ...CLIENT, depends_on: ["a.b"], callback_urls: [] } });
    const head = output({
      "aws_cognito_user_pool_client.web": {
        ...CLIENT,
        allowed_oauth_scopes: ["email", "openid"],
        depends_on: ["c.d"],
        lifecycle: { create_before_destroy: true },
      },
    });
    expect(changes(base, head)).toEqual([]);
  });

  test("a replaced resource makes references to its computed attributes unknown, and replaces through force-new ones", () => {
    // GIVEN a pool replaced, a client in it, and a function that reads the pool id
    const base = output({
      "aws_cognito_user_pool.pool": POOL,
      "aws_cognito_user_pool_client.web": CLIENT,
      "aws_lambda_function.fn": {
        function_name: "fn",
        environment: { variables: { POOL: "${aws_cognito_user_pool.pool.id}", NAME: "${aws_cognito_user_pool.pool.name}" } },
      },
    });
    const head = output({
      "aws_cognito_user_pool.pool": { ...POOL, username_attributes: ["email"] },
      "aws_cognito_user_pool_client.web": CLIENT,
      "aws_lambda_function.fn": {
        function_name: "fn",
        environment: { variables: { POOL: "${aws_cognito_user_pool.pool.id}", NAME: "${aws_cognito_user_pool.pool.name}" } },
      },
    });
    const result = changes(base, head);
    // THEN the client is replaced (user_pool_id), the function only updated; the pool's name is
    // configured and unchanged, so NAME does not change
    expect(summary(result)).toEqual([
      "change aws_lambda_function.fn",
      "replace aws_cognito_user_pool.pool",
      "replace aws_cognito_user_pool_client.web",
    ]);
    const client = result.find((c) => c.type === "aws_cognito_user_pool_client");
    expect(client?.attributes).toEqual([
      {
        path: "user_pool_id",
        before: "${aws_cognito_user_pool.pool.id}",
        after: KNOWN_AFTER_APPLY,
        forcesReplacement: true,
        cause: "app/pool is replaced",
      },
    ]);
    expect(result.find((c) => c.type === "aws_lambda_function")?.attributes.map((a) => a.path)).toEqual(["environment.variables.POOL"]);
  });

  test("references to configured values are resolved, so a renamed table reaches the items that name it", () => {
    const table = (name: string) => ({ name, hash_key: "principal" });
    const item = {
      table_name: "${aws_dynamodb_table.grants.name}",
      hash_key: "${aws_dynamodb_table.grants.hash_key}",
      item: '{"principal":{"S":"user#a"},"routes":{"L":[]}}',
    };
    const result = changes(
      output({ "aws_dynamodb_table.grants": table("old"), "aws_dynamodb_table_item.a": item }),
      output({ "aws_dynamodb_table.grants": table("new"), "aws_dynamodb_table_item.a": item }),
    );
    expect(summary(result)).toEqual(["replace aws_dynamodb_table_item.a", "replace aws_dynamodb_table.grants"]);
    expect(result[0].attributes).toEqual([{ path: "table_name", before: "old", after: "new", forcesReplacement: true }]);
    expect(result[0].after).toMatchObject({ hash_key: "principal" });
  });

  test("secret-named strings are masked in values and in attribute changes", () => {
    const user = (password: string) => ({ username: "alice", user_pool_id: "p", password, attributes: { email: "a@example.com" } });
    const [change] = changes(
      output({ "aws_cognito_user.alice": user("old-Secret-1") }),
      output({ "aws_cognito_user.alice": user("new-Secret-2") }),
    );
    expect(change.attributes).toEqual([{ path: "password", before: SENSITIVE, after: SENSITIVE, forcesReplacement: false }]);
    expect(JSON.stringify(change)).not.toMatch(/Secret-/);
  });

  test("stacks are compared by name: a new stack is all additions", () => {
    const result = diff(output({ "aws_cognito_user_pool.pool": POOL }, "one"), output({ "aws_cognito_user_pool.pool": POOL }, "two"));
    expect(result.stacks.map((s) => [s.name, s.changes.map((c) => c.action)])).toEqual([
      ["one", ["remove"]],
      ["two", ["add"]],
    ]);
  });

  test("says so when it cannot tell whether a type is replaced", () => {
    const result = diff(output({ "aws_s3_bucket.b": { bucket: "a" } }), output({ "aws_s3_bucket.b": { bucket: "b" } }));
    expect(result.notes).toEqual([
      "Whether a change replaces a resource of type aws_s3_bucket is not known without a plan; it is shown as an update.",
    ]);
  });
});
