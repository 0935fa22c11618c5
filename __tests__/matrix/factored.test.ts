/**
 * The factored matrix against the full computation it replaced (testing/access-matrix-oracle.ts):
 * every cell joined from the factors equals the cell computed in full, for every caller × route of
 * the test configurations and of every scale size of `npm run bench:scale`; and the diff that
 * compares factors first gives the changes of the diff that compared every cell, on generated changes.
 */
import { SCALE_SIZES, scaleConfigDocument, type ScaleSize } from "../../testing/scale-config";
import { computeFullMatrix, diffFullMatrices, fullCellOf, fullMatrixRows, fullTallier } from "../../testing/access-matrix-oracle";
import { countCells, reasonsUsed } from "../../matrix/describe";
import { cellCount, eachCell, expandCell } from "../../matrix/cells";
import { computeAccessMatrix } from "../../matrix/compute";
import { diffMatrices } from "../../matrix/diff";
import type { MatrixCell } from "../../matrix/model";
import type { ScopegateConfig } from "../../stacks/config/model";
import { parseConfig } from "../../stacks/config/parse";
import { emailConfig, exampleConfig, variedConfig } from "./configs";

/** Whether two cells hold the same fields with the same values (a fast `toEqual` for a million cells). */
function sameCell(a: MatrixCell | undefined, b: MatrixCell | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => key in b) &&
    a.profile === b.profile &&
    a.route === b.route &&
    a.allowed === b.allowed &&
    a.httpStatus === b.httpStatus &&
    a.reason === b.reason &&
    a.grantUsed === b.grantUsed &&
    a.why === b.why &&
    a.scopesUsed.length === b.scopesUsed.length &&
    a.scopesUsed.every((scope, i) => scope === b.scopesUsed[i])
  );
}

/** A cell as one string: every field, in a fixed order, and which fields it has. */
function cellText(cell: MatrixCell | undefined): string {
  if (cell === undefined) return "(none)";
  return JSON.stringify([
    Object.keys(cell).sort(),
    cell.profile,
    cell.route,
    cell.allowed,
    cell.httpStatus,
    cell.reason,
    cell.scopesUsed,
    cell.grantUsed ?? null,
    cell.why,
  ]);
}

/**
 * Compares every caller × route; returns the first few that differ, both sides. The full matrix is
 * computed one profile's row at a time and each row compared as it comes (a million cells kept at
 * once cost more in garbage collection than in computing them).
 */
function differences(config: ScopegateConfig): {
  compared: number;
  differing: { caller: string; route: string; factored: string; full: string }[];
} {
  const factored = computeAccessMatrix(config);
  const full = fullMatrixRows(config);
  expect(factored.callers).toEqual(full.callers);
  expect(factored.routes).toEqual(full.routes);
  // A caller's full cell is its profile's: compare through the profiles' rows, then each caller's lookup.
  const callersOf = new Map<string, string[]>();
  for (const caller of factored.callers) {
    const ids = callersOf.get(caller.profile);
    if (ids === undefined) callersOf.set(caller.profile, [caller.id]);
    else ids.push(caller.id);
  }
  const tally = fullTallier(full.routes);
  const differing: { caller: string; route: string; factored: string; full: string }[] = [];
  let compared = 0;
  let total = 0;
  full.profiles.forEach((profile, index) => {
    const row = full.row(index);
    for (const cell of row) tally.add(cell);
    total += row.length;
    for (const caller of callersOf.get(profile.id) ?? []) {
      for (const [column, route] of factored.routes.entries()) {
        const a = expandCell(factored, caller, route.key);
        const b = row[column];
        compared += 1;
        if (!sameCell(a, b) && differing.length < 5) differing.push({ caller, route: route.key, factored: cellText(a), full: cellText(b) });
      }
    }
    callersOf.delete(profile.id);
  });
  // every caller's profile is one of the full matrix's
  expect([...callersOf.keys()]).toEqual([]);
  // the counts and reasons, tallied from the factors, are those of every cell
  const { reasons, allowed, refused, byStatus } = tally.result();
  expect(reasonsUsed(factored).map(({ reason, statuses, count }) => ({ reason, statuses, count }))).toEqual(reasons);
  expect(countCells(factored)).toEqual({ allowed, refused, total, byStatus });
  return { compared, differing };
}

