import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../../stacks/config/errors";
import { loadConfig } from "../../../stacks/config/load";

const fixtures = join(__dirname, "..", "..", "fixtures");

function loadError(source: Parameters<typeof loadConfig>[0]): ConfigError {
  try {
    loadConfig(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected loadConfig to fail");
}

describe("loadConfig", () => {
  test("uses the built-in example when no file is named", () => {
    expect(loadConfig({}).name).toBe("scopegate-example");
    expect(loadConfig({ envPath: "  " }).name).toBe("scopegate-example");
  });

  test("SCOPEGATE_CONFIG wins over the cdktf context, relative to the working folder", () => {
    const config = loadConfig({ envPath: "aws-cli-config.json", contextPath: "missing.json", cwd: fixtures });
    expect(config.name).toBe("from-cli");
  });

  test("reads AWS CLI input files relative to the configuration file", () => {
    // GIVEN a configuration that names CLI input files
    const config = loadConfig({ contextPath: join(fixtures, "aws-cli-config.json") });
    // THEN they are mapped onto the model
    expect(config.resourceServers[0].scopes.map((s) => s.name)).toEqual(["read", "write"]);
    expect(config.appClients.map((c) => `${c.name}:${c.kind}`)).toEqual(["web:browser", "machine:machine", "legacy:legacy"]);
  });

  test("fails when the file does not exist", () => {
    const error = loadError({ envPath: "no-such-file.json", cwd: fixtures });
    expect(error.message).toContain('(file): cannot read "no-such-file.json" (ENOENT)');
  });

  test("fails when the file is not JSON, naming the position", () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-config-"));
    writeFileSync(join(dir, "bad.json"), '{ "name": "x",, }');
    const error = loadError({ envPath: join(dir, "bad.json") });
    expect(error.issues[0].path).toBe("(file)");
    expect(error.issues[0].message).toMatch(/^is not valid JSON: .*position 14/);
  });

  test("fails when an AWS CLI input file is missing, naming the field", () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-config-"));
    writeFileSync(join(dir, "c.json"), JSON.stringify({ name: "x-y", resourceServers: [{ awsCliInputFile: "rs.json" }] }));
    const error = loadError({ envPath: join(dir, "c.json") });
    expect(error.issues).toEqual([
      { path: "resourceServers[0].awsCliInputFile", message: expect.stringContaining('cannot read "rs.json" (ENOENT)') },
    ]);
  });
});
