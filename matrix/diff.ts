/**
 * What a change of configuration does to who can call what: two access matrices compared, as plain
 * data a pull-request review can include, and its Markdown. Callers are compared through their
 * profiles: each pair (profile before, profile after) names every caller a change affects. The
 * factors are compared first: a pair's cells can differ only on routes where its two credential
 * rows differ (refused, allowed, or the grants decide) or its two grant sets cover differently, so
 * only those cells are joined and compared.
 *
 * @packageDocumentation
 */
import { markdownCode, markdownRow, markdownText } from "../core/markdown";
import { SEVERITIES, SEVERITY_ICON, compareSeverity, type Severity } from "../core/severity";
import { groupLabel } from "./compute";
import { coverOf, credentialOf, expandProfileCell, verdictOf } from "./cells";
import type { AccessMatrix, AccessProfile, MatrixCaller, MatrixCell, MatrixRoute } from "./model";

/** How much an access change matters: the shared severity scale, whose `critical` it never uses. */
export type AccessChangeSeverity = Exclude<Severity, "critical">;

/** The severities of access changes, most severe first. */
export const ACCESS_CHANGE_SEVERITIES: readonly AccessChangeSeverity[] = SEVERITIES.filter(
  (severity): severity is AccessChangeSeverity => severity !== "critical",
);

/**
 * What changed:
 * - `widened`: a call that was refused (or did not exist) is now allowed: `high`;
 * - `narrowed`: a call that was allowed is now refused: `medium` while the caller and the route
 *   still exist (their clients will start failing), `low` when either was removed;
 * - a caller or a route added or removed: `info` (what they may call is in the cell changes).
 */
export type AccessChangeKind = "widened" | "narrowed" | "caller-added" | "caller-removed" | "route-added" | "route-removed";

/** One change of access, for one or more callers. */
export interface AccessChange {
  /** Stable: `<kind>:<stack>:<first caller>:<route>`. */
  readonly id: string;
  readonly severity: AccessChangeSeverity;
  readonly kind: AccessChangeKind;
  /** The stack whose matrix changed. */
  readonly stack: string;
  /** What changes, in one line, e.g. `bob through web may now call POST /resource`. */
  readonly title: string;
  /** Why, in one line: what the call was and what it is now. */
  readonly why: string;
  /**
   * The caller's id (see `MatrixCaller.id`), or for several the first ids and their count
   * (`user:a@web, user:b@web … (12 callers)`); empty for a route added or removed.
   */
  readonly caller: string;
  /** Every caller affected, by id; empty for a route added or removed. */
  readonly callers: readonly string[];
  /** The route key; empty for a caller added or removed. */
  readonly route: string;
}

/**
 * Compares two matrices of one stack. A cell that exists on one side only (its caller or route is
 * new or gone) counts as refused on the other. Each pair of profiles (before, after) is compared
 * once per route; a change lists every caller of the pair.
 *
 * @param base - the matrix before the change
 * @param head - the matrix after it
 * @returns refused → allowed first (`high`), then allowed → refused (`medium`, then `low`), then
 * callers and routes added or removed (`info`); each group in the matrices' caller then route order
 */
export function diffMatrices(base: AccessMatrix, head: AccessMatrix): AccessChange[] {
  const change = changeMaker(head.stack || base.stack);
  const callers = union(head.callers, base.callers, (caller) => caller.id);
  const routes = union(head.routes, base.routes, (route) => route.key);
  const pairs = profilePairs(base, head, callers);
  const { widened, narrowed } = callChanges(base, head, routes, pairs, change);
  return [...widened, ...narrowed, ...structuralChanges(base, head, routes, pairs, change)];
}

/** Makes an {@link AccessChange} of one stack: its id and its `caller` summary follow from the rest. */
type MakeChange = (
  kind: AccessChangeKind,
  severity: AccessChangeSeverity,
  members: readonly MatrixCaller[],
  route: string,
  title: string,
  why: string,
) => AccessChange;

function changeMaker(stack: string): MakeChange {
  return (kind, severity, members, route, title, why) => ({
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
}

/** Callers with one profile before and one after: a caller new or gone lacks one of them. */
interface ProfilePair {
  readonly before?: AccessProfile;
  readonly after?: AccessProfile;
  readonly members: MatrixCaller[];
}

/** Callers grouped by (profile before, profile after), in `callers` order: one comparison per group and route. */
function profilePairs(base: AccessMatrix, head: AccessMatrix, callers: readonly MatrixCaller[]): ProfilePair[] {
  const inBase = { callers: byId(base.callers), profiles: byId(base.profiles) };
  const inHead = { callers: byId(head.callers), profiles: byId(head.profiles) };
  const pairs = new Map<string, ProfilePair>();
  for (const caller of callers) {
    const before = inBase.profiles.get(inBase.callers.get(caller.id)?.profile ?? "");
    const after = inHead.profiles.get(inHead.callers.get(caller.id)?.profile ?? "");
    const key = `${before?.id ?? ""} ${after?.id ?? ""}`;
    const pair = pairs.get(key);
    if (pair === undefined)
      pairs.set(key, { ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }), members: [caller] });
    else pair.members.push(caller);
  }
  return [...pairs.values()];
}

