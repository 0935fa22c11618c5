import { App } from "cdktf";
import { CONFIG_ENV, loadConfigs } from "./stacks/config/load";
import { ScopegateStack } from "./stacks/scopegate-stack";
import { buildAuthorizerBundle } from "./stacks/authorizer-bundle";
import { OUTDIR_VARIABLE, checkOutputFolder, describeStacks, synthErrorMessage } from "./stacks/synth-run";

// Composition root: configuration → one stack per environment → Terraform JSON. The configuration is read and
// validated before the App exists (creating it creates the output folder), so an invalid
// configuration leaves nothing behind.
try {
  const configs = loadConfigs({ envPath: process.env[CONFIG_ENV], contextPath: contextValue("configFile") });
  checkOutputFolder(process.env[OUTDIR_VARIABLE]);
  const app = new App();
  let bundle: string | undefined;
  const buildAuthorizer = () => (bundle ??= buildAuthorizerBundle({ minify: true }));
  for (const config of configs) new ScopegateStack(app, config.name, { config, buildAuthorizer });
  app.synth();
  for (const line of describeStacks(app.outdir)) process.stdout.write(`${line}\n`);
} catch (error) {
  process.stderr.write(`${synthErrorMessage(error)}\n`);
  process.exitCode = 1;
}

/** A cdktf context value (the `context` object of cdktf.json), as the CLI hands it to the app. */
function contextValue(key: string): string | undefined {
  const context = JSON.parse(process.env.CDKTF_CONTEXT_JSON ?? "{}") as Record<string, unknown>;
  const value = context[key];
  return typeof value === "string" ? value : undefined;
}
