/**
 * `npm run handoff`: see `npm run handoff -- --help` and handoff/cli.ts.
 *
 * @packageDocumentation
 */
import { exitWith } from "../core/cli";
import { runHandoff } from "../handoff/cli";

exitWith(() => runHandoff(process.argv.slice(2)));
