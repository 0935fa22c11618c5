/**
 * Bundles the Lambda authorizer (functions/authorizer/handler.ts) into one CommonJS file with
 * `@smithy/signature-v4` and jose's `createLocalJWKSet` and `decodeJwt` inside (the AWS SDK clients are not used by the authorizer). Deterministic: no source maps, no legal comments, no absolute paths
 * or timestamps, so the same checkout always yields the same bytes.
 *
 * `main.ts` builds it during synth; `npm run build:authorizer` (`scripts/build-authorizer.ts`) builds it
 * alone and prints the path written.
 *
 * @packageDocumentation
 */
import * as path from "node:path";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { buildSync, version as esbuildVersion, type BuildOptions } from "esbuild";

/** Options of {@link buildAuthorizerBundle}. */
export interface BuildAuthorizerOptions {
  /**
   * Directory to write `index.js` into; a relative path is resolved against the project root.
   *
   * @default "dist/authorizer"
   */
  readonly outdir?: string;
  /**
   * Minify the bundle (smaller, but stack traces in logs are harder to read).
   *
   * @default false
   */
  readonly minify?: boolean;
  /**
   * The project to bundle the authorizer of (a copy, in tests).
   *
   * @default the project this module belongs to
   */
  readonly projectRoot?: string;
}

/** The bundle's entry point, relative to the project root. */
export const AUTHORIZER_ENTRY_POINT = "functions/authorizer/handler.ts";

/**
 * The project root: the nearest folder above this file that holds the authorizer's sources
 * (this file runs from `<root>/stacks`, or bundled into the compiled app under `<root>/dist`).
 */
