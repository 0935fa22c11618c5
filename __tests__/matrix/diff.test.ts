import { computeAccessMatrix } from "../../matrix/compute";
import { diffMatrices, diffMatrixSets, renderAccessChangesMarkdown, type AccessChange } from "../../matrix/diff";
import { parseConfig } from "../../stacks/config/parse";
import { exampleDocument } from "../../testing/config";

const base = computeAccessMatrix(parseConfig(exampleDocument(), "base"));

/** The example with `change` applied to a fresh copy of its document. */
function headWith(change: (document: Record<string, any>) => void) {
  const document = exampleDocument();
  change(document);
  return computeAccessMatrix(parseConfig(document, "head"));
}

const brief = (changes: readonly AccessChange[]) =>
  changes.map((c) => [c.severity, c.kind, c.caller, c.route].filter((part) => part !== "").join(" "));

describe("diffMatrices", () => {
  test("GIVEN the same configuration THEN nothing changes", () => {
    expect(diffMatrices(base, computeAccessMatrix(parseConfig(exampleDocument(), "again")))).toEqual([]);
  });

  test("GIVEN svc-reports is granted POST /resource THEN Basic svc-reports may now POST it: one high flag with that caller and route", () => {
    const head = headWith((d) => d.authorizationTable.grants[1].routes.push("POST /resource"));
    const changes = diffMatrices(base, head);
    // svc-reports through web still lacks the write scope: only the Basic path widens
    expect(changes).toEqual([
      {
        id: "widened:scopegate-example:basic:svc-reports:POST /resource",
        severity: "high",
        kind: "widened",
        stack: "scopegate-example",
        title: "svc-reports with Basic (designated) may now call POST /resource",
        why: 'was refused (403 GRANT_MISSING: no grant of user#svc-reports covers POST /resource (its grants: GET /resource)); now allowed: Basic: grants only, its tokens carry no custom scope; grant "POST /resource"',
        caller: "basic:svc-reports",
        callers: ["basic:svc-reports"],
        route: "POST /resource",
      },
    ]);
  });

  test("GIVEN alice is designated for Basic THEN what her grant allows is now open to her password alone: a high flag for the Basic row", () => {
    const head = headWith((d) => d.appClients[2].basicUsers.push("alice"));
    const changes = diffMatrices(base, head);
    expect(brief(changes)).toEqual(["high widened basic:alice GET /resource"]);
    expect(changes[0]!.why).toContain("was refused (401 BASIC_USER_NOT_DESIGNATED");
  });

  test("GIVEN the web client may also ask for the write scope THEN its users may now POST /reports (native guard), and alice not /resource (no grant)", () => {
    const head = headWith((d) => d.appClients[0].scopes.push("api.example.com/write"));
    const changes = diffMatrices(base, head);
    expect(brief(changes)).toEqual([
      "high widened user:alice@web, user:svc-reports@web POST /reports",
      "high widened user:bob@web POST /reports",
    ]);
    expect(changes[0]!.why).toBe(
      "was refused (401 SCOPE_MISSING: the token can carry openid api.example.com/read; POST /reports needs one of api.example.com/write (native Cognito authorizer)); " +
        "now allowed: scope api.example.com/write; the native authorizer checks scopes only: no grant needed",
    );
  });

  test("GIVEN a grant is removed and a user added THEN refused → allowed comes first (high), allowed → refused next (medium), then the new caller (info)", () => {
    const head = headWith((d) => {
      d.authorizationTable.grants = d.authorizationTable.grants.filter(
        (g: { principal: { user?: string } }) => g.principal.user !== "alice",
      );
      d.users.push({ username: "carol", groups: [] });
      d.appClients[2].basicUsers.push("carol");
      d.authorizationTable.grants.push({ principal: { user: "carol" }, routes: ["GET /resource"] });
    });
    expect(brief(diffMatrices(base, head))).toEqual([
      "high widened user:carol@web GET /resource",
      "high widened user:carol@web GET /reports",
      "high widened basic:carol GET /resource",
      "medium narrowed user:alice@web GET /resource",
      "info caller-added user:carol@web",
      "info caller-added basic:carol",
    ]);
  });

  test("GIVEN a route and the legacy client are removed THEN what they allowed is narrowed with low severity and the removals are listed", () => {
    const head = headWith((d) => {
      d.appClients = d.appClients.filter((c: { kind: string }) => c.kind !== "legacy");
      d.api.routes = d.api.routes.filter((r: { path: string; method: string }) => !(r.method === "POST" && r.path === "/reports"));
    });
    const changes = diffMatrices(base, head);
    expect(brief(changes)).toEqual([
      "low narrowed client:machine POST /reports",
      "low narrowed basic:svc-reports GET /resource",
      "info caller-added basic:*",
      "info caller-removed basic:alice",
      "info caller-removed basic:bob",
      "info caller-removed basic:svc-reports",
      "info route-removed POST /reports",
    ]);
    expect(changes[1]!.why).toBe(
      'caller removed; was allowed: Basic: grants only, its tokens carry no custom scope; grant "GET /resource"',
    );
    expect(changes[6]!.why).toBe("cognito guard; a token needs one of api.example.com/write");
  });

  test("GIVEN a new route with a grant THEN the calls it allows are high: nobody could make them before", () => {
    const head = headWith((d) => {
      d.api.routes.push({ method: "DELETE", path: "/resource", guard: "lambda", scopes: ["api.example.com/write"] });
      d.authorizationTable.grants[2].routes.push("DELETE /resource");
    });
    const changes = diffMatrices(base, head);
    expect(brief(changes)).toEqual(["high widened client:machine DELETE /resource", "info route-added DELETE /resource"]);
    expect(changes[0]!.why).toMatch(/^new route; now allowed: scope api\.example\.com\/write; grant "DELETE \/resource"$/);
  });
});

