/**
 * `npm run review`: see `npm run review -- --help` and review/cli.ts.
 *
 * @packageDocumentation
 */
import { exitWith } from "../core/cli";
import { runReviewCli } from "../review/cli";

exitWith(() => runReviewCli(process.argv.slice(2)));
