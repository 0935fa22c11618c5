/**
 * `npm run check`: see `npm run check -- --help` and checks/cli.ts.
 *
 * @packageDocumentation
 */
import { runCheck } from "../checks/cli";
import { exitWith } from "../core/cli";

exitWith(() => runCheck(process.argv.slice(2)));