describe("diffMatrixSets", () => {
  test("GIVEN stacks on one side only THEN each is compared with an empty matrix, widenings of every stack first", () => {
    const other = { ...base, stack: "other" };
    const changes = diffMatrixSets([base], [other]);
    const kinds = changes.map((c) => `${c.severity} ${c.stack}`);
    // 8 allowed calls of 8 callers, in 6 changes (alice and svc-reports through web share a profile)
    expect(kinds.filter((k) => k.startsWith("high"))).toHaveLength(6);
    expect(kinds.slice(0, 6).every((k) => k === "high other")).toBe(true);
    expect(kinds.slice(6, 12).every((k) => k === "low scopegate-example")).toBe(true);
  });
});

describe("renderAccessChangesMarkdown", () => {
  test("GIVEN changes THEN a table with counts per severity, one row per change", () => {
    const head = headWith((d) => d.authorizationTable.grants[1].routes.push("POST /resource"));
    expect(renderAccessChangesMarkdown(diffMatrices(base, head))).toBe(
      [
        "### Access changes",
        "",
        "🟠 1 high",
        "",
        "| Severity | Caller | Route | Change | Why |",
        "| --- | --- | --- | --- | --- |",
        '| 🟠 high | `basic:svc-reports` | `POST /resource` | svc-reports with Basic (designated) may now call POST `/resource` | was refused (403 GRANT_MISSING: no grant of `user#svc-reports` covers POST `/resource` (its grants: GET `/resource`)); now allowed: Basic: grants only, its tokens carry no custom scope; grant "POST `/resource`" |',
        "",
      ].join("\n"),
    );
  });

  test("GIVEN no change THEN it says so", () => {
    expect(renderAccessChangesMarkdown([], { heading: "## Access" })).toBe("## Access\n\nNo change in who can call what.\n");
  });

  test("GIVEN more changes than maxRows THEN the rest are counted, and principals' <placeholders> stay visible", () => {
    const changes = diffMatrixSets([], [base]);
    const markdown = renderAccessChangesMarkdown(changes, { maxRows: 3 });
    expect(markdown.split("\n").filter((line) => line.startsWith("| 🟠"))).toHaveLength(3);
    expect(markdown).toContain(`… and ${changes.length - 3} more.`);
    // as code, where GitHub renders no HTML
    expect(renderAccessChangesMarkdown(changes)).toContain("principal `client#<id` of `machine>`;");
  });
});
