/**
 * `npm run matrix`: see `npm run matrix -- --help` and matrix/cli.ts.
 *
 * @packageDocumentation
 */
import { exitWith } from "../core/cli";
import { runMatrixCli } from "../matrix/cli";

exitWith(() => runMatrixCli(process.argv.slice(2)));
