/**
 * Repeated decisions answered from memory: the decision and the response built for one verified
 * identity, one grants list, one route and one method ARN, given back while the caches hand out those
 * very objects again.
 *
 * `decide` and `buildAuthorizerResponse` are pure functions of the identity, the called route, the
 * configured route scopes (fixed per container), the grants and the method ARN. An entry is found by
 * the identity object and used only when the grants list is the same object and the route and
 * method ARN are equal strings. The verified-token cache, the Basic sign-in cache and the grants
 * cache hand out one object per entry until it expires, is evicted or is emptied, and a fresh
 * verification, sign-in or read makes a new one: so an entry can never answer after the token's,
 * the sign-in's or the grants' cache entry it was built from, and its answer is the fresh one.
 *
 * @packageDocumentation
 */
import type { Identity } from "./decide";
import type { AuthorizerResponse } from "./policy";
import type { ReasonCode } from "./reasons";

/** A decision as the handler returns and logs it. */
export interface MemoizedDecision {
  /** The response returned to API Gateway (frozen: every caller of a memoized answer shares it). */
  readonly response: AuthorizerResponse;
  /** The decision's reason. */
  readonly reason: ReasonCode;
  /** The effect the response's policy has for the called method. */
  readonly effect: "Allow" | "Deny";
}

/** Decides and builds the response for these inputs (what the memo remembers). */
export type DecideNow = (identity: Identity, grants: readonly string[], routeKey: string, methodArn: string) => MemoizedDecision;

interface Entry {
  readonly grants: readonly string[];
  readonly routeKey: string;
  readonly methodArn: string;
  readonly decision: MemoizedDecision;
}

/** How many identities the memo holds at most (the oldest remembered is forgotten first). */
export const DECISION_MEMO_IDENTITIES = 1_000;
/** How many (route, method ARN) answers the memo holds per identity (the most recent ones). */
export const DECISION_MEMO_ROUTES_PER_IDENTITY = 4;

/** Freezes the decision and every object of its response (each caller of a remembered answer shares them). */
function frozen(decision: MemoizedDecision): MemoizedDecision {
  const { response } = decision;
  for (const statement of response.policyDocument.Statement) Object.freeze(Object.freeze(statement).Resource);
  Object.freeze(Object.freeze(response.policyDocument).Statement);
  Object.freeze(Object.freeze(response).context);
  return Object.freeze(decision);
}

/** A bounded memo of decisions (see {@link createDecisionMemo}). */
export interface DecisionMemo {
  /** Number of identities held. */
  readonly size: number;
  /**
   * The decision for these inputs: the remembered one, or `decideNow`'s, which is then remembered.
   *
   * @param identity - the verified identity, as the verifier's or sign-in's cache handed it out
   * @param grants - the principal's grants, as the grant store handed them out
   * @param routeKey - the called route, `"<METHOD> <resource path>"`
   * @param methodArn - `event.methodArn`
   * @param decideNow - decides and builds the response from these inputs (may throw: nothing is
   *   remembered then)
   * @returns the decision
   */
  decision(identity: Identity, grants: readonly string[], routeKey: string, methodArn: string, decideNow: DecideNow): MemoizedDecision;
}

/**
 * Creates a memo of at most `maxIdentities` × {@link DECISION_MEMO_ROUTES_PER_IDENTITY} answers, so
 * no sequence of requests grows it further; the identity remembered longest ago is forgotten first.
 * With `maxIdentities` 0 nothing is kept.
 *
 * @param maxIdentities - the bound on identities; 0 disables the memo
 * @returns the memo
 */
export function createDecisionMemo(maxIdentities: number = DECISION_MEMO_IDENTITIES): DecisionMemo {
  const byIdentity = new Map<Identity, Entry[]>();
  return {
    get size() {
      return byIdentity.size;
    },
    decision(identity, grants, routeKey, methodArn, decideNow) {
      const entries = byIdentity.get(identity);
      if (entries !== undefined) {
        for (const entry of entries) {
          if (entry.grants === grants && entry.routeKey === routeKey && entry.methodArn === methodArn) return entry.decision;
        }
      }
      const decision = frozen(decideNow(identity, grants, routeKey, methodArn));
      if (maxIdentities <= 0) return decision;
      // Answers built from other grants lists can no longer be found: the grants they came from expired.
      const kept = entries === undefined ? [] : entries.filter((entry) => entry.grants === grants);
      kept.unshift({ grants, routeKey, methodArn, decision });
      if (kept.length > DECISION_MEMO_ROUTES_PER_IDENTITY) kept.length = DECISION_MEMO_ROUTES_PER_IDENTITY;
      byIdentity.delete(identity);
      while (byIdentity.size >= maxIdentities) {
        const oldest = byIdentity.keys().next();
        if (oldest.done === true) break;
        byIdentity.delete(oldest.value);
      }
      byIdentity.set(identity, kept);
      return decision;
    },
  };
}
