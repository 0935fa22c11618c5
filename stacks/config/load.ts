import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError, show } from "./errors";
import example from "./example.config.json";
import { ScopegateConfig } from "./model";
import { parseConfigs } from "./environments";
import { at } from "./reader";
import { locateJsonSyntaxError } from "./json-location";

/** Environment variable naming a configuration file; overrides the cdktf context `configFile`. */
export const CONFIG_ENV = "SCOPEGATE_CONFIG";

/** Where the configuration comes from, as `main.ts` found it. */
export interface ConfigSource {
  /** Value of `SCOPEGATE_CONFIG`, if set. */
  readonly envPath?: string;
  /** Value of the cdktf context `configFile` (the `context` object of cdktf.json). */
  readonly contextPath?: string;
  /** Folder that relative paths are resolved against. @default process.cwd() */
  readonly cwd?: string;
}

/**
 * Loads and validates the configuration: the file named by `SCOPEGATE_CONFIG` or the context
 * `configFile`, else the built-in example. The only code that reads configuration files.
 *
 * @returns one configuration per environment (one stack each), or the single configuration
 * @throws ConfigError for an unreadable file, malformed JSON, or any invalid field
 */
export function loadConfigs(source: ConfigSource = {}): readonly ScopegateConfig[] {
  const path = nonEmpty(source.envPath) ?? nonEmpty(source.contextPath);
  if (path === undefined) return parseConfigs(example, "the built-in example");
  const file = resolve(source.cwd ?? process.cwd(), path);
  const document = readJson(file, path, "(file)");
  const inlined = inlineAwsCliFiles(document, dirname(file), path);
  try {
    return parseConfigs(document, path);
  } catch (error) {
    if (!(error instanceof ConfigError) || inlined.length === 0) throw error;
    throw new ConfigError(
      path,
      error.issues.map((issue) => ({ ...issue, path: inFile(issue.path, inlined) })),
    );
  }
}

/** Where an AWS CLI input file was inlined: the field that now holds its JSON, and the file as named. */
interface Inlined {
  readonly field: string;
  readonly file: string;
}

/**
 * A problem's path, citing the AWS CLI input file it lies in: `web-client.json#/ClientName`
 * (the file as the configuration names it, and a JSON Pointer into it, RFC 6901) rather than the
 * place the file was inlined at.
 */
function inFile(path: string, inlined: readonly Inlined[]): string {
  for (const { field, file } of inlined) {
    if (path !== field && !path.startsWith(`${field}.`) && !path.startsWith(`${field}[`)) continue;
    const inside = path.slice(field.length).replace(/^\./, "");
    const pointer = inside
      .split(/\.|(?=\[)/)
      .filter((part) => part !== "")
      .map((part) => (/^\[\d+\]$/.test(part) ? part.slice(1, -1) : part.replace(/~/g, "~0").replace(/\//g, "~1")))
      .join("/");
    return `${file}#/${pointer}`;
  }
  return path;
}

/**
 * Loads a configuration that defines no environments (see {@link loadConfigs}).
 *
 * @throws ConfigError as {@link loadConfigs}, or when the file defines several environments
 */
export function loadConfig(source: ConfigSource = {}): ScopegateConfig {
  const configs = loadConfigs(source);
  if (configs.length !== 1) {
    const names = configs.map((c) => c.name).join(", ");
    throw new ConfigError("the configuration", [
      { path: "environments", message: `defines ${configs.length} environments (${names}); this command takes one` },
    ]);
  }
  return configs[0];
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function readJson(file: string, label: string, field: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(label, [
      {
        path: field,
        message: `cannot read ${show(label)} (${code ?? String(error)}); check the path (relative paths start at the folder you run from)`,
      },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const { line, column, reason } = locateJsonSyntaxError(text, error as Error);
    throw new ConfigError(label, [
      { path: field, message: `is not valid JSON: ${reason} at line ${line}, column ${column} (${label}:${line}:${column})` },
    ]);
  }
}

/**
 * Replaces each `awsCliInputFile` (a path relative to the configuration file) with the file's
 * JSON as `awsCliInput`, so parsing stays free of I/O.
 */
function inlineAwsCliFiles(document: unknown, folder: string, label: string): Inlined[] {
  const inlined: Inlined[] = [];
  if (typeof document !== "object" || document === null) return inlined;
  const root = document as Record<string, unknown>;
  for (const listName of ["resourceServers", "appClients"]) {
    const list = root[listName];
    if (!Array.isArray(list)) continue;
    list.forEach((item, index) => {
      if (typeof item !== "object" || item === null || !("awsCliInputFile" in item)) return;
      const entry = item as Record<string, unknown>;
      const fieldPath = at(at(listName, index), "awsCliInputFile");
      const relative = entry.awsCliInputFile;
      if (typeof relative !== "string" || relative === "") {
        throw new ConfigError(label, [{ path: fieldPath, message: `must be a path to a JSON file, got ${show(relative)}` }]);
      }
      if ("awsCliInput" in entry) {
        throw new ConfigError(label, [{ path: fieldPath, message: "give either awsCliInputFile or awsCliInput, not both" }]);
      }
      delete entry.awsCliInputFile;
      entry.awsCliInput = readJson(resolve(folder, relative), relative, fieldPath);
      inlined.push({ field: at(at(listName, index), "awsCliInput"), file: relative });
    });
  }
  return inlined;
}
