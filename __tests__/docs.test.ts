import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REASONS } from "../functions/authorizer/reasons";
import { PROJECT_ROOT } from "../testing/app";

const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");

describe("README", () => {
  test("starts with the set-up command and the test command", () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(
      firstBlock
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.replace(/\s+#.*$/, "")),
    ).toEqual(["npm ci && npm run synth", "npm ci && npm test"]);
  });

  test("lists every reason code of the authorizer with its status", () => {
    for (const [code, reason] of Object.entries(REASONS)) {
      expect(readme).toContain(`| \`${code}\` | ${reason.httpStatus} |`);
    }
  });
});
