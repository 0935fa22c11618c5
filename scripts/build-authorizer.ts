/**
 * `npm run build:authorizer`: builds the Lambda authorizer's bundle (see `stacks/authorizer-bundle.ts`)
 * and prints the path written, relative to the current folder.
 *
 * @packageDocumentation
 */
import * as path from "node:path";
import { buildAuthorizerBundle } from "../stacks/authorizer-bundle";

const written = buildAuthorizerBundle();
process.stdout.write(`${path.relative(process.cwd(), written)}\n`);
