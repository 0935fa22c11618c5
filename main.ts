import { App } from "cdktf";
import { ConfigError } from "./stacks/config/errors";
import { CONFIG_ENV, loadConfig } from "./stacks/config/load";
import { ScopegateStack } from "./stacks/scopegate-stack";
import { buildAuthorizerBundle } from "./scripts/build-authorizer";

// Composition root: configuration → stack → Terraform JSON. The configuration is read and
// validated once, before anything is written: an invalid one leaves no output behind.
try {
  const app = new App();
  const config = loadConfig({
    envPath: process.env[CONFIG_ENV],
    contextPath: app.node.tryGetContext("configFile") as string | undefined,
  });
  new ScopegateStack(app, config.name, { config, buildAuthorizer: () => buildAuthorizerBundle() });
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.code}: ${error.message}\n`);
  process.exitCode = 1;
}
