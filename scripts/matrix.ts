/**
 * `npm run matrix [-- --out <dir>]`: writes the effective access matrix (who can call what) of the
 * configuration into the synth output folder. See `npm run matrix -- --help` and matrix/.
 *
 * Exit codes: 0 written; 1 the configuration is invalid; 2 wrong usage.
 *
 * @packageDocumentation
 */
import { runMatrixCli } from "../matrix/cli";

const result = runMatrixCli(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.exitCode;
