import { App } from "cdktf";
import { ScopegateError } from "./core/errors";
import { loadConfigs } from "./stacks/config/load";
import { locateConfig } from "./stacks/config/location";
import { ScopegateStack } from "./stacks/scopegate-stack";
import { buildAuthorizerBundle } from "./scripts/build-authorizer";

// Composition root: configuration → one stack per environment → Terraform JSON. The configuration is read and
// validated before the App exists (creating it creates the output folder), so an invalid
// configuration leaves nothing behind.
try {
  const configs = loadConfigs({ envPath: locateConfig(process.env, process.cwd()).path });
  const app = new App();
  let bundle: string | undefined;
  const buildAuthorizer = () => (bundle ??= buildAuthorizerBundle({ minify: true }));
  for (const config of configs) new ScopegateStack(app, config.name, { config, buildAuthorizer });
  app.synth();
} catch (error) {
  if (!(error instanceof ScopegateError)) throw error;
  process.stderr.write(`${error.code}: ${error.message}\n`);
  process.exitCode = 1;
}