/**
 * The calls each pair of profiles gains or loses, on the columns its factors say may differ.
 *
 * @returns widened (`high`) and narrowed, the narrowed `medium` (caller and route still there) before `low`
 */
function callChanges(
  base: AccessMatrix,
  head: AccessMatrix,
  routes: readonly MatrixRoute[],
  pairs: readonly ProfilePair[],
  change: MakeChange,
): { widened: AccessChange[]; narrowed: AccessChange[] } {
  const headRoutes = ids(head.routes, (r) => r.key);
  const candidates = changedColumns(base, head, routes);
  const widened: AccessChange[] = [];
  const narrowed: AccessChange[] = [];
  for (const { before: bp, after: hp, members } of pairs) {
    for (const column of candidates(bp, hp)) {
      const route = routes[column]!;
      const baseColumn = candidates.baseColumn[column];
      const headColumn = candidates.headColumn[column];
      const wasAllowed = bp !== undefined && baseColumn !== undefined && verdictOf(base, bp, baseColumn)?.allowed === true;
      const isAllowed = hp !== undefined && headColumn !== undefined && verdictOf(head, hp, headColumn)?.allowed === true;
      if (wasAllowed === isAllowed) continue;
      const before = bp === undefined ? undefined : expandProfileCell(base, bp.id, route.key);
      const after = hp === undefined ? undefined : expandProfileCell(head, hp.id, route.key);
      if (isAllowed) {
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
      } else {
        const stillThere = hp !== undefined && headRoutes.has(route.key);
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
  return { widened, narrowed };
}

/** Callers and routes added, then callers and routes removed (`info`): what they may call is in the call changes. */
function structuralChanges(
  base: AccessMatrix,
  head: AccessMatrix,
  routes: readonly MatrixRoute[],
  pairs: readonly ProfilePair[],
  change: MakeChange,
): AccessChange[] {
  const baseRoutes = ids(base.routes, (r) => r.key);
  const headRoutes = ids(head.routes, (r) => r.key);
  const structural: AccessChange[] = [];
  for (const { before, after, members } of pairs) {
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
    if (!baseRoutes.has(route.key))
      structural.push(change("route-added", "info", [], route.key, `new route: ${route.key}`, describeRoute(route)));
  }
  for (const { before, after, members } of pairs) {
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
    if (!headRoutes.has(route.key))
      structural.push(change("route-removed", "info", [], route.key, `route removed: ${route.key}`, describeRoute(route)));
  }
  return structural;
}

/**
 * Compares the matrices of several stacks (environments), pairing them by stack name; a stack on
 * one side only is compared with an empty matrix.
 *
 * @returns the changes of every stack, grouped as {@link diffMatrices} groups them across stacks
 */
export function diffMatrixSets(base: readonly AccessMatrix[], head: readonly AccessMatrix[]): AccessChange[] {
  const stacks = union(head, base, (matrix) => matrix.stack).map((matrix) => matrix.stack);
  const empty = (stack: string): AccessMatrix => ({
    stack,
    source: "(none)",
    routes: [],
    callers: [],
    profiles: [],
    credentials: [],
    grantSets: [],
    notes: [],
  });
  const changes = stacks.flatMap((stack) =>
    diffMatrices(base.find((m) => m.stack === stack) ?? empty(stack), head.find((m) => m.stack === stack) ?? empty(stack)),
  );
  const group = (change: AccessChange) => [
    change.kind === "widened" ? 0 : change.kind === "narrowed" ? 1 : 2,
    SEVERITIES.indexOf(change.severity),
  ];
  return changes
    .map((change, index) => ({ change, index }))
    .sort((a, b) => {
      const [ga, sa] = group(a.change);
      const [gb, sb] = group(b.change);
      return ga - gb || sa - sb || a.index - b.index;
    })
    .map(({ change }) => change);
}

/** Options of {@link renderAccessChangesMarkdown}. */
export interface AccessChangesMarkdownOptions {
  /**
   * The heading line.
   *
   * @default "### Access changes"
   */
  readonly heading?: string;
  /**
   * Most rows in the table; the rest are counted.
   *
   * @default 50
   */
  readonly maxRows?: number;
}

/**
 * Renders access changes as GitHub-flavoured Markdown: a heading, counts per severity, and a
 * table (severity, stack when several, caller, route, change, why). Names are code and sentences
 * prose whose linkable words are code (core/markdown.ts): a caller named `@octocat` mentions no one.
 *
 * @param changes - from {@link diffMatrices} or {@link diffMatrixSets}
 * @param options - heading and row limit
 * @returns the Markdown, ending with a newline
 */
export function renderAccessChangesMarkdown(changes: readonly AccessChange[], options: AccessChangesMarkdownOptions = {}): string {
  const heading = options.heading ?? "### Access changes";
  const maxRows = options.maxRows ?? 50;
  if (changes.length === 0) return `${heading}\n\nNo change in who can call what.\n`;
  const counts = ACCESS_CHANGE_SEVERITIES.filter((severity) => changes.some((c) => c.severity === severity))
    .map((severity) => `${SEVERITY_ICON[severity]} ${changes.filter((c) => c.severity === severity).length} ${severity}`)
    .join(" · ");
  const severalStacks = new Set(changes.map((c) => c.stack)).size > 1;
  const columns = ["Severity", ...(severalStacks ? ["Stack"] : []), "Caller", "Route", "Change", "Why"];
  const out = [heading, "", counts, "", row(columns), row(columns.map(() => "---"))];
  for (const change of changes.slice(0, maxRows)) {
    out.push(
      row([
        `${SEVERITY_ICON[change.severity]} ${change.severity}`,
        ...(severalStacks ? [code(change.stack)] : []),
        change.caller === "" ? "" : code(change.caller),
        change.route === "" ? "" : code(change.route),
        markdownText(change.title),
        markdownText(change.why),
      ]),
    );
  }
  if (changes.length > maxRows) out.push("", `… and ${changes.length - maxRows} more.`);
  return `${out.join("\n")}\n`;
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

/** The columns (of `routes`) where a pair of profiles may differ, from their factors. */
interface ChangedColumns {
  (before: AccessProfile | undefined, after: AccessProfile | undefined): readonly number[];
  /** Per column of `routes`, its column in the base and in the head (absent where the route is not there). */
  readonly baseColumn: readonly (number | undefined)[];
  readonly headColumn: readonly (number | undefined)[];
}

/**
 * Compares the factors of two matrices, each pair of credential rows and each pair of grant sets
 * once: a pair of profiles can change only where its credential rows answer differently (refused,
 * allowed, or the grants decide; a route on one side only counts as refused on the other) or its
 * grant sets cover differently. A profile on one side only may change on every route.
 *
 * @param routes - the routes of both, as the diff orders them
 * @returns the columns to compare, in route order, for a pair of profiles
 */
function changedColumns(base: AccessMatrix, head: AccessMatrix, routes: readonly MatrixRoute[]): ChangedColumns {
  const column = (matrix: AccessMatrix) => {
    const at = new Map(matrix.routes.map((route, index) => [route.key, index] as const));
    return routes.map((route) => at.get(route.key));
  };
  const baseColumn = column(base);
  const headColumn = column(head);
  const every = routes.map((_, index) => index);
  const outcomes = (matrix: AccessMatrix, columns: readonly (number | undefined)[], credentialId: string) => {
    const cells = credentialOf(matrix, credentialId)?.cells ?? [];
    return columns.map((at) => (at === undefined ? "refused" : (cells[at]?.outcome ?? "refused")));
  };
  const credentialDiffs = new Map<string, number[]>();
  const grantDiffs = new Map<string, number[]>();
  const differing = (before: readonly unknown[], after: readonly unknown[]) => every.filter((index) => before[index] !== after[index]);
  const changed = (before: AccessProfile | undefined, after: AccessProfile | undefined): readonly number[] => {
    if (before === undefined || after === undefined) return every;
    const credentials = `${before.credentialId} ${after.credentialId}`;
    let byCredential = credentialDiffs.get(credentials);
    if (byCredential === undefined) {
      byCredential = differing(outcomes(base, baseColumn, before.credentialId), outcomes(head, headColumn, after.credentialId));
      credentialDiffs.set(credentials, byCredential);
    }
    const grantSets = `${before.grantSetId} ${after.grantSetId}`;
    let byGrants = grantDiffs.get(grantSets);
    if (byGrants === undefined) {
      const covered = (matrix: AccessMatrix, columns: readonly (number | undefined)[], id: string) =>
        columns.map((at) => (at === undefined ? undefined : coverOf(matrix, id, at)) !== undefined);
      byGrants = differing(covered(base, baseColumn, before.grantSetId), covered(head, headColumn, after.grantSetId));
      grantDiffs.set(grantSets, byGrants);
    }
    if (byGrants.length === 0) return byCredential;
    if (byCredential.length === 0) return byGrants;
    return [...new Set([...byCredential, ...byGrants])].sort((a, b) => a - b);
  };
  return Object.assign(changed, { baseColumn, headColumn });
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

function row(cells: readonly string[]): string {
  return markdownRow(cells);
}

function code(text: string): string {
  return markdownCode(text);
}
