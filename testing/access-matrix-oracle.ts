/**
 * The access matrix computed in full, the way it was computed before it was factored: every access
 * profile on every route, one call of the authorizer's `decide` (or the native rule) each, with the
 * cell's texts built in place, and the diff that compared two such matrices cell by cell. Kept as the
 * oracle of the factored matrix: the tests require that every cell `expandCell` joins from the
 * factors equals this one, for every caller and route, and that `diffMatrices` gives the changes
 * this diff gives.
 *
 * @packageDocumentation
 */
import { decide, type Identity } from "../functions/authorizer/decide";
import { REASONS } from "../functions/authorizer/reasons";
import { coveringGrant, scopesHeld } from "../core/access";
import { formatRouteKey, routeScopeTable } from "../core/routes";
import type { ScopegateConfig } from "../stacks/config/model";
import { listCallers } from "../matrix/callers";
import { groupIntoProfiles, groupLabel } from "../matrix/compute";
import { compareSeverity } from "../core/severity";
import type { AccessChange, AccessChangeKind, AccessChangeSeverity } from "../matrix/diff";
import type { AccessProfile, MatrixCaller, MatrixCell, MatrixRoute, MatrixStatus } from "../matrix/model";
import { nativeCognitoDecision } from "../matrix/native-guard";
import { NATIVE_REASONS } from "../matrix/reasons";

/** Every profile × every route, computed one cell at a time. */
export interface FullMatrix {
  readonly stack: string;
  readonly routes: readonly MatrixRoute[];
  readonly callers: readonly MatrixCaller[];
  readonly profiles: readonly AccessProfile[];
  /** Row-major: every profile × every route, in profile then route order. */
  readonly cells: readonly MatrixCell[];
}

/** The full matrix one profile's row at a time: what {@link computeFullMatrix} stores, computed on demand. */
export interface FullRows {
  readonly stack: string;
  readonly routes: readonly MatrixRoute[];
  readonly callers: readonly MatrixCaller[];
  readonly profiles: readonly AccessProfile[];
  /** The cells of `profiles[index]` on every route, in route order. */
  row(index: number): MatrixCell[];
}

/**
 * The routes, callers and profiles of a configuration's matrix, and each profile's row of cells,
 * computed in full when asked for (a comparison can walk a million cells without keeping them all).
 */
export function fullMatrixRows(config: ScopegateConfig): FullRows {
  const routes: MatrixRoute[] = config.api.routes.map((route) => ({
    key: formatRouteKey({ method: route.method, resourcePath: route.path }),
    method: route.method,
    path: route.path,
    guard: route.guard,
    scopes: route.scopes,
  }));
  const routeScopes = routeScopeTable(config.api.routes.filter((route) => route.guard === "lambda"));
  const { callers, profiles } = groupIntoProfiles(listCallers(config));
  const row = (index: number): MatrixCell[] => {
    const profile = profiles[index]!;
    const grants = grantList(profile.grants);
    return routes.map((route) => (route.guard === "lambda" ? lambdaCell(profile, route, routeScopes, grants) : nativeCell(profile, route)));
  };
  return { stack: config.name, routes, callers, profiles, row };
}

/**
 * Computes every cell of a configuration's matrix in full.
 *
 * @param config - the validated configuration of one stack
 * @returns the callers, profiles and cells
 */
export function computeFullMatrix(config: ScopegateConfig): FullMatrix {
  const { stack, routes, callers, profiles, row } = fullMatrixRows(config);
  const cells = profiles.flatMap((_, index) => row(index));
  return { stack, routes, callers, profiles, cells };
}

/**
 * The full cell of a caller on a route.
 *
 * @returns the cell, or `undefined` when either is not part of the matrix
 */
export function fullCellOf(matrix: FullMatrix, callerId: string, routeKey: string): MatrixCell | undefined {
  const caller = matrix.callers.find((c) => c.id === callerId);
  return caller === undefined ? undefined : fullProfileCellOf(matrix, caller.profile, routeKey);
}

/**
 * The scopegate Lambda authorizer: what the handler does before `decide`, then `decide` itself.
 * `grants` is the profile's {@link grantList}, the same on every route.
 */