describe("the factored matrix equals the full one", () => {
  test.each([
    ["the built-in example", exampleConfig()],
    ["the varied configuration", variedConfig()],
    ["the e-mail sign-in configuration", emailConfig()],
    ["the example with callers that group", exampleConfig((doc) => doc.users.push({ username: "carol" }, { username: "dave" }))],
  ])("GIVEN %s THEN every caller × route cell is the full computation's", (_, config) => {
    const { compared, differing } = differences(config);
    expect(differing).toEqual([]);
    expect(compared).toBeGreaterThan(0);
  });

  test.each(Object.keys(SCALE_SIZES) as ScaleSize[])(
    "GIVEN the %s scale size THEN every caller × route cell is the full computation's",
    (size) => {
      const config = parseConfig(scaleConfigDocument(`scale-${size}`, SCALE_SIZES[size]), "generated");
      const { compared, differing } = differences(config);
      expect(differing).toEqual([]);
      const shape = SCALE_SIZES[size];
      expect(compared).toBeGreaterThanOrEqual(shape.users * shape.routes);
    },
    120_000,
  );

  test("GIVEN the worst size THEN profiles do not group, and the grid is only joined, never stored", () => {
    const matrix = computeAccessMatrix(parseConfig(scaleConfigDocument("scale-worst", SCALE_SIZES.worst), "generated"));
    expect(matrix.profiles.length).toBe(matrix.callers.length);
    expect(cellCount(matrix)).toBeGreaterThan(1_000_000);
    // the stored factors: a row per credential and per grant set, far fewer than the profiles
    expect(matrix.credentials.length).toBeLessThan(100);
    expect(matrix.grantSets.length).toBeLessThanOrEqual(SCALE_SIZES.worst.users + 20 + 1);
    expect(JSON.stringify(matrix).length).toBeLessThan(20_000_000);
    // and eachCell walks the same cells as expandCell
    let walked = 0;
    for (const cell of eachCell(matrix)) {
      if (walked % 997 === 0) {
        const caller = matrix.profiles.find((p) => p.id === cell.profile)!.callers[0]!;
        expect(cellText(expandCell(matrix, caller, cell.route))).toBe(cellText(cell));
      }
      walked += 1;
    }
    expect(walked).toBe(cellCount(matrix));
  });

  test("GIVEN a matrix read back from JSON THEN expandCell gives the same cells", () => {
    const config = variedConfig();
    const matrix = computeAccessMatrix(config);
    const read = JSON.parse(JSON.stringify(matrix));
    const full = computeFullMatrix(config);
    for (const caller of matrix.callers)
      for (const route of matrix.routes)
        expect(cellText(expandCell(read, caller.id, route.key))).toBe(cellText(fullCellOf(full, caller.id, route.key)));
  });
});

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Doc = Record<string, any>;

/** Changes a pull request could make, each applied to a document with values drawn from `next`. */
const CHANGES: Record<string, (doc: Doc, next: () => number) => void> = {
  "a grant added": (doc, next) => {
    const grant = doc.authorizationTable.grants[Math.floor(next() * doc.authorizationTable.grants.length)];
    const route = doc.api.routes[Math.floor(next() * doc.api.routes.length)];
    const key = `${next() < 0.2 ? "*" : route.method} ${route.path}`;
    if (!grant.routes.includes(key)) grant.routes.push(key);
  },
  "a grant removed": (doc, next) => {
    const grant = doc.authorizationTable.grants[Math.floor(next() * doc.authorizationTable.grants.length)];
    if (grant.routes.length > 1) grant.routes.splice(Math.floor(next() * grant.routes.length), 1);
  },
  "a client's scope added": (doc, next) => {
    const clients = doc.appClients.filter((c: Doc) => c.kind !== "legacy");
    const client = clients[Math.floor(next() * clients.length)];
    const scope = `api.example.com/s${Math.floor(next() * 20)}`;
    if (!client.scopes.includes(scope)) client.scopes.push(scope);
  },
  "a client's scope removed": (doc, next) => {
    const clients = doc.appClients.filter((c: Doc) => c.kind !== "legacy" && c.scopes.length > 2);
    const client = clients[Math.floor(next() * clients.length)];
    if (client !== undefined) client.scopes.splice(client.scopes.length - 1, 1);
  },
  "a route moved to the cognito guard": (doc, next) => {
    doc.api.routes[Math.floor(next() * doc.api.routes.length)].guard = "cognito";
  },
  "a route removed": (doc, next) => {
    const [route] = doc.api.routes.splice(Math.floor(next() * doc.api.routes.length), 1);
    const key = `${route.method} ${route.path}`;
    // grants of a route that no longer exists are refused by validation: they go too
    for (const grant of doc.authorizationTable.grants) grant.routes = grant.routes.filter((r: string) => r !== key);
    doc.authorizationTable.grants = doc.authorizationTable.grants.filter((grant: Doc) => grant.routes.length > 0);
  },
  "a route added with a grant": (doc, next) => {
    const path = `/new${Math.floor(next() * 1000)}`;
    doc.api.routes.push({ method: "GET", path, guard: "lambda", scopes: [`api.example.com/s${Math.floor(next() * 20)}`] });
    doc.authorizationTable.grants[Math.floor(next() * doc.authorizationTable.grants.length)].routes.push(`GET ${path}`);
  },
  "a user designated for Basic": (doc, next) => {
    const legacy = doc.appClients.find((c: Doc) => c.kind === "legacy");
    const user = doc.users[Math.floor(next() * doc.users.length)];
    if (legacy !== undefined && !legacy.basicUsers.includes(user.username)) legacy.basicUsers.push(user.username);
  },
  "a user added with the grants of another": (doc, next) => {
    const username = `new${Math.floor(next() * 1000)}`;
    const like = doc.authorizationTable.grants.find((g: Doc) => "user" in g.principal);
    doc.users.push({ username, email: `${username}@example.com` });
    doc.authorizationTable.grants.push({ principal: { user: username }, routes: [...like.routes] });
  },
  "a user removed": (doc, next) => {
    const [user] = doc.users.splice(Math.floor(next() * doc.users.length), 1);
    doc.authorizationTable.grants = doc.authorizationTable.grants.filter((g: Doc) => g.principal.user !== user.username);
    const legacy = doc.appClients.find((c: Doc) => c.kind === "legacy");
    legacy.basicUsers = legacy.basicUsers.filter((name: string) => name !== user.username);
    if (legacy.basicUsers.length === 0) doc.appClients = doc.appClients.filter((c: Doc) => c.kind !== "legacy");
  },
};

