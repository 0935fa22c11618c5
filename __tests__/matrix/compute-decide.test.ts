import { decide, type Decision } from "../../functions/authorizer/decide";
import { computeAccessMatrix } from "../../matrix/compute";
import { cellOf } from "../../matrix/model";
import { variedConfig } from "./configs";

// The real decide, observed: the matrix must take lambda-guard answers from it, not re-implement it.
jest.mock("../../functions/authorizer/decide", () => {
  const actual = jest.requireActual("../../functions/authorizer/decide");
  return { ...actual, decide: jest.fn(actual.decide) };
});

test("GIVEN lambda routes WHEN the matrix is computed THEN every lambda cell of an access token or designated Basic user is the answer of the authorizer's decide", () => {
  const matrix = computeAccessMatrix(variedConfig());
  // Refused before decide, as the authorizer refuses them: ID tokens, Basic without a legacy client,
  // and Basic users who are not designated.
  const decided = matrix.callers.filter(
    (caller) =>
      caller.kind !== "id-token" &&
      caller.kind !== "basic-disabled" &&
      !(caller.credential.kind === "basic" && !caller.credential.designated),
  );
  expect(decided.filter((caller) => caller.kind === "basic-user").map((caller) => caller.id)).toEqual(["basic:carol"]);
  const lambdaRoutes = matrix.routes.filter((route) => route.guard === "lambda");
  const calls = jest.mocked(decide).mock;
  expect(calls.calls).toHaveLength(decided.length * lambdaRoutes.length);
  const answers = calls.calls.map(
    ([input], i) => `${input.identity.principal} ${input.routeKey} ${(calls.results[i]!.value as Decision).reason}`,
  );
  const cells = decided.flatMap((caller) =>
    lambdaRoutes.map((route) => `${caller.principal} ${route.key} ${cellOf(matrix, caller.id, route.key)!.reason}`),
  );
  expect(answers).toEqual(cells);
  // AND decide sees exactly the lambda routes, as the stack's ROUTE_SCOPES gives them to the authorizer
  expect([...calls.calls[0]![0].routeScopes.keys()]).toEqual(lambdaRoutes.map((route) => route.key));
});
