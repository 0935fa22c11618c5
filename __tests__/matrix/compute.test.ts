import { computeAccessMatrix } from "../../matrix/compute";
import { cellCount, expandCell } from "../../matrix/cells";
import type { AccessMatrix } from "../../matrix/model";
import { parseConfig } from "../../stacks/config/parse";
import { exampleDocument } from "../../testing/config";
import { emailConfig, exampleConfig, variedConfig } from "./configs";

/** `allowed`, or `<status> <reason>`. */
function verdict(matrix: AccessMatrix, caller: string, route: string): string {
  const cell = expandCell(matrix, caller, route);
  if (cell === undefined) throw new Error(`no cell ${caller} × ${route}`);
  return cell.allowed ? "allowed" : `${cell.httpStatus} ${cell.reason}`;
}

describe("computeAccessMatrix", () => {
  describe("GIVEN the built-in example", () => {
    const matrix = computeAccessMatrix(exampleConfig(), { source: "the built-in example" });

    test("THEN its rows are each user through the web client, the web client's ID token, the machine client and each user with Basic", () => {
      expect(matrix.callers.map((caller) => [caller.id, caller.label, caller.principal])).toEqual([
        ["user:alice@web", "alice through web", "user#alice"],
        ["user:bob@web", "bob through web", "user#bob"],
        ["user:svc-reports@web", "svc-reports through web", "user#svc-reports"],
        ["id-token@web", "ID token through web", "(none)"],
        ["client:machine", "machine (client_credentials)", "client#<id of machine>"],
        ["basic:alice", "alice with Basic (not designated)", "(none)"],
        ["basic:bob", "bob with Basic (not designated)", "(none)"],
        ["basic:svc-reports", "svc-reports with Basic (designated)", "user#svc-reports"],
      ]);
      expect(matrix.routes.map((route) => `${route.key} ${route.guard}`)).toEqual([
        "GET /resource lambda",
        "POST /resource lambda",
        "GET /reports cognito",
        "POST /reports cognito",
      ]);
      // alice and svc-reports through web hold the same grant: one access profile
      expect(matrix.profiles).toHaveLength(7);
      expect(cellCount(matrix)).toBe(7 * 4);
    });

    test("THEN alice through the web client may GET /resource (read scope + grant) and not POST it (no write scope)", () => {
      expect(expandCell(matrix, "user:alice@web", "GET /resource")).toEqual({
        profile: "p1",
        route: "GET /resource",
        allowed: true,
        httpStatus: 200,
        reason: "ALLOWED",
        scopesUsed: ["api.example.com/read"],
        grantUsed: "GET /resource",
        why: 'scope api.example.com/read; grant "GET /resource"',
      });
      expect(verdict(matrix, "user:alice@web", "POST /resource")).toBe("403 SCOPE_MISSING");
      expect(expandCell(matrix, "user:alice@web", "POST /resource")?.why).toBe(
        "the token can carry openid api.example.com/read; POST /resource needs one of api.example.com/write",
      );
    });

    test("THEN bob through the web client has the scope but no grant for GET /resource", () => {
      expect(verdict(matrix, "user:bob@web", "GET /resource")).toBe("403 GRANT_MISSING");
      expect(expandCell(matrix, "user:bob@web", "GET /resource")?.why).toBe("no grant of user#bob covers GET /resource (it has no grants)");
    });

    test("THEN the machine client may POST /resource and not GET it", () => {
      expect(verdict(matrix, "client:machine", "POST /resource")).toBe("allowed");
      expect(expandCell(matrix, "client:machine", "POST /resource")).toMatchObject({
        scopesUsed: ["api.example.com/write"],
        grantUsed: "POST /resource",
      });
      expect(verdict(matrix, "client:machine", "GET /resource")).toBe("403 SCOPE_MISSING");
    });

    test("THEN only the designated account may use Basic, and only for what its grant says: svc-reports GET /resource; alice and bob never, grant or not", () => {
      expect(expandCell(matrix, "basic:svc-reports", "GET /resource")).toMatchObject({
        allowed: true,
        reason: "ALLOWED",
        scopesUsed: [],
        grantUsed: "GET /resource",
      });
      expect(verdict(matrix, "basic:svc-reports", "POST /resource")).toBe("403 GRANT_MISSING");
      // alice holds a grant for GET /resource, and still cannot use it over Basic
      expect(verdict(matrix, "basic:alice", "GET /resource")).toBe("401 BASIC_USER_NOT_DESIGNATED");
      expect(verdict(matrix, "basic:alice", "POST /resource")).toBe("401 BASIC_USER_NOT_DESIGNATED");
      expect(verdict(matrix, "basic:bob", "GET /resource")).toBe("401 BASIC_USER_NOT_DESIGNATED");
      expect(expandCell(matrix, "basic:alice", "GET /resource")?.why).toContain("not one of the legacy client's designated Basic accounts");
      expect(matrix.notes).toContain(
        "Only the legacy client's designated accounts may use Basic (basicUsers: svc-reports); on Basic a grant alone decides.",
      );
    });

    test("THEN /reports (native Cognito guard) follows the scope rule alone: web users GET not POST, the machine client POST not GET", () => {
      for (const user of ["user:alice@web", "user:bob@web", "user:svc-reports@web"]) {
        expect(expandCell(matrix, user, "GET /reports")).toMatchObject({
          allowed: true,
          reason: "NATIVE_SCOPES_ONLY",
          scopesUsed: ["api.example.com/read"],
        });
        expect(expandCell(matrix, user, "GET /reports")).not.toHaveProperty("grantUsed");
        expect(verdict(matrix, user, "POST /reports")).toBe("401 SCOPE_MISSING");
      }
      expect(verdict(matrix, "client:machine", "POST /reports")).toBe("allowed");
      expect(verdict(matrix, "client:machine", "GET /reports")).toBe("401 SCOPE_MISSING");
      // bob has no grant at all, and still reads reports: grants play no part on this guard
      expect(expandCell(matrix, "user:bob@web", "GET /reports")?.why).toBe(
        "scope api.example.com/read; the native authorizer checks scopes only: no grant needed",
      );
    });

    test("THEN Basic credentials and ID tokens are refused on /reports, and ID tokens on /resource", () => {
      expect(verdict(matrix, "basic:alice", "GET /reports")).toBe("401 NATIVE_BASIC_NOT_ACCEPTED");
      expect(verdict(matrix, "id-token@web", "GET /reports")).toBe("401 NATIVE_ID_TOKEN_REFUSED");
      expect(verdict(matrix, "id-token@web", "GET /resource")).toBe("401 TOKEN_USE_NOT_ACCESS");
    });

    test("THEN exactly eight calls are allowed", () => {
      const allowed = matrix.callers.flatMap((caller) =>
        matrix.routes.filter((route) => expandCell(matrix, caller.id, route.key)?.allowed).map((route) => `${caller.id} ${route.key}`),
      );
      expect(allowed).toEqual([
        "user:alice@web GET /resource",
        "user:alice@web GET /reports",
        "user:bob@web GET /reports",
        "user:svc-reports@web GET /resource",
        "user:svc-reports@web GET /reports",
        "client:machine POST /resource",
        "client:machine POST /reports",
        "basic:svc-reports GET /resource",
      ]);
    });
  });

  describe("GIVEN grants with `*` and a route without scopes", () => {
    const matrix = computeAccessMatrix(variedConfig());

    test("THEN a `*` grant covers every method of its path, the scope still decides for tokens", () => {
      expect(expandCell(matrix, "user:carol@web", "PUT /items/{id}")).toMatchObject({
        allowed: true,
        grantUsed: "* /items/{id}",
        scopesUsed: ["items.example.com/write"],
      });
      expect(verdict(matrix, "user:carol@web", "DELETE /items/{id}")).toBe("403 SCOPE_MISSING");
      expect(verdict(matrix, "user:carol@mobile", "PUT /items/{id}")).toBe("403 SCOPE_MISSING");
    });

    test("THEN Basic users are decided by grants alone, scopes do not apply to them", () => {
      expect(expandCell(matrix, "basic:carol", "DELETE /items/{id}")).toMatchObject({
        allowed: true,
        grantUsed: "* /items/{id}",
        scopesUsed: [],
      });
      // dave holds a grant for GET /health but is not designated: Basic is refused before any lookup
      expect(verdict(matrix, "basic:dave", "GET /health")).toBe("401 BASIC_USER_NOT_DESIGNATED");
    });

    test("THEN a route without scopes needs only a grant", () => {
      expect(expandCell(matrix, "user:dave@mobile", "GET /health")).toMatchObject({
        allowed: true,
        scopesUsed: [],
        why: 'no scope required; grant "GET /health"',
      });
      expect(verdict(matrix, "client:ops", "GET /health")).toBe("allowed");
      expect(verdict(matrix, "client:etl", "GET /health")).toBe("403 GRANT_MISSING");
    });

    test("THEN an ID token row exists only for the browser client that asks for openid", () => {
      expect(matrix.callers.filter((caller) => caller.kind === "id-token").map((caller) => caller.id)).toEqual(["id-token@web"]);
    });
  });

  describe("GIVEN e-mail sign-in and no legacy client", () => {
    const matrix = computeAccessMatrix(emailConfig());

    test("THEN user principals are symbolic: tokens carry the generated sub as username", () => {
      expect(matrix.callers.find((caller) => caller.id === "user:frank@example.org@spa")?.principal).toBe(
        "user#<sub of frank@example.org>",
      );
      expect(matrix.notes.join("\n")).toContain("user#<sub of ADDRESS>");
    });

    test("THEN one Basic row is refused everywhere with BASIC_DISABLED", () => {
      const basic = matrix.callers.filter((caller) => caller.kind === "basic-disabled" || caller.kind === "basic-user");
      expect(basic.map((caller) => caller.id)).toEqual(["basic:*"]);
      expect(matrix.routes.map((route) => verdict(matrix, "basic:*", route.key))).toEqual(["401 BASIC_DISABLED", "401 BASIC_DISABLED"]);
    });
  });

  test("GIVEN a Basic row without a legacy client WHEN a route is on the cognito guard THEN it is refused as Basic, not as disabled", () => {
    const document = exampleDocument();
    document.appClients = document.appClients.filter((client: { kind: string }) => client.kind !== "legacy");
    const matrix = computeAccessMatrix(parseConfig(document, "test"));
    expect(verdict(matrix, "basic:*", "GET /resource")).toBe("401 BASIC_DISABLED");
    expect(verdict(matrix, "basic:*", "GET /reports")).toBe("401 NATIVE_BASIC_NOT_ACCEPTED");
  });
});
