import { App } from "cdktf";
import { resolve } from "node:path";
import { loadConfigs } from "./stacks/config/load";
import { EXAMPLE_CONFIG_PATH, locateConfig, userFolder } from "./stacks/config/location";
import { ScopegateStack } from "./stacks/scopegate-stack";
import { buildAuthorizerBundle } from "./stacks/authorizer-bundle";
import {
  OUTDIR_VARIABLE,
  cedarTwinsOf,
  checkOutputFolder,
  configurationName,
  describeStacks,
  synthErrorMessage,
  writeCedarTwins,
  writeStackModels,
} from "./stacks/synth-run";

// Composition root: configuration → one stack per environment → Terraform JSON. The configuration is read and
// validated before the App exists (creating it creates the output folder), so an invalid
// configuration leaves nothing behind.
try {
  const projectDir = process.cwd();
  const from = userFolder(process.env, projectDir);
  const configPath = locateConfig(process.env, from).path;
  const configs = loadConfigs({ envPath: configPath, cwd: from });
  const twins = cedarTwinsOf(configs);
  checkOutputFolder(process.env[OUTDIR_VARIABLE]);
  const app = new App();
  let bundle: string | undefined;
  const buildAuthorizer = () => (bundle ??= buildAuthorizerBundle({ minify: true }));
  for (const config of configs) new ScopegateStack(app, config.name, { config, buildAuthorizer });
  app.synth();
  const configuration = configPath === undefined ? EXAMPLE_CONFIG_PATH : configurationName(resolve(from, configPath), projectDir);
  writeStackModels(app.outdir, new Map(configs.map((config) => [config.name, config])), configuration);
  writeCedarTwins(app.outdir, twins);
  for (const line of describeStacks(app.outdir)) process.stdout.write(`${line}\n`);
} catch (error) {
  process.stderr.write(`${synthErrorMessage(error)}\n`);
  process.exitCode = 1;
}