function lambdaCell(
  profile: AccessProfile,
  route: MatrixRoute,
  routeScopes: ReadonlyMap<string, readonly string[]>,
  grants: string,
): MatrixCell {
  const at = { profile: profile.id, route: route.key };
  const { credential } = profile;
  if (credential.kind === "id-token") {
    return {
      ...at,
      allowed: false,
      httpStatus: 401,
      reason: "TOKEN_USE_NOT_ACCESS",
      scopesUsed: [],
      why: "the scopegate authorizer accepts access tokens only",
    };
  }
  if (credential.kind === "basic" && !credential.enabled) {
    return {
      ...at,
      allowed: false,
      httpStatus: 401,
      reason: "BASIC_DISABLED",
      scopesUsed: [],
      why: "no legacy client, so the authorizer has no BASIC_AUTH_CLIENT_ID and refuses Basic",
    };
  }
  if (credential.kind === "basic" && credential.designated === false) {
    return {
      ...at,
      allowed: false,
      httpStatus: 401,
      reason: "BASIC_USER_NOT_DESIGNATED",
      scopesUsed: [],
      why: "not one of the legacy client's designated Basic accounts (basicUsers): refused before Cognito is asked, whatever the password",
    };
  }
  const tokenScopes = credential.kind === "access-token" ? credential.scopes : [];
  const identity: Identity = {
    principal: profile.principal,
    authType: credential.kind === "basic" ? "basic" : "bearer",
    clientId: profile.client ?? "",
    scopes: tokenScopes,
  };
  const decision = decide({ identity, routeKey: route.key, routeScopes, grants: profile.grants });
  const scopesUsed = identity.authType === "bearer" ? scopesHeld(route.scopes, tokenScopes) : [];
  const grantUsed = coveringGrant(profile.grants, route.key);
  // (As the matrix computed it before it was factored, written as literal objects: spreading a
  // partial cell into each answer made this oracle take tens of seconds at the worst size.)
  const found = (allowed: boolean, httpStatus: MatrixStatus, why: string): MatrixCell =>
    grantUsed === undefined
      ? { profile: profile.id, route: route.key, reason: decision.reason, scopesUsed, allowed, httpStatus, why }
      : { profile: profile.id, route: route.key, reason: decision.reason, scopesUsed, grantUsed, allowed, httpStatus, why };
  if (decision.effect === "Allow") {
    const scopePart =
      identity.authType === "basic"
        ? "Basic: grants only, its tokens carry no custom scope"
        : route.scopes.length === 0
          ? "no scope required"
          : `scope ${scopesUsed.join(" or ")}`;
    return found(true, 200, `${scopePart}; grant "${grantUsed}"`);
  }
  const httpStatus = REASONS[decision.reason].httpStatus as 401 | 403;
  switch (decision.reason) {
    case "SCOPE_MISSING":
      return found(false, httpStatus, scopeMissing(tokenScopes, route));
    case "GRANT_MISSING":
      return found(false, httpStatus, `no grant of ${profile.principal} covers ${route.key}${grants}`);
    default:
      return found(false, httpStatus, clause(REASONS[decision.reason].meaning));
  }
}

/** The native Cognito authorizer. */
function nativeCell(profile: AccessProfile, route: MatrixRoute): MatrixCell {
  const at = { profile: profile.id, route: route.key };
  const decision = nativeCognitoDecision(profile.credential, route.scopes);
  if (decision.allowed) {
    const scopePart = decision.scopesUsed.length > 0 ? `scope ${decision.scopesUsed.join(" or ")}` : "an ID token";
    return {
      ...at,
      allowed: true,
      httpStatus: 200,
      reason: decision.reason,
      scopesUsed: decision.scopesUsed,
      why: `${scopePart}; the native authorizer checks scopes only: no grant needed`,
    };
  }
  const why =
    decision.reason === "SCOPE_MISSING"
      ? `${scopeMissing(profile.credential.kind === "access-token" ? profile.credential.scopes : [], route)} (native Cognito authorizer)`
      : clause(NATIVE_REASONS[decision.reason].meaning);
  return { ...at, allowed: false, httpStatus: 401, reason: decision.reason, scopesUsed: [], why };
}

function scopeMissing(tokenScopes: readonly string[], route: MatrixRoute): string {
  const held = tokenScopes.length === 0 ? "no scope" : tokenScopes.join(" ");
  return `the token can carry ${held}; ${route.key} needs one of ${route.scopes.join(" ")}`;
}

