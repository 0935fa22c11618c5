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

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/**
 * A bounded memo of decisions: at most `maxIdentities` × {@link DECISION_MEMO_ROUTES_PER_IDENTITY}
 * answers, so no sequence of requests grows it further. With `maxIdentities` 0 nothing is kept.
 */
export class DecisionMemo {
  private readonly byIdentity = new Map<Identity, Entry[]>();

  /**
   * @param maxIdentities - the bound on identities; 0 disables the memo
   */
  constructor(private readonly maxIdentities: number = DECISION_MEMO_IDENTITIES) {}

  /** Number of identities held. */
  get size(): number {
    return this.byIdentity.size;
  }

  /**
   * The decision for these inputs: the remembered one, or `decideNow()`'s, which is then remembered.
   *
   * @param identity - the verified identity, as the verifier's or sign-in's cache handed it out
   * @param grants - the principal's grants, as the grant store handed them out
   * @param routeKey - the called route, `"<METHOD> <resource path>"`
   * @param methodArn - `event.methodArn`
   * @param decideNow - decides and builds the response (may throw: nothing is remembered then)
   * @returns the decision
   */
  decision(
    identity: Identity,
    grants: readonly string[],
    routeKey: string,
    methodArn: string,
    decideNow: () => MemoizedDecision,
  ): MemoizedDecision {
    const entries = this.byIdentity.get(identity);
    if (entries !== undefined) {
      for (const entry of entries) {
        if (entry.grants === grants && entry.routeKey === routeKey && entry.methodArn === methodArn) return entry.decision;
      }
    }
    const decision = deepFreeze(decideNow());
    if (this.maxIdentities <= 0) return decision;
    // Answers built from other grants lists can no longer be found: the grants they came from expired.
    const kept = entries === undefined ? [] : entries.filter((entry) => entry.grants === grants);
    kept.unshift({ grants, routeKey, methodArn, decision });
    if (kept.length > DECISION_MEMO_ROUTES_PER_IDENTITY) kept.length = DECISION_MEMO_ROUTES_PER_IDENTITY;
    this.byIdentity.delete(identity);
    while (this.byIdentity.size >= this.maxIdentities) {
      const oldest = this.byIdentity.keys().next();
      if (oldest.done === true) break;
      this.byIdentity.delete(oldest.value);
    }
    this.byIdentity.set(identity, kept);
    return decision;
  }
}
