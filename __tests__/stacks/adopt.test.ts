import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { PROJECT_ROOT, runSynth } from "../../testing/app";
import { exampleDocument } from "../../testing/config";
import { exampleConfig, resourceAt, synthStack } from "../../testing/synth";
import { ADOPTED_CLIENT_IGNORED_ATTRIBUTES } from "../../stacks/constructs/app-client";
import { ADOPTED_POOL_IGNORED_ATTRIBUTES } from "../../stacks/constructs/user-pool";
import { ADOPTED_USER_IGNORED_ATTRIBUTES, USER_PASSWORDS_VARIABLE } from "../../stacks/constructs/user-accounts";

const POOL_ID = "us-east-1_AbC123xyZ";

/** The example adopting every Cognito resource it configures. */
const ADOPT_ALL = {
  userPoolId: POOL_ID,
  domain: true,
  resourceServers: ["api.example.com"],
  clients: { web: "1example23456789web", machine: "2example23456789mac", legacy: "3example23456789leg" },
  groups: ["readers", "writers"],
  users: ["alice", "bob", "svc-reports"],
};

function adopting(adopt: unknown): (doc: Record<string, any>) => void {
  return (doc) => {
    doc.adopt = adopt;
  };
}

/** The address an `import` block goes to, of the resource whose construct path ends with `suffix`. */
function addressOf(tf: any, type: string, suffix: string): string {
  const [name] = Object.entries(tf.resource[type]).find(([, body]: [string, any]) => String(body["//"].metadata.path).endsWith(suffix))!;
  return `${type}.${name}`;
}

describe("adopt: import blocks", () => {
  test("GIVEN no adopt section THEN the stack has no import block and the pool ignores nothing", () => {
    const { tf } = synthStack();
    expect(tf.import).toBeUndefined();
    expect(resourceAt(tf, "aws_cognito_user_pool", "user-pool/pool").lifecycle).toBeUndefined();
  });

  test("GIVEN every Cognito resource adopted THEN one import block each, with the provider's import id", () => {
    const { tf } = synthStack(exampleConfig(adopting(ADOPT_ALL)));
    const at = (type: string, suffix: string) => addressOf(tf, type, suffix);
    expect(new Set(tf.import)).toEqual(
      new Set([
        { to: at("aws_cognito_user_pool", "user-pool/pool"), id: POOL_ID },
        { to: at("aws_cognito_user_pool_domain", "user-pool/domain"), id: "scopegate-example-auth" },
        { to: at("aws_cognito_resource_server", "resource-server-api.example.com/server"), id: `${POOL_ID}|api.example.com` },
        { to: at("aws_cognito_user_pool_client", "client-web/client"), id: `${POOL_ID}/1example23456789web` },
        { to: at("aws_cognito_user_pool_client", "client-machine/client"), id: `${POOL_ID}/2example23456789mac` },
        { to: at("aws_cognito_user_pool_client", "client-legacy/client"), id: `${POOL_ID}/3example23456789leg` },
        { to: at("aws_cognito_user_group", "users/group-readers"), id: `${POOL_ID}/readers` },
        { to: at("aws_cognito_user_group", "users/group-writers"), id: `${POOL_ID}/writers` },
        { to: at("aws_cognito_user", "users/user-alice"), id: `${POOL_ID}/alice` },
        { to: at("aws_cognito_user", "users/user-bob"), id: `${POOL_ID}/bob` },
        { to: at("aws_cognito_user", "users/user-svc-reports"), id: `${POOL_ID}/svc-reports` },
      ]),
    );
    expect(tf.import).toHaveLength(11);
  });

  test("GIVEN only the pool adopted THEN only the pool is imported; the rest is created in it", () => {
    const { tf } = synthStack(exampleConfig(adopting({ userPoolId: POOL_ID })));
    expect(tf.import).toEqual([{ to: addressOf(tf, "aws_cognito_user_pool", "user-pool/pool"), id: POOL_ID }]);
  });

  test("adoption changes no resource address: the addresses are those of the same stack without adopt", () => {
    const addresses = (tf: any) =>
      Object.entries(tf.resource).flatMap(([type, byName]: [string, any]) => Object.keys(byName).map((n) => `${type}.${n}`));
    expect(addresses(synthStack(exampleConfig(adopting(ADOPT_ALL))).tf).sort()).toEqual(addresses(synthStack().tf).sort());
  });

  test("an adopted pool keeps what the configuration cannot express (ignore_changes), and nothing else", () => {
    const { tf } = synthStack(exampleConfig(adopting({ userPoolId: POOL_ID })));
    const pool = resourceAt(tf, "aws_cognito_user_pool", "user-pool/pool");
    expect(pool.lifecycle).toEqual({ ignore_changes: [...ADOPTED_POOL_IGNORED_ATTRIBUTES] });
    // The attributes that would replace the pool stay managed: a difference there must show in a plan.
    for (const forcesNew of ["name", "username_attributes", "alias_attributes", "username_configuration"]) {
      expect(ADOPTED_POOL_IGNORED_ATTRIBUTES).not.toContain(forcesNew);
    }
    // Nothing the stack writes is ignored: every ignored attribute is one the stack leaves unset.
    for (const ignored of ADOPTED_POOL_IGNORED_ATTRIBUTES) expect(pool[ignored]).toBeUndefined();
  });

  test("an adopted user gets no password, no email_verified and no invitation; it keeps its attributes and state", () => {
    const { tf } = synthStack(exampleConfig(adopting({ userPoolId: POOL_ID, users: ["alice"] })));
    const alice = resourceAt(tf, "aws_cognito_user", "users/user-alice");
    expect(alice.password).toBeUndefined();
    expect(alice.temporary_password).toBeUndefined();
    expect(alice.attributes).toBeUndefined();
    expect(alice.desired_delivery_mediums).toBeUndefined();
    expect(alice.lifecycle).toEqual({ ignore_changes: [...ADOPTED_USER_IGNORED_ATTRIBUTES] });
    expect(alice.username).toBe("alice");
    // A user the stack creates is as before: its password from the variable, its address verified.
    const bob = resourceAt(tf, "aws_cognito_user", "users/user-bob");
    expect(bob.password).toContain(`var.${USER_PASSWORDS_VARIABLE}`);
    expect(bob.attributes).toEqual({ email: "bob@example.com", email_verified: "true" });
    expect(bob.lifecycle).toBeUndefined();
    // Memberships cannot be imported: the configured ones are created (adding a member twice is no error in Cognito).
    expect(Object.values(tf.resource.aws_cognito_user_in_group).map((m: any) => m["//"].metadata.path.split("/").pop())).toEqual([
      "member-alice-readers",
      "member-bob-writers",
    ]);
  });

  test("an adopted client keeps generate_secret as it is (the import reads none, which would replace the client); a new one does not", () => {
    const { tf } = synthStack(exampleConfig(adopting({ userPoolId: POOL_ID, clients: { machine: "2example23456789mac" } })));
    const machine = resourceAt(tf, "aws_cognito_user_pool_client", "client-machine/client");
    expect(machine.generate_secret).toBe(true);
    expect(machine.lifecycle).toEqual({ ignore_changes: [...ADOPTED_CLIENT_IGNORED_ATTRIBUTES] });
    expect(resourceAt(tf, "aws_cognito_user_pool_client", "client-web/client").lifecycle).toBeUndefined();
  });

  test("with every user adopted, the stack declares no password variable", () => {
    const { tf } = synthStack(exampleConfig(adopting({ userPoolId: POOL_ID, users: ["alice", "bob", "svc-reports"] })));
    expect(tf.variable?.[USER_PASSWORDS_VARIABLE]).toBeUndefined();
    expect(JSON.stringify(tf.resource)).not.toContain(`var.${USER_PASSWORDS_VARIABLE}`);
  });
});

