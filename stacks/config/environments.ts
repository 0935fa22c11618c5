import { ConfigError, ConfigIssue, show } from "./errors";
import { at } from "./reader";
import { ScopegateConfig } from "./model";
import { parseConfig } from "./parse";
import { configurationTextIssues } from "./text";
import { isJsonObject, type JsonObject } from "../../core/json";

/** Environment names: short, so `<name>-<environment>` stays a valid stack and resource prefix. */
const ENVIRONMENT_NAME = /^[a-z][a-z0-9]{0,9}$/;

/**
 * Validates a configuration document that may define several environments, and returns one
 * configuration per environment (or the single configuration when it defines none).
 *
 * `environments` maps a name to overrides that are merged into the shared document (objects
 * merged key by key, lists and values replaced). Each environment then gets names that cannot
 * collide: the stack and resource prefix `<name>-<environment>`, the hosted-UI domain prefix
 * `<domainPrefix>-<environment>` and, for S3 state, the key `<environment>/<key>`, unless the
 * environment sets them itself; collisions that remain are errors.
 *
 * Every string and key of the whole document first passes the text gate (`text.ts`: no Terraform
 * template sequence, Unicode NFC, names without control characters); its problems are reported
 * together with the sections' own.
 *
 * @throws ConfigError listing every problem of every environment, each path prefixed with it
 */
export function parseConfigs(document: unknown, source: string): readonly ScopegateConfig[] {
  const textIssues = configurationTextIssues(document);
  let configs: readonly ScopegateConfig[];
  try {
    configs = parseSections(document, source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // A text problem the gate names is not named again by the section that reads the field (both
    // name it where it is written).
    const named = new Set(textIssues.map((issue) => issue.path));
    const sectionIssues = error.issues.filter((issue) => !named.has(issue.path));
    throw new ConfigError(source, [...textIssues, ...sectionIssues]);
  }
  if (textIssues.length > 0) throw new ConfigError(source, textIssues);
  return configs;
}

function parseSections(document: unknown, source: string): readonly ScopegateConfig[] {
  if (!isJsonObject(document) || document.environments === undefined) return [parseConfig(document, source)];
  const { environments, ...shared } = document;
  if (!isJsonObject(environments) || Object.keys(environments).length === 0) {
    throw new ConfigError(source, [
      { path: "environments", message: `must map environment names to overrides, got ${show(environments)}` },
    ]);
  }

  const issues: ConfigIssue[] = [];
  const configs: ScopegateConfig[] = [];
  const found = new Map<string, { readonly issue: ConfigIssue; readonly environments: string[] }>();
  for (const [environment, overrides] of Object.entries(environments)) {
    const path = `environments.${environment}`;
    if (!ENVIRONMENT_NAME.test(environment)) {
      issues.push({
        path,
        message: `environment names must match ${ENVIRONMENT_NAME.source} (lowercase letters and digits, at most 10), got ${show(environment)}`,
      });
      continue;
    }
    if (!isJsonObject(overrides)) {
      issues.push({ path, message: `must be an object of overrides (may be empty), got ${show(overrides)}` });
      continue;
    }
    try {
      configs.push(
        parseConfig(merge(withEnvironmentNames(shared, overrides, environment), overrides), `${source} (environment "${environment}")`),
      );
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // Each problem is reported where its value is written: in this environment's overrides
      // (`environments.<name>.<path>`), or in the shared part, once for every environment.
      for (const issue of error.issues) {
        const where = writtenIn(overrides, issue.path) ? at(path, issue.path) : issue.path;
        const seen = found.get(`${where}\u0000${issue.message}`);
        if (seen) seen.environments.push(environment);
        else found.set(`${where}\u0000${issue.message}`, { issue: { ...issue, path: where }, environments: [environment] });
      }
    }
  }
  const all = Object.keys(environments).length;
  for (const { issue, environments: where } of found.values()) {
    // A shared value that is wrong in some environments only (with their overrides) says which.
    const some = !issue.path.startsWith("environments.") && where.length < all;
    issues.push(some ? { ...issue, message: `${issue.message} (in environment ${where.join(", ")})` } : issue);
  }
  issues.push(...collisions(configs));
  if (issues.length > 0) throw new ConfigError(source, issues);
  return configs;
}

/**
 * Whether the value at `path` (as the Reader writes paths: `a.b[0].c`) comes from `overrides`:
 * the overrides hold that field, or replace a list or value it lies in (lists and values are
 * replaced whole by an override, objects merged key by key).
 */
export function writtenIn(overrides: JsonObject, path: string): boolean {
  let node: unknown = overrides;
  let rest = path;
  while (rest !== "") {
    if (!isJsonObject(node)) return true;
    const object = node;
    // The longest key the path goes on with (keys may hold dots: route keys, for example).
    const key = Object.keys(object)
      .filter((k) => rest === k || rest.startsWith(`${k}.`) || rest.startsWith(`${k}[`))
      .sort((a, b) => b.length - a.length)[0];
    if (key === undefined) return false;
    node = object[key];
    rest = rest.slice(key.length).replace(/^\./, "");
    if (rest.startsWith("[")) return true; // a list in the overrides replaces the shared one whole
  }
  return true;
}

/** The shared document with the environment's derived names, where the overrides leave them out. */
function withEnvironmentNames(shared: JsonObject, overrides: JsonObject, environment: string): JsonObject {
  const result: JsonObject = { ...shared };
  if (overrides.name === undefined && typeof shared.name === "string") result.name = `${shared.name}-${environment}`;
  const pool = isJsonObject(shared.userPool) ? shared.userPool : undefined;
  const poolOverride = isJsonObject(overrides.userPool) ? overrides.userPool : {};
  if (pool && typeof pool.domainPrefix === "string" && poolOverride.domainPrefix === undefined) {
    result.userPool = { ...pool, domainPrefix: `${pool.domainPrefix}-${environment}` };
  }
  const backend = isJsonObject(shared.backend) ? shared.backend : undefined;
  const backendOverride = isJsonObject(overrides.backend) ? overrides.backend : {};
  if (backend && backend.type === "s3" && typeof backend.key === "string" && backendOverride.key === undefined) {
    result.backend = { ...backend, key: `${environment}/${backend.key}` };
  }
  return result;
}

/** Names that must differ between environments deployed side by side. */
function collisions(configs: readonly ScopegateConfig[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const check = (what: string, key: (c: ScopegateConfig) => string | undefined) => {
    const seen = new Map<string, string>();
    for (const config of configs) {
      const value = key(config);
      if (value === undefined) continue;
      const other = seen.get(value);
      if (other !== undefined)
        issues.push({
          path: "environments",
          message: `${what} ${show(value)} is used by both "${other}" and "${config.name}"; give each environment its own`,
        });
      else seen.set(value, config.name);
    }
  };
  check("stack name", (c) => c.name);
  check("hosted-UI domain prefix", (c) => c.userPool.domainPrefix);
  check("S3 state object", (c) => (c.backend.type === "s3" ? `s3://${c.backend.bucket}/${c.backend.key}` : undefined));
  return issues;
}

/** Deep merge: objects key by key; lists, strings, numbers and booleans replaced. */
function merge(base: JsonObject, overrides: JsonObject): JsonObject {
  const result: JsonObject = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = result[key];
    result[key] = isJsonObject(current) && isJsonObject(value) ? merge(current, value) : value;
  }
  return result;
}
