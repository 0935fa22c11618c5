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

  test.each([
    ["a missing comma", '{\n  "name": "x"\n  "region": "us-east-1"\n}', 3, 3, "Expected ',' or '}' after property value"],
    ["a doubled comma", '{ "name": "x",, }', 1, 15, "Expected double-quoted property name"],
    ["a misspelt literal", '{\n  "name": "x",\n  "userPool": { "deletionProtection": tru}\n}', 3, 42, "Unexpected token '}'"],
    ["Windows line ends", '{\r\n  "name": "x"\r\n  "region": "us-east-1"\r\n}', 3, 3, "Expected ',' or '}' after property value"],
    ["a truncated file", '{ "name": "x"', 1, 14, "Expected ',' or '}' after property value"],
    ["text after the document", '{ "name": "x" } }', 1, 17, "Unexpected non-whitespace character after JSON"],
  ])("fails when the file is not JSON (%s), naming the file, line and column", (_case, text, line, column, reason) => {
    // GIVEN a configuration file with a JSON syntax error
    const dir = mkdtempSync(join(tmpdir(), "scopegate-config-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, text);
    // WHEN loaded
    const error = loadError({ envPath: file });
    // THEN the one problem names where the error is, as an editor would jump to it
    expect(error.issues).toEqual([
      { path: "(file)", message: `is not valid JSON: ${reason} at line ${line}, column ${column} (${file}:${line}:${column})` },
    ]);
  });

  test("fails when an AWS CLI input file is not JSON, naming that file, line and column", () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-config-"));
    writeFileSync(join(dir, "c.json"), JSON.stringify({ name: "x-y", resourceServers: [{ awsCliInputFile: "rs.json" }] }));
    writeFileSync(join(dir, "rs.json"), '{\n  "Identifier": "api.example.com",\n}');
    const error = loadError({ envPath: join(dir, "c.json") });
    expect(error.issues).toEqual([
      {
        path: "resourceServers[0].awsCliInputFile",
        message: "is not valid JSON: Expected double-quoted property name at line 3, column 1 (rs.json:3:1)",
      },
    ]);
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
