import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CheckError } from "../../checks/errors";
import { ERROR_CODES, ScopegateError, isErrorCode } from "../../core/errors";
import { HandoffError } from "../../handoff/errors";
import { MatrixError } from "../../matrix/errors";
import { ReviewError } from "../../review/errors";
import { ConfigError } from "../../stacks/config/errors";
import { ConfigLocationError } from "../../stacks/config/location";
import { PROJECT_ROOT } from "../../testing/app";

/** `help` with every run of whitespace as one space, so wrapped lines read as one. */
const help = readFileSync(join(PROJECT_ROOT, "help"), "utf8").replace(/\s+/g, " ");

describe("ERROR_CODES", () => {
  test.each(Object.entries(ERROR_CODES))("help lists %s with its meaning and fix", (code, info) => {
    expect(help).toContain(` ${code} ${info.meaning}: ${info.fix}`);
  });

  test("help names no code that is not in the table", () => {
    const named = new Set(help.match(/\bERR_[A-Z_]+/g));
    expect([...named].filter((code) => !isErrorCode(code))).toEqual([]);
  });

  test("help lists npm run format and the exit codes of the matrix", () => {
    expect(help).toContain("npm run format");
    expect(help).toMatch(/npm run matrix .* Exit 0 written, 2 could not run/);
  });
});

describe("ScopegateError", () => {
  test.each([
    ["ConfigError", new ConfigError("my.json", [{ path: "name", message: "is required" }]), "ERR_CONFIG_INVALID"],
    ["ConfigLocationError", new ConfigLocationError("SCOPEGATE_CONFIG names x.json, which does not exist"), "ERR_CONFIG_NOT_FOUND"],
    ["CheckError", new CheckError("ERR_CHECK_USAGE", "bad"), "ERR_CHECK_USAGE"],
    ["ReviewError", new ReviewError("ERR_REVIEW_GIT", "bad"), "ERR_REVIEW_GIT"],
    ["HandoffError", new HandoffError("ERR_HANDOFF_STALE", "bad"), "ERR_HANDOFF_STALE"],
    ["MatrixError", new MatrixError("ERR_MATRIX_USAGE", "bad"), "ERR_MATRIX_USAGE"],
  ])("%s is a ScopegateError with its name and a code of the table", (name, error, code) => {
    expect(error).toBeInstanceOf(ScopegateError);
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.code, isErrorCode(error.code)]).toEqual([name, code, true]);
  });
});
