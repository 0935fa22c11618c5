import { scaleConfigDocument, SCALE_SIZES } from "../../testing/scale-config";
import { computeAccessMatrix } from "../../matrix/compute";
import { GRID_CELL_LIMIT, isCompact } from "../../matrix/describe";
import { diffMatrices } from "../../matrix/diff";
import { cellOf, profileCellOf } from "../../matrix/model";
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
    expect(matrix.cells).toHaveLength(matrix.profiles.length * matrix.routes.length);
    expect(matrix.callers.length).toBeGreaterThan(matrix.profiles.length);
  });

  test("THEN every caller's cell is its profile's, and the refusal names each principal of a group", () => {
    for (const caller of matrix.callers) {
      for (const route of matrix.routes)
        expect(cellOf(matrix, caller.id, route.key)).toBe(profileCellOf(matrix, caller.profile, route.key));
    }
    expect(cellOf(matrix, "user:carol@web", "GET /resource")!.why).toBe(
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
    expect(large.cells).toHaveLength(large.profiles.length * large.routes.length);
    expect(isCompact(large)).toBe(true);
    expect(large.cells.length).toBeGreaterThan(GRID_CELL_LIMIT);
    const markdown = renderMatrixMarkdown([large]);
    expect(markdown).toContain("| Profile | Callers | May call | Refused |");
    expect(markdown).not.toContain("Why each call is refused");
    const html = renderMatrixHtml([large]);
    expect(html).toContain("too large for a grid");
    // every caller is one click away: listed under its profile
    for (const caller of large.callers.slice(0, 50)) expect(html).toContain(`<li>${caller.label}</li>`);
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