describe("adopt: synth needs no Terraform", () => {
  /** A folder whose `terraform` records each call in `calls.log` and fails. */
  function recordingTerraform(): { bin: string; log: string } {
    const bin = mkdtempSync(join(tmpdir(), "scopegate-fake-tf-"));
    const log = join(bin, "calls.log");
    writeFileSync(join(bin, "terraform"), `#!/bin/sh\necho "terraform $*" >> "${log}"\nexit 1\n`);
    chmodSync(join(bin, "terraform"), 0o755);
    return { bin, log };
  }

  /** PATH without any folder that holds a `terraform`, with `first` in front. */
  function pathWithout(first: string): string {
    const rest = (process.env.PATH ?? "").split(delimiter).filter((dir) => dir !== "" && !existsSync(join(dir, "terraform")));
    return [first, ...rest].join(delimiter);
  }

  test("npm run synth of an adopting configuration succeeds and never runs terraform", () => {
    const { bin, log } = recordingTerraform();
    const doc = exampleDocument();
    doc.adopt = ADOPT_ALL;
    const configFile = join(mkdtempSync(join(tmpdir(), "scopegate-adopt-")), "scopegate.json");
    writeFileSync(configFile, JSON.stringify(doc));
    const run = runSynth({ SCOPEGATE_CONFIG: configFile, PATH: pathWithout(bin) });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(existsSync(log)).toBe(false);
    const tf = JSON.parse(readFileSync(join(run.outdir, "stacks", doc.name, "cdk.tf.json"), "utf8"));
    expect(tf.import).toHaveLength(11);
  }, 120000);

  test("(why) cdktf's own importFrom runs terraform at synth, and fails without it", () => {
    const { bin, log } = recordingTerraform();
    // In a child process: the test's own process.env is not what child_process hands down.
    const script = `
      const { App, TerraformStack } = require("cdktf");
      const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
      const { CognitoUserGroup } = require("@cdktf/provider-aws/lib/cognito-user-group");
      const app = new App({ outdir: process.argv[1] });
      const stack = new TerraformStack(app, "s");
      new AwsProvider(stack, "aws", { region: "us-east-1" });
      new CognitoUserGroup(stack, "g", { userPoolId: "${POOL_ID}", name: "readers" }).importFrom("${POOL_ID}/readers");
      app.synth();`;
    const run = spawnSync(process.execPath, ["-e", script, mkdtempSync(join(tmpdir(), "scopegate-importfrom-"))], {
      cwd: PROJECT_ROOT,
      env: { PATH: pathWithout(bin) },
      encoding: "utf8",
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("Could not determine version of terraform");
    expect(readFileSync(log, "utf8")).toContain("terraform version");
  });
});
