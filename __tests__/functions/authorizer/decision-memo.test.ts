import type { Identity } from "../../../functions/authorizer/decide";
import { DECISION_MEMO_ROUTES_PER_IDENTITY, createDecisionMemo, type MemoizedDecision } from "../../../functions/authorizer/decision-memo";
import { buildAuthorizerResponse } from "../../../functions/authorizer/policy";
import { STAGE } from "../../../testing/authorizer-harness";

const identityOf = (n: number): Identity => ({ principal: `user#u${n}`, authType: "bearer", clientId: "web1", scopes: [] });
const GRANTS = ["GET /items/{id}"];

/** A decideNow that counts its calls. */
function counting(): { calls: number; decideNow: (identity: Identity, routeKey: string) => () => MemoizedDecision } {
  const counter = {
    calls: 0,
    decideNow: (identity: Identity, routeKey: string) => () => {
      counter.calls += 1;
      const decision = { effect: "Allow", reason: "ALLOWED" } as const;
      return { response: buildAuthorizerResponse({ methodArn: `${STAGE}/GET/items/1`, routeKey, identity, decision }), ...decision };
    },
  };
  return counter;
}

describe("createDecisionMemo", () => {
  test("GIVEN the same identity, grants, route and method ARN WHEN asked again THEN the remembered decision, frozen", () => {
    const memo = createDecisionMemo();
    const counter = counting();
    const identity = identityOf(1);
    const first = memo.decision(
      identity,
      GRANTS,
      "GET /items/{id}",
      `${STAGE}/GET/items/1`,
      counter.decideNow(identity, "GET /items/{id}"),
    );
    const again = memo.decision(
      identity,
      GRANTS,
      "GET /items/{id}",
      `${STAGE}/GET/items/1`,
      counter.decideNow(identity, "GET /items/{id}"),
    );
    expect(again).toBe(first);
    expect(counter.calls).toBe(1);
    expect(Object.isFrozen(first.response.policyDocument.Statement[0]!.Resource)).toBe(true);
    expect(Object.isFrozen(first.response.context)).toBe(true);
  });

  test("GIVEN an equal but new identity or grants list, or another method ARN WHEN asked THEN it decides again", () => {
    const memo = createDecisionMemo();
    const counter = counting();
    const identity = identityOf(1);
    const ask = (who: Identity, grants: readonly string[], methodArn: string) =>
      memo.decision(who, grants, "GET /items/{id}", methodArn, counter.decideNow(who, "GET /items/{id}"));
    ask(identity, GRANTS, `${STAGE}/GET/items/1`);
    ask(identityOf(1), GRANTS, `${STAGE}/GET/items/1`);
    ask(identity, [...GRANTS], `${STAGE}/GET/items/1`);
    ask(identity, GRANTS, `${STAGE}/GET/items/2`);
    expect(counter.calls).toBe(4);
  });

  test("GIVEN more identities and routes than the bounds WHEN each is asked THEN it holds at most its bound of identities and routes per identity", () => {
    const memo = createDecisionMemo(50);
    const counter = counting();
    let identity = identityOf(0);
    for (let n = 0; n < 500; n += 1) {
      identity = identityOf(n);
      for (let id = 0; id < 10; id += 1) {
        memo.decision(identity, GRANTS, "GET /items/{id}", `${STAGE}/GET/items/${id}`, counter.decideNow(identity, "GET /items/{id}"));
      }
      expect(memo.size).toBeLessThanOrEqual(50);
    }
    // Per identity, only the most recent answers are kept: the oldest is decided again.
    const before = counter.calls;
    const ask = (id: number) =>
      memo.decision(identity, GRANTS, "GET /items/{id}", `${STAGE}/GET/items/${id}`, counter.decideNow(identity, "GET /items/{id}"));
    for (let id = 10 - DECISION_MEMO_ROUTES_PER_IDENTITY; id < 10; id += 1) ask(id);
    expect(counter.calls).toBe(before);
    ask(0);
    expect(counter.calls).toBe(before + 1);
  });

  test("GIVEN a bound of 0 WHEN asked twice THEN it decides twice and holds nothing", () => {
    const memo = createDecisionMemo(0);
    const counter = counting();
    const identity = identityOf(1);
    for (let i = 0; i < 2; i += 1) {
      memo.decision(identity, GRANTS, "GET /items/{id}", `${STAGE}/GET/items/1`, counter.decideNow(identity, "GET /items/{id}"));
    }
    expect(counter.calls).toBe(2);
    expect(memo.size).toBe(0);
  });
});
