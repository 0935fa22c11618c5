/**
 * `npm run handoff`: see `npm run handoff -- --help` and handoff/cli.ts.
 *
 * @packageDocumentation
 */
import { exitWith } from "../core/cli";
import { runHandoff } from "../handoff/cli";

exitWith(() =>
  runHandoff(process.argv.slice(2)).then((run) => {
    // The HCL layout's Go runtime (@cdktf/hcl-tools) leaves a timer that would hold the process
    // for about a second after its last use: exit once exitWith has written the output (these
    // callbacks run after everything written before them is flushed), with the code it set.
    setImmediate(() => process.stdout.write("", () => process.stderr.write("", () => process.exit())));
    return run;
  }),
);
