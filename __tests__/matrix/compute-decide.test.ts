import { decide, type Decision } from "../../functions/authorizer/decide";
import { expandCell } from "../../matrix/cells";
import { computeAccessMatrix } from "../../matrix/compute";
import { variedConfig } from "./configs";

// The real decide, observed: the matrix must take lambda-guard answers from it, not re-implement it.
jest.mock("../../functions/authorizer/decide", () => {
  const actual = jest.requireActual("../../functions/authorizer/decide");
  return { ...actual, decide: jest.fn(actual.decide) };
});
const realDecide: typeof decide = jest.requireActual("../../functions/authorizer/decide").decide;

test("GIVEN lambda routes WHEN the matrix is computed THEN each credential's answer is decide's with no grant, once per credential and route, and every joined cell is decide's answer with the caller's grants", () => {
  const matrix = computeAccessMatrix(variedConfig());
  // Refused before decide, as the authorizer refuses them: ID tokens, Basic without a legacy client,
  // and Basic users who are not designated.
  const reachesDecide = (credential: (typeof matrix.credentials)[number]["credential"], kind: string) =>
    kind !== "id-token" && kind !== "basic-disabled" && !(credential.kind === "basic" && !credential.designated);
  const decided = matrix.credentials.filter((row) => reachesDecide(row.credential, row.kind));
  expect(decided.filter((row) => row.kind === "basic-user")).toHaveLength(1);
  const lambdaRoutes = matrix.routes.filter((route) => route.guard === "lambda");
  const calls = jest.mocked(decide).mock;
  // once per credential and route, never per profile: the grants are not part of the call
  expect(calls.calls).toHaveLength(decided.length * lambdaRoutes.length);
  expect(calls.calls.every(([input]) => input.grants.length === 0)).toBe(true);
  const answers = calls.calls.map(([input], i) => `${input.routeKey} ${(calls.results[i]!.value as Decision).reason}`);
  const cells = decided.flatMap((row) =>
    lambdaRoutes.map((route) => {
      const cell = row.cells.find((c) => c.route === route.key)!;
      // GRANT_MISSING with no grant: the token checks passed, the grants decide
      return `${route.key} ${cell.outcome === "grant" ? "GRANT_MISSING" : cell.reason}`;
    }),
  );
  expect(answers).toEqual(cells);
  // AND decide sees exactly the lambda routes, as the stack's ROUTE_SCOPES gives them to the authorizer
  expect([...calls.calls[0]![0].routeScopes.keys()]).toEqual(lambdaRoutes.map((route) => route.key));

  // AND every joined lambda cell of a caller that reaches decide is decide's answer with that caller's grants
  const routeScopes = calls.calls[0]![0].routeScopes;
  let compared = 0;
  for (const caller of matrix.callers.filter((c) => reachesDecide(c.credential, c.kind))) {
    for (const route of lambdaRoutes) {
      const identity = {
        principal: caller.principal,
        authType: caller.credential.kind === "basic" ? ("basic" as const) : ("bearer" as const),
        clientId: caller.client ?? "",
        scopes: caller.credential.kind === "access-token" ? caller.credential.scopes : [],
      };
      const expected = realDecide({ identity, routeKey: route.key, routeScopes, grants: caller.grants });
      expect(`${caller.id} ${route.key} ${expandCell(matrix, caller.id, route.key)!.reason}`).toBe(
        `${caller.id} ${route.key} ${expected.reason}`,
      );
      compared += 1;
    }
  }
  expect(compared).toBeGreaterThan(lambdaRoutes.length * 3);
});
