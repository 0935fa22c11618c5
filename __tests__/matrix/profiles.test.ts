import { scaleConfigDocument, SCALE_SIZES } from "../../testing/scale-config";
import { computeAccessMatrix } from "../../matrix/compute";
import { GRID_CELL_LIMIT, isCompact } from "../../matrix/describe";
import { diffMatrices } from "../../matrix/diff";
import { cellCount, expandCell, expandProfileCell } from "../../matrix/cells";
import { renderMatrixHtml } from "../../matrix/render-html";
import { renderMatrixMarkdown } from "../../matrix/render-markdown";
import { parseConfig } from "../../stacks/config/parse";
import { exampleConfig } from "./configs";

describe("access profiles", () => {
  // GIVEN the example with two more users who, like bob, hold no grants
  const matrix = computeAccessMatrix(exampleConfig((doc) => doc.users.push({ username: "carol" }, { username: "dave" })));

  test("THEN callers with the same kind, client, scopes and grants share one profile, and cells are profiles × routes", () => {
    const web = matrix.profiles.filter((profile) => profile.kind === "browser-user");
    expect(web.map((profile) => [profile.label, profile.callers])).toEqual([
      // alice and the application account hold the same grant
      ["alice, svc-reports (2 users) through web", ["user:alice@web", "user:svc-reports@web"]],
      ["bob, carol, dave (3 users) through web", ["user:bob@web", "user:carol@web", "user:dave@web"]],
    ]);
    expect(web[1]!.principal).toBe("each of 3 principals");
    expect(cellCount(matrix)).toBe(matrix.profiles.length * matrix.routes.length);
    expect(matrix.callers.length).toBeGreaterThan(matrix.profiles.length);
  });

  test("THEN every caller's cell is its profile's, and the refusal names each principal of a group", () => {
    for (const caller of matrix.callers) {
      for (const route of matrix.routes)
        expect(expandCell(matrix, caller.id, route.key)).toEqual(expandProfileCell(matrix, caller.profile, route.key));
    }
    expect(expandCell(matrix, "user:carol@web", "GET /resource")!.why).toBe(
      "no grant of each of 3 principals covers GET /resource (it has no grants)",
    );
  });

  test("WHEN one of a group gains a grant THEN one change per route names exactly the callers it affects", () => {
    const head = computeAccessMatrix(
      exampleConfig((doc) => {
        doc.users.push({ username: "carol" }, { username: "dave" });
        doc.authorizationTable.grants.push({ principal: { user: "carol" }, routes: ["GET /resource"] });
      }),
    );
    // (carol is no designated Basic account: only her browser token gains the route)
    const widened = diffMatrices(matrix, head).filter((change) => change.kind === "widened");
    expect(widened.map((change) => [change.callers, change.route])).toEqual([[["user:carol@web"], "GET /resource"]]);
  });

  test("WHEN a grant of a whole group changes THEN the change lists every caller of it once", () => {
    const head = computeAccessMatrix(
      exampleConfig((doc) => {
        doc.users.push({ username: "carol" }, { username: "dave" });
        for (const user of ["bob", "carol", "dave"]) doc.authorizationTable.grants.push({ principal: { user }, routes: ["GET /resource"] });
      }),
    );
    const widened = diffMatrices(matrix, head).filter((change) => change.kind === "widened");
    expect(widened.map((change) => [change.caller, change.callers.length, change.route, change.title])).toEqual([
      [
        "user:bob@web, user:carol@web … (3 callers)",
        3,
        "GET /resource",
        "bob, carol, dave (3 users) through web may now call GET /resource",
      ],
    ]);
  });
});

describe("GIVEN the large generated configuration (240 routes, 41 clients, 200 users)", () => {
  const large = computeAccessMatrix(parseConfig(scaleConfigDocument("scale-large", SCALE_SIZES.large), "generated"));

  test("THEN the rows are access profiles, far fewer than callers, and the grid becomes one line per profile", () => {
    expect(large.callers.length).toBeGreaterThan(4_000);
    expect(large.profiles.length).toBeLessThan(300);
    expect(cellCount(large)).toBe(large.profiles.length * large.routes.length);
    expect(isCompact(large)).toBe(true);
    expect(cellCount(large)).toBeGreaterThan(GRID_CELL_LIMIT);
    const markdown = renderMatrixMarkdown([large]);
    // shown in its two factors: one row per credential, one per grant set
    expect(markdown).toContain(
      "| Credential | Callers | Token scopes | The grants decide | Allowed, no grant needed | Refused whatever the grants |",
    );
    expect(markdown).toContain("| Grant set | Principals | Grants | Covers |");
    expect(markdown.split("\n").filter((line) => line.startsWith("| `g"))).toHaveLength(large.grantSets.length);
    expect(markdown).not.toContain("Why each call is refused");
    const html = renderMatrixHtml([large]);
    expect(html).toContain("too large for a grid");
    expect(html).not.toContain('<table class="matrix">');
    // every caller can be picked
    for (const caller of large.callers) expect(html).toContain(`<option value="${caller.id}"`);
  });

  test("THEN an unchanged configuration has no access change, and one grant changed names its callers", () => {
    expect(diffMatrices(large, large)).toEqual([]);
    const document = scaleConfigDocument("scale-large", SCALE_SIZES.large);
    document.authorizationTable.grants[0].routes.push("DELETE /r29/{id}");
    const head = computeAccessMatrix(parseConfig(document, "generated"));
    const widened = diffMatrices(large, head).filter((change) => change.kind === "widened");
    expect(widened.length).toBeGreaterThan(0);
    expect(new Set(widened.flatMap((change) => change.callers.map((id) => id.replace(/@.*/, ""))))).toEqual(
      new Set(["user:user0", "basic:user0"]),
    );
  });
});
