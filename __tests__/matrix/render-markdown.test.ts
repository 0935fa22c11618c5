import { visibleEscape } from "../../core/markdown";
import { computeAccessMatrix } from "../../matrix/compute";
import { isCompact } from "../../matrix/describe";
import { renderMatrixMarkdown } from "../../matrix/render-markdown";
import { parseConfig } from "../../stacks/config/parse";
import { hostileMatrix, inspectMarkdown, mentionsIn } from "../../testing/markdown";
import { SCALE_SIZES, scaleConfigDocument } from "../../testing/scale-config";
import { emailConfig, exampleConfig } from "./configs";

describe("renderMatrixMarkdown", () => {
  const example = computeAccessMatrix(exampleConfig(), { source: "the built-in example" });

  test("GIVEN the example THEN its matrix reads: one row per access profile (alice and svc-reports through web share one), one column per route, each cell allowed with scope and grant or refused with status and reason", () => {
    const markdown = renderMatrixMarkdown([example]);
    const table = markdown
      .split("\n")
      .filter((line) => line.startsWith("| "))
      .slice(0, 9);
    expect(table).toEqual([
      "| Profile | Principal | `GET /resource`<br>lambda | `POST /resource`<br>lambda | `GET /reports`<br>cognito | `POST /reports`<br>cognito |",
      "| --- | --- | --- | --- | --- | --- |",
      "| alice, svc-reports (2 users) through web | `each of 2 principals` | ✅ `api.example.com/read` + grant `GET /resource` | ⛔ 403 `SCOPE_MISSING` | ✅ `api.example.com/read`, no grant needed | ⛔ 401 `SCOPE_MISSING` |",
      "| bob through web | `user#bob` | ⛔ 403 `GRANT_MISSING` | ⛔ 403 `SCOPE_MISSING` | ✅ `api.example.com/read`, no grant needed | ⛔ 401 `SCOPE_MISSING` |",
      "| ID token through web | `(none)` | ⛔ 401 `TOKEN_USE_NOT_ACCESS` | ⛔ 401 `TOKEN_USE_NOT_ACCESS` | ⛔ 401 `NATIVE_ID_TOKEN_REFUSED` | ⛔ 401 `NATIVE_ID_TOKEN_REFUSED` |",
      "| machine (client_credentials) | `client#<id of machine>` | ⛔ 403 `SCOPE_MISSING` | ✅ `api.example.com/write` + grant `POST /resource` | ⛔ 401 `SCOPE_MISSING` | ✅ `api.example.com/write`, no grant needed |",
      "| alice with Basic (not designated) | `(none)` | ⛔ 401 `BASIC_USER_NOT_DESIGNATED` | ⛔ 401 `BASIC_USER_NOT_DESIGNATED` | ⛔ 401 `NATIVE_BASIC_NOT_ACCEPTED` | ⛔ 401 `NATIVE_BASIC_NOT_ACCEPTED` |",
      "| bob with Basic (not designated) | `(none)` | ⛔ 401 `BASIC_USER_NOT_DESIGNATED` | ⛔ 401 `BASIC_USER_NOT_DESIGNATED` | ⛔ 401 `NATIVE_BASIC_NOT_ACCEPTED` | ⛔ 401 `NATIVE_BASIC_NOT_ACCEPTED` |",
      "| svc-reports with Basic (designated) | `user#svc-reports` | ✅ grant `GET /resource` | ⛔ 403 `GRANT_MISSING` | ⛔ 401 `NATIVE_BASIC_NOT_ACCEPTED` | ⛔ 401 `NATIVE_BASIC_NOT_ACCEPTED` |",
    ]);
    expect(markdown).toContain("From the built-in example: 4 routes, 8 callers in 7 access profiles, 6 of 28 calls allowed.");
  });

  test("GIVEN the example THEN every reason used is explained once, with its statuses per guard", () => {
    const markdown = renderMatrixMarkdown([example]);
    expect(markdown).toContain(
      "| `SCOPE_MISSING` | 401 (cognito), 403 (lambda) | The access token holds none of the scopes the route requires. |",
    );
    expect(markdown).toContain(
      "| `NATIVE_BASIC_NOT_ACCEPTED` | 401 (cognito) | Basic credentials are not accepted by the native Cognito authorizer: it takes Cognito tokens only. |",
    );
    expect(markdown).toContain(
      "- bob through web → `GET /resource`: 403 `GRANT_MISSING`, no grant of `user#bob` covers GET `/resource` (it has no grants)",
    );
  });

  test("GIVEN two stacks THEN one section each, and pipes in values cannot break a table", () => {
    const markdown = renderMatrixMarkdown([example, computeAccessMatrix(emailConfig())]);
    expect(markdown.match(/^## /gm)).toHaveLength(2);
    expect(markdown).toContain("## `matrix-email`");
    expect(markdown).toContain("`GET /docs/{path+}`<br>lambda");
    const piped = { ...example, profiles: example.profiles.map((profile, i) => (i === 0 ? { ...profile, label: "a|b" } : profile)) };
    expect(renderMatrixMarkdown([piped])).toContain("| `a\\|b` | `each of 2 principals` |");
  });
});

describe("renderMatrixMarkdown of a matrix too large for a grid", () => {
  const matrix = computeAccessMatrix(
    parseConfig(scaleConfigDocument("scale-medium", { ...SCALE_SIZES.medium, uniqueGrants: true }), "generated"),
  );

  test("GIVEN more profile × route cells than a grid holds THEN it shows the two factors: one row per credential, one per grant set", () => {
    expect(isCompact(matrix)).toBe(true);
    const lines = renderMatrixMarkdown([matrix]).split("\n");
    expect(lines).toContain("**Credentials × routes**: what a caller's credential gets on each route before any grant is read");
    const credentialRows = lines.filter(
      (line) => line.startsWith("| access token") || line.startsWith("| any user") || line.startsWith("| Basic"),
    );
    expect(credentialRows).toHaveLength(matrix.credentials.length);
    expect(lines.filter((line) => line.startsWith("| `g"))).toHaveLength(matrix.grantSets.length);
    // no grid, no per-cell list
    expect(lines.some((line) => line.startsWith("| Profile | Principal |"))).toBe(false);
    expect(lines).not.toContain("<details><summary>Why each call is refused</summary>");
  });

  test.each(["@octocat", "a|b", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "`", "line\nbreak"])(
    "WHEN every name in it ends with %s THEN the factor tables are inert",
    (value) => {
      const hostile = hostileMatrix(matrix, value, new Set(["kind", "guard", "method", "reason", "outcome"]));
      const inspection = inspectMarkdown(renderMatrixMarkdown([hostile]));
      expect(inspection.html.filter((html) => html !== "<br>")).toEqual([]);
      expect(inspection.links).toEqual([]);
      expect(mentionsIn(inspection)).toEqual([]);
      expect(inspection.brokenRows).toEqual([]);
      expect(inspection.codeSpans).toContain(visibleEscape(hostile.grantSets[0]!.principals[0]!));
    },
  );
});
