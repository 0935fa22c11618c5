/**
 * Bundles the Lambda authorizer (functions/authorizer/handler.ts) into one CommonJS file with jose
 * and the AWS SDK clients inside. Deterministic: no source maps, no legal comments, no absolute paths
 * or timestamps, so the same checkout always yields the same bytes.
 *
 * CLI: `npm run build:authorizer` prints the path written.
 *
 * @packageDocumentation
 */
import * as path from "node:path";
import { buildSync } from "esbuild";

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

/** The project root (this file lives in `<root>/scripts`). */
const PROJECT_ROOT = path.resolve(__dirname, "..");

/** The bundle's entry point, relative to the project root. */
export const AUTHORIZER_ENTRY_POINT = "functions/authorizer/handler.ts";

/**
 * Builds the authorizer bundle synchronously (esbuild: platform node, target node20, format cjs,
 * everything bundled). The Lambda handler is `index.handler`.
 *
 * @param options - output directory and minification
 * @returns the absolute path of the `index.js` written
 * @throws Error when esbuild reports errors
 */
export function buildAuthorizerBundle(options: BuildAuthorizerOptions = {}): string {
  const outdir = path.resolve(PROJECT_ROOT, options.outdir ?? "dist/authorizer");
  const outfile = path.join(outdir, "index.js");
  buildSync({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [AUTHORIZER_ENTRY_POINT],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: options.minify ?? false,
    sourcemap: false,
    legalComments: "none",
    charset: "utf8",
    logLevel: "silent",
    write: true,
  });
  return outfile;
}

if (require.main === module) {
  const written = buildAuthorizerBundle();
  process.stdout.write(`${path.relative(process.cwd(), written)}\n`);
}
