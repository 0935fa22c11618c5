import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AWS_PROVIDER_SOURCE, MIRROR_ENV, findProviderMirror, offlineEnvironment, writeOfflineOverride } from "../../review/terraform";

// The offline plan's mirror, environment and override, which run no Terraform; the offline plans
// themselves are in terraform.terraform.test.ts.

describe("finding the provider mirror", () => {
  // A made-up version: a fake mirror must never be mistaken for the real one, here or by the
  // root-filesystem search of other tests running at the same time.
  const VERSION = "0.0.0-review-test";
  const made: string[] = [];
  const empty = () => {
    const dir = mkdtempSync(join(tmpdir(), "scopegate-mirror-"));
    made.push(dir);
    return dir;
  };
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  test("an explicit folder must hold the provider", () => {
    expect(() => findProviderMirror(VERSION, empty())).toThrow(
      /^--plugin-mirror: ".*" holds no registry\.terraform\.io\/hashicorp\/aws\/0\.0\.0-review-test/,
    );
    const mirror = empty();
    mkdirSync(join(mirror, AWS_PROVIDER_SOURCE, VERSION), { recursive: true });
    expect(findProviderMirror(VERSION, mirror)).toBe(mirror);
    expect(findProviderMirror(VERSION, undefined, { [MIRROR_ENV]: mirror })).toBe(mirror);
  });

  test("the environment installs from the mirror only, with mock credentials", () => {
    const work = empty();
    const env = offlineEnvironment(work, "/mirror", { AWS_PROFILE: "prod", AWS_SESSION_TOKEN: "t", PATH: "/bin" });
    expect(env).toMatchObject({
      AWS_ACCESS_KEY_ID: "mock-access-key",
      TF_IN_AUTOMATION: "1",
      PATH: "/bin",
      TF_CLI_CONFIG_FILE: join(work, "terraform.rc"),
    });
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(readFileSync(join(work, "terraform.rc"), "utf8")).toContain('path    = "/mirror"');
  });

  test("the override skips account lookups and starts from empty local state", () => {
    const dir = empty();
    writeOfflineOverride(dir);
    expect(JSON.parse(readFileSync(join(dir, "offline_override.tf.json"), "utf8"))).toEqual({
      terraform: { backend: { local: { path: "offline-review.tfstate" } } },
      provider: {
        aws: {
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: "true",
          skip_region_validation: true,
        },
      },
    });
  });
});
