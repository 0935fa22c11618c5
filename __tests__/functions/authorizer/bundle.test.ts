import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import * as path from "node:path";
import { buildAuthorizerBundle } from "../../../stacks/authorizer-bundle";

// The authorizer bundle as built; run in node against the local servers in bundle.local.test.ts.

const PROJECT_ROOT = path.resolve(__dirname, "../../..");

let workDir: string;
let bundlePath: string;

beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), "scopegate-authorizer-bundle-test-"));
  bundlePath = buildAuthorizerBundle({ outdir: path.join(workDir, "a") });
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe("the authorizer bundle", () => {
  test("GIVEN a build THEN it is one CommonJS file exporting handler, with no absolute path of this machine and no source map", () => {
    const code = readFileSync(bundlePath, "utf8");
    expect(path.basename(bundlePath)).toBe("index.js");
    expect(code).toMatch(/module\.exports = __toCommonJS\(handler_exports\)/);
    expect(code).not.toMatch(/^\s*import\s.+from\s/m);
    expect(code).not.toContain("sourceMappingURL");
    for (const machinePath of [PROJECT_ROOT, workDir, tmpdir(), homedir()]) {
      expect(code).not.toContain(machinePath);
    }
  });

  test("GIVEN a build THEN it holds the SigV4 signer and none of the AWS SDK clients (the authorizer calls AWS through functions/authorizer/aws)", () => {
    // Not minified: esbuild marks each bundled module with a "// node_modules/<package>/…" comment.
    const code = readFileSync(bundlePath, "utf8");
    expect(code).toContain("// node_modules/@smithy/signature-v4/");
    expect(code).toContain("// functions/authorizer/aws/json-rpc.ts");
    expect(code).not.toContain("// node_modules/@aws-sdk/");
    expect(code).not.toMatch(/DynamoDBClient|CognitoIdentityProviderClient/);
  });

  test("GIVEN a build THEN of the contracts and the shared core it holds only what the authorizer uses: no configuration defaults, no tool's module", () => {
    const code = readFileSync(bundlePath, "utf8");
    const bundled = [...code.matchAll(/^\/\/ ((?!node_modules\/)[\w./-]+\.ts)$/gm)].map((m) => m[1]!);
    expect([...new Set(bundled.filter((file) => !file.startsWith("functions/authorizer/")))].sort()).toEqual([
      "contracts/authorizer-environment.ts",
      "contracts/basic-users.ts",
      "contracts/packaged-settings.ts",
      "core/access.ts",
      "core/defaults.ts",
      "core/grant-item.ts",
      "core/json.ts",
      "core/routes.ts",
      "core/scopes.ts",
    ]);
    // core/defaults.ts is there for the environment's defaults only; the configuration's stay out.
    expect(code).toContain("AUTHORIZER_ENVIRONMENT_DEFAULTS");
    expect(code).not.toContain("CONFIGURATION_DEFAULTS");
    expect(code).not.toContain("ESSENTIALS");
    // Of the contracts, the function carries the decoders; the stack's encoders stay out.
    expect(code).toContain("decodeAuthorizerEnvironment");
    expect(code).not.toContain("encodeAuthorizerEnvironment");
    expect(code).not.toContain("estimateEnvironmentSize");
  });

  test("GIVEN two builds into different directories THEN the bytes are identical (deterministic)", () => {
    const again = buildAuthorizerBundle({ outdir: path.join(workDir, "b") });
    expect(readFileSync(again).equals(readFileSync(bundlePath))).toBe(true);
  });
});