/** A meaning sentence as a clause of a one-line why (no final period). */
function clause(sentence: string): string {
  return sentence.replace(/\.$/, "");
}

function grantList(grants: readonly string[]): string {
  return grants.length === 0 ? " (it has no grants)" : ` (its grants: ${grants.join(", ")})`;
}

const positions = new WeakMap<FullMatrix, { rows: Map<string, number>; columns: Map<string, number> }>();

function fullProfileCellOf(matrix: FullMatrix, profileId: string, routeKey: string): MatrixCell | undefined {
  let at = positions.get(matrix);
  if (at === undefined) {
    at = { rows: new Map(matrix.profiles.map((p, i) => [p.id, i])), columns: new Map(matrix.routes.map((r, i) => [r.key, i])) };
    positions.set(matrix, at);
  }
  const row = at.rows.get(profileId);
  const column = at.columns.get(routeKey);
  return row === undefined || column === undefined ? undefined : matrix.cells[row * matrix.routes.length + column];
}

/**
 * The access changes between two full matrices, compared cell by cell (each pair of profiles on every route).
 *
 * @returns the changes, ordered as `diffMatrices` orders them
 */
export function diffFullMatrices(base: FullMatrix, head: FullMatrix): AccessChange[] {
  const stack = head.stack || base.stack;
  const callers = union(head.callers, base.callers, (caller) => caller.id);
  const routes = union(head.routes, base.routes, (route) => route.key);
  const inBase = { callers: byId(base.callers), routes: ids(base.routes, (r) => r.key), profiles: byId(base.profiles) };
  const inHead = { callers: byId(head.callers), routes: ids(head.routes, (r) => r.key), profiles: byId(head.profiles) };
  const change = (
    kind: AccessChangeKind,
    severity: AccessChangeSeverity,
    members: readonly MatrixCaller[],
    route: string,
    title: string,
    why: string,
  ): AccessChange => ({
    id: `${kind}:${stack}:${members[0]?.id ?? ""}:${route}`,
    severity,
    kind,
    stack,
    title,
    why,
    caller:
      members.length === 0
        ? ""
        : members.length <= 2
          ? members.map((m) => m.id).join(", ")
          : `${members[0]!.id}, ${members[1]!.id} … (${members.length} callers)`,
    callers: members.map((m) => m.id),
    route,
  });

  // Callers grouped by (profile before, profile after): one comparison per group and route.
  const pairs = new Map<string, { before?: AccessProfile; after?: AccessProfile; members: MatrixCaller[] }>();
  for (const caller of callers) {
    const before = inBase.profiles.get(inBase.callers.get(caller.id)?.profile ?? "");
    const after = inHead.profiles.get(inHead.callers.get(caller.id)?.profile ?? "");
    const key = `${before?.id ?? ""} ${after?.id ?? ""}`;
    const pair = pairs.get(key);
    if (pair === undefined)
      pairs.set(key, { ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }), members: [caller] });
    else pair.members.push(caller);
  }

  const widened: AccessChange[] = [];
  const narrowed: AccessChange[] = [];
  for (const { before: bp, after: hp, members } of pairs.values()) {
    for (const route of routes) {
      const before = bp === undefined ? undefined : fullProfileCellOf(base, bp.id, route.key);
      const after = hp === undefined ? undefined : fullProfileCellOf(head, hp.id, route.key);
      const wasAllowed = before?.allowed === true;
      const isAllowed = after?.allowed === true;
      if (!wasAllowed && isAllowed) {
        const was = before !== undefined ? `was refused (${refusal(before)})` : bp === undefined ? "new caller" : "new route";
        widened.push(
          change(
            "widened",
            "high",
            members,
            route.key,
            `${groupLabel(members)} may now call ${route.key}`,
            `${was}; now allowed: ${after!.why}`,
          ),
        );
      } else if (wasAllowed && !isAllowed) {
        const stillThere = hp !== undefined && inHead.routes.has(route.key);
        const now = after !== undefined ? `now refused (${refusal(after)})` : hp === undefined ? "caller removed" : "route removed";
        narrowed.push(
          change(
            "narrowed",
            stillThere ? "medium" : "low",
            members,
            route.key,
            `${groupLabel(members)} may no longer call ${route.key}`,
            `${now}; was allowed: ${before!.why}`,
          ),
        );
      }
    }
  }
  narrowed.sort((a, b) => compareSeverity(a.severity, b.severity));

  const structural: AccessChange[] = [];
  for (const { before, after, members } of pairs.values()) {
    if (before === undefined && after !== undefined) {
      structural.push(
        change(
          "caller-added",
          "info",
          members,
          "",
          `new caller${members.length === 1 ? "" : "s"}: ${groupLabel(members)}`,
          describeProfile(after),
        ),
      );
    }
  }
  for (const route of routes) {
    if (!inBase.routes.has(route.key))
      structural.push(change("route-added", "info", [], route.key, `new route: ${route.key}`, describeRoute(route)));
  }
  for (const { before, after, members } of pairs.values()) {
    if (after === undefined && before !== undefined) {
      structural.push(
        change(
          "caller-removed",
          "info",
          members,
          "",
          `caller${members.length === 1 ? "" : "s"} removed: ${groupLabel(members)}`,
          describeProfile(before),
        ),
      );
    }
  }
  for (const route of routes) {
    if (!inHead.routes.has(route.key))
      structural.push(change("route-removed", "info", [], route.key, `route removed: ${route.key}`, describeRoute(route)));
  }
  return [...widened, ...narrowed, ...structural];
}

