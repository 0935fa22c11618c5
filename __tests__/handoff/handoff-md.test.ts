import { evaluateStack } from "../../checks/evaluate";
import { FULL_MATRIX_MAX_CELLS, renderHandoffMarkdown } from "../../handoff/handoff-md";
import { cellCount } from "../../matrix/cells";
import { computeAccessMatrix } from "../../matrix/compute";
import { synthesizedUsers } from "../../handoff/same-input";
import { exampleConfig, synthStack } from "../../testing/synth";

/** HANDOFF.md of the example changed by `mutate`. */
function documentOf(mutate: (doc: Record<string, any>) => void = () => undefined): { doc: string; cells: number } {
  const config = exampleConfig(mutate);
  const { tf } = synthStack(config);
  const matrix = computeAccessMatrix(config, { source: "test.json" });
  const checks = evaluateStack({ name: config.name, template: tf, suppressions: config.checks.suppressions, checksFile: true });
  return {
    doc: renderHandoffMarkdown({
      config,
      source: "test.json",
      tf,
      checks,
      matrix,
      requiredTerraform: ">= 1.5.0",
      users: synthesizedUsers(tf),
      origin: {},
    }),
    cells: cellCount(matrix),
  };
}

describe("HANDOFF.md", () => {
  test("shows the full grid of who can call what while it is small", () => {
    const { doc, cells } = documentOf();
    expect(cells).toBeLessThanOrEqual(FULL_MATRIX_MAX_CELLS);
    expect(doc).toContain(
      "| Profile | `GET /resource` (lambda) | `POST /resource` (lambda) | `GET /reports` (cognito) | `POST /reports` (cognito) |",
    );
    expect(doc).not.toContain("Compact form");
  });

  test("switches to the compact form at scale: each access profile with the routes it may call", () => {
    // GIVEN the example with twenty more lambda routes, all granted to alice
    const { doc, cells } = documentOf((d) => {
      for (let i = 0; i < 20; i++)
        d.api.routes.push({ method: "GET", path: `/items${i}`, guard: "lambda", scopes: ["api.example.com/read"] });
      d.authorizationTable.grants[0].routes.push(...Array.from({ length: 20 }, (_, i) => `GET /items${i}`));
    });
    // THEN the grid gives way to one row per access profile
    expect(cells).toBeGreaterThan(FULL_MATRIX_MAX_CELLS);
    expect(doc).toContain("Compact form (the full grid is in `access-matrix.json`): each profile and the routes it may call.");
    expect(doc).toMatch(/^\| alice through web \| 1 \| `GET \/resource`, `GET \/reports`, `GET \/items0`, .*`GET \/items19` \| \d+ \|$/m);
  });

  test("lists the info findings with what to set when nothing is suppressed", () => {
    const { doc } = documentOf((d) => delete d.checks);
    expect(doc).toContain("**passed** (0 critical, 0 high, 0 medium, 0 low, 8 info; 0 suppressed)");
    expect(doc).toMatch(
      /^\| info \| `SG-LAMBDA-002` \| `scopegate-example\/authorizer\/function` \| .* \| If your organisation requires it, set reserved_concurrent_executions/m,
    );
  });
});

describe("HANDOFF.md's commands", () => {
  test("are shell text, not Markdown: no code spans inside a sh block (they would be pasted as command substitutions)", () => {
    // GIVEN the example, where svc-reports has no e-mail address and needs a password
    const { doc } = documentOf();
    const blocks = [...doc.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
    // THEN the block that sets the passwords names the user as plain text
    expect(blocks.join("\n")).toContain("# initial passwords: needed by svc-reports (no e-mail address)");
    expect(blocks.filter((block) => block.includes("`"))).toEqual([]);
  });
});
