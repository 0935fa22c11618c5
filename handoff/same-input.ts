/**
 * The hand-off describes a synth output with the model each stack was built from (the access matrix,
 * the clients' flows): it first checks that the model says what `cdk.tf.json` creates (an output
 * edited by hand would not), so `HANDOFF.md` never names a user, client, scope or route that
 * `main.tf` does not create.
 *
 * @packageDocumentation
 */
import type { ScopegateConfig } from "../stacks/config/model";
import { scopeIdentifier } from "../core/scopes";
import { isJsonObject } from "../core/json";
import { managedResources, parseReference, stackBlocks } from "../core/terraform-json/document";
import { HandoffError } from "./errors";

/** One fact compared: what it is called in messages, and its values on each side, sorted. */
interface Compared {
  readonly what: string;
  readonly synthesized: readonly string[];
  readonly configured: readonly string[];
}

/** The managed resources of one type in the Terraform JSON, as written (read by the shared `stackBlocks`). */
function bodies(tf: Readonly<Record<string, unknown>>, type: string): Record<string, unknown>[] {
  return stackBlocks(tf).flatMap((block) => (block.mode === "managed" && block.type === type ? [block.config] : []));
}

function strings(values: readonly unknown[]): string[] {
  return values.filter((v): v is string => typeof v === "string").sort();
}

/** The usernames of the `aws_cognito_user` resources, sorted: who `main.tf` creates. */
export function synthesizedUsers(tf: Readonly<Record<string, unknown>>): { username: string; email?: string }[] {
  return bodies(tf, "aws_cognito_user")
    .filter((user) => typeof user.username === "string")
    .map((user) => {
      const attributes = isJsonObject(user.attributes) ? user.attributes : {};
      return { username: user.username as string, ...(typeof attributes.email === "string" ? { email: attributes.email } : {}) };
    })
    .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
}

/**
 * The users `main.tf` creates: {@link synthesizedUsers} without those an `import` block imports
 * (adopted users exist already: no password or invitation is theirs).
 */
export function createdUsers(tf: Readonly<Record<string, unknown>>): { username: string; email?: string }[] {
  const resources = managedResources(tf);
  const blocks = Array.isArray(tf.import) ? (tf.import as unknown[]) : [];
  const imported = new Set(
    blocks
      .filter(isJsonObject)
      .map((block) => block.to)
      .filter((to): to is string => typeof to === "string" && to.startsWith("aws_cognito_user."))
      .map((to) => resources.get(to))
      .filter((user) => user !== undefined)
      .map((user) => user.username),
  );
  return synthesizedUsers(tf).filter((user) => !imported.has(user.username));
}

/** `METHOD /path` of every API Gateway method, its path rebuilt from the resources' `path_part`s. */
function synthesizedRoutes(tf: Readonly<Record<string, unknown>>): string[] {
  const resources = managedResources(tf);
  const pathOf = (value: unknown, depth = 0): string => {
    const reference = parseReference(value);
    const isSegment = reference?.mode === "managed" && reference.type === "aws_api_gateway_resource" && reference.attribute === "id";
    const segment = isSegment ? resources.get(`aws_api_gateway_resource.${reference.name}`) : undefined;
    if (segment === undefined || depth > 64) return "";
    return `${pathOf(segment.parent_id, depth + 1)}/${String(segment.path_part)}`;
  };
  return bodies(tf, "aws_api_gateway_method")
    .map((method) => `${String(method.http_method)} ${pathOf(method.resource_id) || "/"}`)
    .sort();
}

/** What `cdk.tf.json` and the configuration each say of the names `HANDOFF.md` shows. */
function compared(config: ScopegateConfig, tf: Readonly<Record<string, unknown>>): Compared[] {
  const variable = isJsonObject(tf.variable) && isJsonObject(tf.variable.aws_region) ? tf.variable.aws_region : {};
  return [
    { what: "region", synthesized: strings([variable.default]), configured: [config.region] },
    {
      what: "users",
      synthesized: synthesizedUsers(tf).map((u) => u.username),
      // People who already exist in an attached pool are granted, not created (no aws_cognito_user).
      configured: config.users
        .filter((u) => u.existing !== true)
        .map((u) => u.username)
        .sort(),
    },
    {
      what: "groups",
      synthesized: strings(bodies(tf, "aws_cognito_user_group").map((g) => g.name)),
      configured: config.groups.map((g) => g.name).sort(),
    },
    {
      what: "app clients",
      synthesized: strings(bodies(tf, "aws_cognito_user_pool_client").map((c) => c.name)),
      configured: config.appClients.map((c) => `${config.name}-${c.name}`).sort(),
    },
    {
      what: "scopes",
      synthesized: bodies(tf, "aws_cognito_resource_server")
        .flatMap((server) =>
          (Array.isArray(server.scope) ? server.scope : []).map((s) =>
            scopeIdentifier(String(server.identifier), String(isJsonObject(s) ? s.scope_name : "")),
          ),
        )
        .sort(),
      configured: config.resourceServers.flatMap((server) => server.scopes.map((s) => scopeIdentifier(server.identifier, s.name))).sort(),
    },
    {
      what: "routes",
      synthesized: synthesizedRoutes(tf),
      configured: config.api.routes.map((r) => `${r.method} ${r.path}`).sort(),
    },
  ];
}

/**
 * Refuses a configuration that is not the one the stack was synthesized from.
 *
 * @param synthOutLabel - the synth output as the user named it
 * @param source - the configuration as the user named it
 * @throws HandoffError `ERR_HANDOFF_STALE` naming the first fact that differs, with both sides
 */
export function checkSameInput(
  config: ScopegateConfig,
  tf: Readonly<Record<string, unknown>>,
  synthOutLabel: string,
  source: string,
): void {
  for (const { what, synthesized, configured } of compared(config, tf)) {
    if (synthesized.join("\n") === configured.join("\n")) continue;
    const list = (values: readonly string[]) => (values.length === 0 ? `no ${what}` : `the ${what} ${values.join(", ")}`);
    throw new HandoffError(
      "ERR_HANDOFF_STALE",
      `stack ${config.name}: ${synthOutLabel} was synthesized with ${list(synthesized)} but the configuration (${source}) has ${list(configured)}: run "npm run synth" with the same configuration first`,
    );
  }
}
