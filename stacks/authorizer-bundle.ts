/**
 * Bundles the Lambda authorizer (functions/authorizer/handler.ts) into one CommonJS file with jose
 * and `@smithy/signature-v4` inside (the AWS SDK clients are not used by the authorizer). Deterministic: no source maps, no legal comments, no absolute paths
 * or timestamps, so the same checkout always yields the same bytes.
 *
 * `main.ts` builds it during synth; `npm run build:authorizer` (`scripts/build-authorizer.ts`) builds it
 * alone and prints the path written.
 *
 * @packageDocumentation
 */
import * as path from "node:path";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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
}

/** The authorizer's sources, relative to the project root. */
const AUTHORIZER_SOURCES = "functions";

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
  const outdir = path.resolve(PROJECT_ROOT, options.outdir ?? "dist/authorizer");
  const outfile = path.join(outdir, "index.js");
  const buildOptions: BuildOptions = {
    ...AUTHORIZER_BUILD_OPTIONS,
    entryPoints: [...AUTHORIZER_BUILD_OPTIONS.entryPoints],
    mainFields: [...AUTHORIZER_BUILD_OPTIONS.mainFields],
    absWorkingDir: PROJECT_ROOT,
    outfile,
    minify: options.minify ?? false,
    sourcemap: false,
    write: true,
  };
  // The bundle is a pure function of its sources, the locked dependencies, esbuild and these
  // options: when none changed, the file already written is the one a build would write.
  const stamp = path.join(outdir, ".inputs.sha256");
  const inputs = inputsDigest({ ...buildOptions, absWorkingDir: "", outfile: "" });
  if (existsSync(outfile) && existsSync(stamp) && readFileSync(stamp, "utf8") === inputs) return outfile;
  buildSync(buildOptions);
  writeFileSync(stamp, inputs);
  return outfile;
}

/** SHA-256 over everything the bundle depends on. */
function inputsDigest(buildOptions: object): string {
  const hash = createHash("sha256").update(JSON.stringify({ esbuild: esbuildVersion, buildOptions }));
  const files = [...sourceFiles(path.join(PROJECT_ROOT, AUTHORIZER_SOURCES)), path.join(PROJECT_ROOT, "package-lock.json")].sort();
  for (const file of files) hash.update(`\0${path.relative(PROJECT_ROOT, file)}\0`).update(readFileSync(file));
  return hash.digest("hex");
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|js|json)$/.test(entry.name) ? [full] : [];
  });
}
