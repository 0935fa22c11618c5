/**
 * Settings that travel in the deployment package instead of the environment: the route table and
 * the JWKS snapshot grow with the API and can pass Lambda's 4 KB limit on the whole environment, so
 * the stack writes them to a JSON file next to the bundle, and the function reads it once at cold
 * start. The stack and the function share this module: the file's name, which variables it holds,
 * its encoding, and the environment limit.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html (4 KB for all variables)
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The file's name, next to `index.js` in the deployment package. */
export const PACKAGED_SETTINGS_FILE = "authorizer-settings.json";

/** The variables the file holds; each is read from the file, never from the environment as well. */
export const PACKAGED_VARIABLES = ["ROUTE_SCOPES", "JWKS_SNAPSHOT"] as const;

/** One of {@link PACKAGED_VARIABLES}. */
export type PackagedVariable = (typeof PACKAGED_VARIABLES)[number];

/** Lambda's limit on all environment variables of a function together, in bytes. */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

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

/** A value Terraform fills in at apply counts this many bytes (Cognito ids are 26, ARNs longer). */
export const UNRESOLVED_VALUE_BYTES = 64;

/** What {@link estimateEnvironmentSize} found. */
export interface EnvironmentSize {
  /** The size Lambda counts: the UTF-8 bytes of every name and value. */
  readonly totalBytes: number;
  /** Each variable's bytes (name and value), largest first. */
  readonly byVariable: readonly (readonly [name: string, bytes: number])[];
}

/**
 * The size of an environment as Lambda counts it, each reference to a value known only at apply
 * (matched by `references`) counted as {@link UNRESOLVED_VALUE_BYTES}.
 *
 * @param variables - the environment
 * @param references - the form of such references (`${TfToken[…]}` at synth, `${aws_….id}` in the output)
 * @returns the total and each variable's share
 */
export function estimateEnvironmentSize(variables: Readonly<Record<string, string>>, references: RegExp): EnvironmentSize {
  const byVariable = Object.entries(variables)
    .map(
      ([name, value]) =>
        [name, Buffer.byteLength(name) + Buffer.byteLength(value.replace(references, "x".repeat(UNRESOLVED_VALUE_BYTES)))] as const,
    )
    .sort((a, b) => b[1] - a[1]);
  return { totalBytes: byVariable.reduce((total, [, bytes]) => total + bytes, 0), byVariable };
}