function refusal(cell: MatrixCell): string {
  return `${cell.httpStatus} ${cell.reason}: ${cell.why}`;
}

function describeProfile(profile: AccessProfile): string {
  const grants = profile.grants.length === 0 ? "no grants" : `grants ${profile.grants.join(", ")}`;
  return `${profile.credentialLabel}; principal ${profile.principal}; ${grants}`;
}

function describeRoute(route: MatrixRoute): string {
  return `${route.guard} guard; a token needs ${route.scopes.length === 0 ? "no scope" : `one of ${route.scopes.join(" ")}`}`;
}

/** Items of `first`, then those of `second` whose key `first` lacks. */
function union<T>(first: readonly T[], second: readonly T[], key: (item: T) => string): T[] {
  const seen = ids(first, key);
  return [...first, ...second.filter((item) => !seen.has(key(item)))];
}

function ids<T>(items: readonly T[], key: (item: T) => string): Set<string> {
  return new Set(items.map(key));
}

function byId<T extends { readonly id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

/** What {@link fullTally} gives. */
export interface FullTally {
  reasons: { reason: string; statuses: string[]; count: number }[];
  allowed: number;
  refused: number;
  byStatus: Record<number, number>;
}

/**
 * The reasons of a full matrix in order of first appearance, with their statuses per guard and
 * counts, and its allowed and refused counts: what `reasonsUsed` and `countCells` said when they
 * walked every cell.
 */
export function fullTally(matrix: FullMatrix): FullTally {
  const tally = fullTallier(matrix.routes);
  for (const cell of matrix.cells) tally.add(cell);
  return tally.result();
}

/** {@link fullTally} one cell at a time: `add` every cell of the matrix in order, then ask `result`. */
export function fullTallier(routes: readonly MatrixRoute[]): { add(cell: MatrixCell): void; result(): FullTally } {
  const guards = new Map(routes.map((route) => [route.key, route.guard] as const));
  const uses = new Map<string, { statuses: Set<string>; count: number }>();
  const byStatus: Record<number, number> = {};
  let allowed = 0;
  let total = 0;
  return {
    add(cell) {
      const use = uses.get(cell.reason) ?? { statuses: new Set<string>(), count: 0 };
      use.statuses.add(`${cell.httpStatus} (${guards.get(cell.route) ?? "?"})`);
      use.count += 1;
      uses.set(cell.reason, use);
      byStatus[cell.httpStatus] = (byStatus[cell.httpStatus] ?? 0) + 1;
      if (cell.allowed) allowed += 1;
      total += 1;
    },
    result: () => ({
      reasons: [...uses].map(([reason, use]) => ({ reason, statuses: [...use.statuses].sort(), count: use.count })),
      allowed,
      refused: total - allowed,
      byStatus: { ...byStatus },
    }),
  };
}
