import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigLocationError, locateConfig, namedConfig } from "../../../stacks/config/location";

const context = (value: unknown) => JSON.stringify({ configFile: value });

describe("namedConfig", () => {
  test.each([
    ["nothing: the built-in example", {}, { namedBy: "example", label: "the built-in example" }],
    ["SCOPEGATE_CONFIG", { SCOPEGATE_CONFIG: "a.json" }, { path: "a.json", namedBy: "SCOPEGATE_CONFIG", label: "a.json" }],
    [
      "SCOPEGATE_CONFIG over the context",
      { SCOPEGATE_CONFIG: "a.json", CDKTF_CONTEXT_JSON: context("b.json") },
      { path: "a.json", namedBy: "SCOPEGATE_CONFIG", label: "a.json" },
    ],
    [
      "the context when SCOPEGATE_CONFIG is blank",
      { SCOPEGATE_CONFIG: " ", CDKTF_CONTEXT_JSON: context("b.json") },
      { path: "b.json", namedBy: "configFile", label: "b.json" },
    ],
    [
      "a context configFile that is not a string: ignored",
      { CDKTF_CONTEXT_JSON: context(3) },
      { namedBy: "example", label: "the built-in example" },
    ],
  ])("reads %s", (_title, env, expected) => {
    expect(namedConfig(env)).toEqual(expected);
  });

  test("fails with ERR_CONFIG_NOT_FOUND, not a raw SyntaxError, when CDKTF_CONTEXT_JSON is not JSON", () => {
    expect(() => namedConfig({ CDKTF_CONTEXT_JSON: "{configFile:" })).toThrow(ConfigLocationError);
    expect(() => namedConfig({ CDKTF_CONTEXT_JSON: "{configFile:" })).toThrow(/^CDKTF_CONTEXT_JSON is not JSON \(/);
  });
});

describe("locateConfig", () => {
  test("finds a named file relative to the working folder", () => {
    const cwd = mkdtempSync(join(tmpdir(), "scopegate-locate-"));
    writeFileSync(join(cwd, "my.json"), "{}");
    expect(locateConfig({ SCOPEGATE_CONFIG: "my.json" }, cwd)).toMatchObject({ path: "my.json" });
    expect(locateConfig({}, cwd)).toMatchObject({ namedBy: "example" });
  });

  test("fails with ERR_CONFIG_NOT_FOUND naming the setting, the path and the fix when the file does not exist", () => {
    const cwd = mkdtempSync(join(tmpdir(), "scopegate-locate-"));
    let error: unknown;
    try {
      locateConfig({ CDKTF_CONTEXT_JSON: context("gone.json") }, cwd);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigLocationError);
    expect(error).toMatchObject({
      code: "ERR_CONFIG_NOT_FOUND",
      message: `the cdktf context "configFile" (cdktf.json) names "gone.json", which does not exist in ${cwd}; check the path (relative paths start at the folder you run from), or unset it to use the built-in example`,
    });
  });
});