const PROJECT_ROOT = findProjectRoot(__dirname);

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, AUTHORIZER_ENTRY_POINT))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find ${AUTHORIZER_ENTRY_POINT} above ${start}`);
  }
}

/**
 * The esbuild options of the authorizer bundle, apart from where it is written and minification
 * (the cold-start benchmark reads them to break the bundle down by package).
 *
 * `mainFields` prefers a package's ES module build (`module`) over its CommonJS one (`main`;
 * esbuild's default order for platform node): `@smithy/signature-v4`'s CommonJS build requires
 * whole `@smithy/core` submodules (≈ 140 KB minified), its ES build lets esbuild keep only what
 * the signer uses (≈ 15 KB).
 *
 * @see https://esbuild.github.io/api/#main-fields
 */
export const AUTHORIZER_BUILD_OPTIONS = {
  entryPoints: [AUTHORIZER_ENTRY_POINT],
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  mainFields: ["module", "main"],
  legalComments: "none",
  charset: "utf8",
  logLevel: "silent",
} as const satisfies BuildOptions;

/**
 * Builds the authorizer bundle synchronously ({@link AUTHORIZER_BUILD_OPTIONS}: platform node,
 * target node20, format cjs, everything bundled). The Lambda handler is `index.handler`.
 *
 * @param options - output directory and minification
 * @returns the absolute path of the `index.js` written
 * @throws Error when esbuild reports errors
 */
export function buildAuthorizerBundle(options: BuildAuthorizerOptions = {}): string {
  const root = options.projectRoot ?? PROJECT_ROOT;
  const outdir = path.resolve(root, options.outdir ?? "dist/authorizer");
  const outfile = path.join(outdir, "index.js");
  const buildOptions: BuildOptions = {
    ...AUTHORIZER_BUILD_OPTIONS,
    entryPoints: [...AUTHORIZER_BUILD_OPTIONS.entryPoints],
    mainFields: [...AUTHORIZER_BUILD_OPTIONS.mainFields],
    absWorkingDir: root,
    outfile,
    minify: options.minify ?? false,
    sourcemap: false,
    write: true,
  };
  // The bundle is a pure function of the project files esbuild read (recorded from its metafile at
  // the last build: functions/ and core/ today, whatever they import tomorrow), the locked
  // dependencies, esbuild and these options: when none changed, the file written is the one a build
  // would write. A recorded input that is gone, or an unreadable record, means building again.
  const stamp = path.join(outdir, ".inputs.json");
  const settings = JSON.stringify({ esbuild: esbuildVersion, buildOptions: { ...buildOptions, absWorkingDir: "", outfile: "" } });
  if (existsSync(outfile) && isCurrent(root, stamp, settings)) return outfile;
  const { metafile } = buildSync({ ...buildOptions, metafile: true });
  const inputs = Object.keys(metafile.inputs)
    .filter((input) => !/(^|\/)node_modules\//.test(input))
    .sort();
  const record: BundleRecord = {
    esbuild: esbuildVersion,
    entryPoint: AUTHORIZER_ENTRY_POINT,
    sha256: createHash("sha256").update(readFileSync(outfile)).digest("hex"),
    projectInputs: inputs,
    packages: bundledPackages(root, Object.keys(metafile.inputs)),
  };
  writeFileSync(stamp, JSON.stringify({ inputs, digest: inputsDigest(root, settings, inputs), record }));
  return outfile;
}

/**
 * What a bundle was built from, kept from esbuild's metafile: project-relative paths and package
 * names and versions only, so two checkouts of one commit record the same.
 */
export interface BundleRecord {
  /** The esbuild version that built it. */
  readonly esbuild: string;
  /** The entry point, relative to the project root. */
  readonly entryPoint: string;
  /** SHA-256 (hex) of the `index.js` written. */
  readonly sha256: string;
  /** The project's own modules bundled, relative to the project root, sorted. */
  readonly projectInputs: readonly string[];
  /** The packages bundled (from `node_modules`), by name, with the version installed, sorted by name. */
  readonly packages: readonly { readonly name: string; readonly version: string }[];
}

/**
 * The record of the bundle at `bundleFile`, as its last build wrote it, when that build recorded
 * one and the file is still the one it wrote; else `undefined`.
 */
export function readBundleRecord(bundleFile: string): BundleRecord | undefined {
  try {
    const stamp = JSON.parse(readFileSync(path.join(path.dirname(bundleFile), ".inputs.json"), "utf8")) as { record?: BundleRecord };
    const record = stamp.record;
    if (record === undefined || typeof record.sha256 !== "string") return undefined;
    return createHash("sha256").update(readFileSync(bundleFile)).digest("hex") === record.sha256 ? record : undefined;
  } catch {
    return undefined;
  }
}

/** The packages among esbuild's inputs (`…node_modules/<name>/…`), with the version their package.json holds. */
function bundledPackages(root: string, inputs: readonly string[]): { name: string; version: string }[] {
  const found = new Map<string, string>();
  for (const input of inputs) {
    const at = input.lastIndexOf("node_modules/");
    if (at < 0) continue;
    const parts = input.slice(at + "node_modules/".length).split("/");
    const name = parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
    const manifest = path.join(root, input.slice(0, at), "node_modules", name, "package.json");
    const version = String((JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown }).version);
    const known = found.get(name);
    found.set(name, known === undefined || known === version ? version : [known, version].sort().join(" and "));
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, version]) => ({ name, version }));
}

/** Whether the stamp of the last build records these settings and the inputs as they are now. */
function isCurrent(root: string, stamp: string, settings: string): boolean {
  try {
    const recorded = JSON.parse(readFileSync(stamp, "utf8")) as { inputs?: unknown; digest?: unknown; record?: unknown };
    const inputs = recorded.inputs;
    if (!Array.isArray(inputs) || !inputs.every((input) => typeof input === "string")) return false;
    // A stamp from before the record was kept: build again, so the record is there.
    if (recorded.record === undefined) return false;
    return recorded.digest === inputsDigest(root, settings, inputs);
  } catch {
    return false;
  }
}

/** SHA-256 over everything the bundle depends on: the settings, the lock file and each project input. */
function inputsDigest(root: string, settings: string, inputs: readonly string[]): string {
  const hash = createHash("sha256").update(settings);
  for (const file of ["package-lock.json", ...inputs]) hash.update(`\0${file}\0`).update(readFileSync(path.join(root, file)));
  return hash.digest("hex");
}
