/**
 * Settings that travel in the deployment package instead of the environment: the route table and
 * the JWKS snapshot grow with the API and can pass Lambda's 4 KB limit on the whole environment, so
 * the stack writes them to a JSON file next to the bundle, and the function reads it once at cold
 * start. The stack and the function share this module: the file's encoding and its reading; the
 * file's name and which variables it holds are the environment's (`authorizer-environment.ts`).
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html (4 KB for all variables)
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  AUTHORIZER_VARIABLES,
  encodeJwksSnapshot,
  encodeRouteScopes,
  PACKAGED_SETTINGS_FILE,
  PACKAGED_VARIABLES,
  type JsonWebKeySet,
  type PackagedVariable,
} from "./authorizer-environment";

export { PACKAGED_SETTINGS_FILE, PACKAGED_VARIABLES, type PackagedVariable };

/** The settings the package carries, typed: what the stack decides, before {@link encodePackagedVariables}. */
export interface PackagedSettings {
  /** `ROUTE_SCOPES`: the route table (route key → scopes), as `core/routes.ts`'s `routeScopeTable` builds it. */
  readonly routeScopes: ReadonlyMap<string, readonly string[]>;
  /** `JWKS_SNAPSHOT`: keys taken at deploy time. @default undefined - none */
  readonly jwksSnapshot?: JsonWebKeySet;
}

/**
 * Each packaged variable's value (the text the variable would hold in the environment), as
 * {@link encodePackagedSettings} writes them and the function's decoder reads them.
 *
 * @param settings - the typed settings
 * @returns variable → value, only those set
 */
export function encodePackagedVariables(settings: PackagedSettings): Partial<Record<PackagedVariable, string>> {
  return {
    [AUTHORIZER_VARIABLES.routeScopes]: encodeRouteScopes(settings.routeScopes),
    ...(settings.jwksSnapshot ? { [AUTHORIZER_VARIABLES.jwksSnapshot]: encodeJwksSnapshot(settings.jwksSnapshot) } : {}),
  };
}

/**
 * The file's content: a JSON object of variable → value (the same text the variable would hold),
 * keys in a fixed order, so the same settings give the same bytes.
 *
 * @param settings - values of packaged variables
 * @returns the file's text
 */
export function encodePackagedSettings(settings: Readonly<Partial<Record<PackagedVariable, string>>>): string {
  const ordered = Object.fromEntries(PACKAGED_VARIABLES.flatMap((name) => (settings[name] === undefined ? [] : [[name, settings[name]]])));
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/**
 * Reads the file from a folder (the bundle's own at cold start).
 *
 * @param dir - the folder holding {@link PACKAGED_SETTINGS_FILE}
 * @returns its variables; none when the file is absent (every setting then comes from the environment)
 * @throws Error naming the file when it exists but is not a JSON object of strings
 */
export function readPackagedSettings(dir: string): Record<string, string> {
  const file = join(dir, PACKAGED_SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const valid =
    typeof parsed === "object" &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((value) => typeof value === "string");
  if (!valid)
    throw new Error(
      `${PACKAGED_SETTINGS_FILE} in the deployment package must be a JSON object of strings; rebuild the package with npm run synth`,
    );
  return parsed as Record<string, string>;
}