/** Drops grants that no longer match a route on the lambda guard (the configuration refuses them), and grant items left empty. */
function keepValidGrants(doc: Doc): void {
  const lambda = doc.api.routes.filter((route: Doc) => route.guard === "lambda");
  const matches = (grant: string) => {
    const [method, path] = grant.split(" ");
    return lambda.some((route: Doc) => route.path === path && (method === "*" || route.method === method));
  };
  for (const grant of doc.authorizationTable.grants) grant.routes = grant.routes.filter(matches);
  doc.authorizationTable.grants = doc.authorizationTable.grants.filter((grant: Doc) => grant.routes.length > 0);
}

describe("diffMatrices compares factors first and gives the cell-by-cell diff's changes", () => {
  const shapes = [
    ["small", { ...SCALE_SIZES.small }],
    ["small, grants of their own", { ...SCALE_SIZES.small, uniqueGrants: true }],
    ["medium", { ...SCALE_SIZES.medium }],
  ] as const;
  for (const [name, shape] of shapes) {
    test(`GIVEN the ${name} size and 24 generated changes of one to three kinds THEN the changes are the cell-by-cell diff's`, () => {
      const next = random(name.length * 7919);
      const kinds = Object.keys(CHANGES);
      let changed = 0;
      // Every round changes the same generated base: its full matrix is computed once.
      const base = scaleConfigDocument(`scale-${name.replace(/\W+/g, "-")}`, shape);
      const baseConfig = parseConfig(base, "base");
      const fullBase = computeFullMatrix(baseConfig);
      for (let round = 0; round < 24; round += 1) {
        const head = structuredClone(base);
        const picked = Array.from({ length: 1 + Math.floor(next() * 3) }, () => kinds[Math.floor(next() * kinds.length)]!);
        for (const kind of picked) CHANGES[kind]!(head, next);
        keepValidGrants(head);
        const headConfig = parseConfig(head, "head");
        const factored = diffMatrices(computeAccessMatrix(parseConfig(base, "base")), computeAccessMatrix(headConfig));
        const full = diffFullMatrices(fullBase, computeFullMatrix(headConfig));
        expect({ picked, changes: factored }).toEqual({ picked, changes: full });
        if (full.length > 0) changed += 1;
      }
      // the generated changes do change access, most of the time
      expect(changed).toBeGreaterThan(12);
    }, 120_000);
  }

  test("GIVEN the large size with one grant added (the benchmark's review) THEN the changes are the cell-by-cell diff's", () => {
    const base = scaleConfigDocument("scale-large", SCALE_SIZES.large);
    const head = structuredClone(base);
    head.authorizationTable.grants[0].routes.push(`${head.api.routes.at(-1).method} ${head.api.routes.at(-1).path}`);
    const [b, h] = [parseConfig(base, "base"), parseConfig(head, "head")];
    const factored = diffMatrices(computeAccessMatrix(b), computeAccessMatrix(h));
    expect(factored.length).toBeGreaterThan(0);
    expect(factored).toEqual(diffFullMatrices(computeFullMatrix(b), computeFullMatrix(h)));
  }, 120_000);
});
