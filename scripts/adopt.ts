/**
 * `npm run adopt`: see `npm run adopt -- --help` and adopt/cli.ts.
 *
 * @packageDocumentation
 */
import { exitWith } from "../core/cli";
import { runAdoptCli } from "../adopt/cli";

exitWith(() => runAdoptCli(process.argv.slice(2)));
