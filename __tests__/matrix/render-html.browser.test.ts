/**
 * The access matrix page in a real headless Chromium: what it shows, that sorting works, that it
 * asks for nothing over the network. SCOPEGATE_KEEP_SCREENSHOT=<file> keeps the 1366×768 picture.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { eachCell, expandCell } from "../../matrix/cells";
import { computeAccessMatrix } from "../../matrix/compute";
import { summarizeCell } from "../../matrix/describe";
import type { AccessMatrix } from "../../matrix/model";
import { parseConfig } from "../../stacks/config/parse";
import { SCALE_SIZES, scaleConfigDocument } from "../../testing/scale-config";
import { renderMatrixHtml } from "../../matrix/render-html";
import { describeWithChromium, launchChromium, type HeadlessBrowser } from "../../testing/chromium";
import { emailConfig, exampleConfig } from "./configs";

interface RenderedCell {
  readonly route: string;
  readonly allowed: string;
  readonly text: string;
  readonly title: string;
  readonly background: string;
  readonly verdictVisible: boolean;
}

/** The page's DOM as far as this test reads it (the project's TypeScript has no DOM library). */
interface PageElement {
  readonly dataset: Readonly<Record<string, string | undefined>>;
  readonly innerText: string;
  readonly title: string;
  readonly offsetHeight: number;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
declare const getComputedStyle: (element: PageElement) => { readonly backgroundColor: string; readonly visibility: string };

/** Rows of one stack's matrix table, in display order. */
function renderedRows(page: Page, stack: string): Promise<Array<{ caller: string; cells: RenderedCell[] }>> {
  return page.$$eval(`section[data-stack="${stack}"] table.matrix tbody tr`, (rows: PageElement[]) =>
    rows.map((row) => ({
      // A profile's callers; a profile of one caller is that caller.
      caller: row.dataset.callers ?? "",
      cells: Array.from(row.querySelectorAll("td.cell")).map((td) => {
        const verdict = td.querySelector(".verdict")!;
        return {
          route: td.dataset.route ?? "",
          allowed: td.dataset.allowed ?? "",
          text: td.innerText.replace(/\s+/g, " ").trim(),
          title: td.title,
          background: getComputedStyle(td).backgroundColor,
          verdictVisible: verdict.offsetHeight > 0 && getComputedStyle(verdict).visibility === "visible",
        };
      }),
    })),
  );
}

/** What the pickers show for a caller and a route, in the terms of `summarizeCell`. */
async function picked(page: Page, stack: string, caller: string, route: string) {
  const section = page.locator(`section[data-stack="${stack}"]`);
  await section.locator(".pick-caller").selectOption(caller);
  await section.locator(".pick-route").selectOption(route);
  const joined = section.locator(".joined");
  return {
    allowed: await joined.getAttribute("data-allowed"),
    status: await joined.getAttribute("data-status"),
    reason: await joined.getAttribute("data-reason"),
    verdict: (await joined.locator(".verdict").innerText()).trim(),
    detail: await joined.locator(".detail").innerText(),
  };
}

/** What the pickers should show: the joined cell of the matrix. */
function expected(matrix: AccessMatrix, caller: string, route: string) {
  const cell = expandCell(matrix, caller, route)!;
  const summary = summarizeCell(cell);
  return {
    allowed: String(cell.allowed),
    status: String(cell.httpStatus),
    reason: cell.reason,
    verdict: `${cell.allowed ? "✓" : "✕"} ${summary.verdict}`,
    detail: summary.detail,
  };
}

describeWithChromium("the access matrix page in headless Chromium", (executablePath) => {
  let browser: HeadlessBrowser;
  let page: Page;
  const requests: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const example = computeAccessMatrix(exampleConfig(), { source: "the built-in example" });
    const file = join(mkdtempSync(join(tmpdir(), "scopegate-matrix-html-")), "access-matrix.html");
    writeFileSync(file, renderMatrixHtml([example, computeAccessMatrix(emailConfig())]));
    browser = await launchChromium(executablePath);
    page = await browser.context.newPage();
    page.on("request", (request) => requests.push(request.url()));
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    await page.goto(pathToFileURL(file).href);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  test("THEN it loads nothing but itself and runs without errors", () => {
    expect(requests.every((url) => url.startsWith("file://"))).toBe(true);
    expect(requests).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });

  test("THEN the example's cells show who may call what: allowed green with scope and grant, refused red with status and reason", async () => {
    const rows = await renderedRows(page, "scopegate-example");
    // the row of a caller's profile
    const cell = (caller: string, route: string) =>
      rows.find((row) => row.caller.split(" ").includes(caller))!.cells.find((c) => c.route === route)!;

    const aliceGet = cell("user:alice@web", "GET /resource");
    expect(aliceGet).toMatchObject({ allowed: "true", text: "✓ Allowed api.example.com/read + grant GET /resource", verdictVisible: true });
    expect(aliceGet.title).toBe(
      'alice, svc-reports (2 users) through web → GET /resource: allowed, scope api.example.com/read; grant "GET /resource"',
    );

    const alicePost = cell("user:alice@web", "POST /resource");
    expect(alicePost).toMatchObject({ allowed: "false", verdictVisible: true });
    expect(alicePost.text).toBe(
      "✕ Refused 403 SCOPE_MISSING the token can carry openid api.example.com/read; POST /resource needs one of api.example.com/write",
    );
    expect(alicePost.title).toContain("refused 403 SCOPE_MISSING, the token can carry");

    expect(cell("client:machine", "POST /resource").text).toBe("✓ Allowed api.example.com/write + grant POST /resource");
    expect(cell("client:machine", "GET /resource").text).toMatch(/^✕ Refused 403 SCOPE_MISSING /);
    expect(cell("basic:svc-reports", "GET /resource").text).toBe("✓ Allowed grant GET /resource");
    expect(cell("basic:svc-reports", "POST /resource").text).toMatch(/^✕ Refused 403 GRANT_MISSING /);
    expect(cell("basic:alice", "GET /resource").text).toMatch(/^✕ Refused 401 BASIC_USER_NOT_DESIGNATED /);
    expect(cell("user:bob@web", "GET /reports").text).toBe("✓ Allowed api.example.com/read, no grant needed");
    expect(cell("user:bob@web", "POST /reports").text).toMatch(/^✕ Refused 401 SCOPE_MISSING /);
    expect(cell("basic:alice", "GET /reports").text).toMatch(/^✕ Refused 401 NATIVE_BASIC_NOT_ACCEPTED Basic credentials are not accepted/);

    // Allowed and refused look different, and every allowed cell looks the same.
    const all = rows.flatMap((row) => row.cells);
    const backgrounds = (allowed: string) => new Set(all.filter((c) => c.allowed === allowed).map((c) => c.background));
    expect(backgrounds("true").size).toBe(1);
    expect(backgrounds("false").size).toBe(1);
    expect([...backgrounds("true")][0]).not.toBe([...backgrounds("false")][0]);
    expect(all.filter((c) => c.allowed === "true")).toHaveLength(6);
    expect(all.every((c) => c.verdictVisible)).toBe(true);
  });

  test("WHEN a route's header is clicked THEN rows sort by that column, allowed first; again, refused first; the Profile header sorts by name", async () => {
    const order = async () => (await renderedRows(page, "scopegate-example")).map((row) => row.caller);
    const initial = await order();
    expect(initial).toEqual([
      "user:alice@web user:svc-reports@web",
      "user:bob@web",
      "id-token@web",
      "client:machine",
      "basic:alice",
      "basic:bob",
      "basic:svc-reports",
    ]);

    const header = page.locator('section[data-stack="scopegate-example"] th[data-route="POST /resource"] button');
    await header.click();
    // allowed, then 401s, then 403s grouped by reason (BASIC_USER_NOT_DESIGNATED before TOKEN_USE_NOT_ACCESS,
    // GRANT_MISSING before SCOPE_MISSING); ties keep their order
    expect(await order()).toEqual([
      "client:machine",
      "basic:alice",
      "basic:bob",
      "id-token@web",
      "basic:svc-reports",
      "user:alice@web user:svc-reports@web",
      "user:bob@web",
    ]);
    expect(await page.locator('section[data-stack="scopegate-example"] th[data-route="POST /resource"]').getAttribute("aria-sort")).toBe(
      "ascending",
    );

    await header.click();
    expect((await order())[6]).toBe("client:machine");
    expect(await page.locator('section[data-stack="scopegate-example"] th[data-route="POST /resource"]').getAttribute("aria-sort")).toBe(
      "descending",
    );

    await page.locator('section[data-stack="scopegate-example"] th', { hasText: "Profile" }).locator("button").click();
    // ("alice with Basic" sorts before "alice, svc-reports": the space after "alice" sorts before the comma)
    expect(await order()).toEqual([
      "basic:alice",
      "user:alice@web user:svc-reports@web",
      "user:bob@web",
      "basic:bob",
      "id-token@web",
      "client:machine",
      "basic:svc-reports",
    ]);
    // The other section keeps its own order.
    expect((await renderedRows(page, "matrix-email")).map((row) => row.caller)).toEqual([
      "user:frank@example.org@spa",
      "user:grace@example.org@spa",
      "client:batch",
      "basic:*",
    ]);
  });

  test("GIVEN callers that answer alike THEN one row for them, naming how many, with the callers one click away", async () => {
    const grouped = computeAccessMatrix(
      exampleConfig((doc) => doc.users.push({ username: "carol" }, { username: "dave" })),
      {
        source: "three users without grants",
      },
    );
    const file = join(mkdtempSync(join(tmpdir(), "scopegate-matrix-html-")), "access-matrix.html");
    writeFileSync(file, renderMatrixHtml([grouped]));
    const other = await browser.context.newPage();
    await other.goto(pathToFileURL(file).href);
    const rows = await renderedRows(other, "scopegate-example");
    expect(rows.map((row) => row.caller)).toContain("user:bob@web user:carol@web user:dave@web");
    const row = other.locator('tr[data-callers="user:bob@web user:carol@web user:dave@web"]');
    await expect(row.locator("th").innerText()).resolves.toContain("bob, carol, dave (3 users) through web");
    expect(await row.locator("details.members li").first().isVisible()).toBe(false);
    await row.locator("details.members summary").click();
    expect(await row.locator("details.members li").allInnerTexts()).toEqual(["bob through web", "carol through web", "dave through web"]);
    await other.close();
  });

  test("WHEN a caller and a route are picked THEN the page joins the caller's credential row and grant set into that cell, for every caller × route of both stacks", async () => {
    for (const matrix of [computeAccessMatrix(exampleConfig(), { source: "the built-in example" }), computeAccessMatrix(emailConfig())]) {
      for (const caller of matrix.callers) {
        for (const route of matrix.routes) {
          expect({ caller: caller.id, route: route.key, ...(await picked(page, matrix.stack, caller.id, route.key)) }).toEqual({
            caller: caller.id,
            route: route.key,
            ...expected(matrix, caller.id, route.key),
          });
        }
      }
    }
    expect(pageErrors).toEqual([]);
  }, 60_000);

  test("GIVEN a matrix too large for a grid THEN no grid, and the pickers show each kind of cell as the matrix joins it", async () => {
    const matrix = computeAccessMatrix(
      parseConfig(scaleConfigDocument("scale-medium", { ...SCALE_SIZES.medium, uniqueGrants: true }), "generated"),
    );
    const file = join(mkdtempSync(join(tmpdir(), "scopegate-matrix-html-")), "access-matrix.html");
    writeFileSync(file, renderMatrixHtml([matrix]));
    const large = await browser.context.newPage();
    const errors: string[] = [];
    large.on("pageerror", (error) => errors.push(error.message));
    await large.goto(pathToFileURL(file).href);
    expect(await large.locator("table.matrix").count()).toBe(0);
    await expect(large.locator(".factored-note").innerText()).resolves.toContain("too large for a grid");
    // the two factor tables: a row per credential and per grant set
    expect(await large.locator("tr[data-credential]").count()).toBe(matrix.credentials.length);
    expect(await large.locator("tr[data-grant-set]").count()).toBe(matrix.grantSets.length);
    // one call of each reason the matrix uses (allowed, scope missing, grant missing, …), and of each credential
    const samples = new Map<string, { caller: string; route: string }>();
    for (const cell of eachCell(matrix)) {
      const profile = matrix.profiles.find((p) => p.id === cell.profile)!;
      for (const key of [cell.reason as string, `credential ${profile.credentialId}`]) {
        if (!samples.has(key)) samples.set(key, { caller: profile.callers.at(-1)!, route: cell.route });
      }
    }
    expect([...samples.keys()]).toEqual(expect.arrayContaining(["ALLOWED", "GRANT_MISSING", "SCOPE_MISSING"]));
    for (const { caller, route } of samples.values()) {
      expect({ caller, route, ...(await picked(large, matrix.stack, caller, route)) }).toEqual({
        caller,
        route,
        ...expected(matrix, caller, route),
      });
    }
    expect(errors).toEqual([]);
    await large.close();
  }, 60_000);

  test("GIVEN names that are markup THEN the page shows them as text and runs none of it", async () => {
    // GIVEN every name of the example's matrix followed by markup that would run if it were parsed
    const hostile = `<img src=x onerror="document.title='pwned-img'">"><script>document.title='pwned-script'</script>' onmouseover='document.title=1'`;
    const example = computeAccessMatrix(exampleConfig((doc) => doc.users.push({ username: "@octocat" })));
    const keep = new Set(["kind", "reason"]);
    const map = (node: unknown, key = ""): unknown => {
      if (typeof node === "string") return keep.has(key) ? node : `${node}${hostile}`;
      if (Array.isArray(node)) return node.map((item) => map(item, key));
      if (node !== null && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, map(v, k)]));
      return node;
    };
    const file = join(mkdtempSync(join(tmpdir(), "scopegate-matrix-html-")), "access-matrix.html");
    writeFileSync(file, renderMatrixHtml([map(example) as AccessMatrix]));
    const other = await browser.context.newPage();
    const errors: string[] = [];
    other.on("pageerror", (error) => errors.push(error.message));
    await other.goto(pathToFileURL(file).href);
    // WHEN a pointer moves over every profile header
    for (const header of await other.locator("tbody th").all()) await header.hover();
    // AND a caller and a route are picked (the script writes the joined cell from the page's attributes)
    await other.locator(".pick-caller").selectOption({ index: 1 });
    await other.locator(".pick-route").selectOption({ index: 1 });
    await expect(other.locator(".joined .verdict").innerText()).resolves.toMatch(/^[✓✕] /);
    // THEN nothing ran: the title is the page's own, no image or extra script exists, no handler attribute
    expect(await other.title()).toBe(`Effective access: ${example.stack}${hostile}`);
    expect(await other.locator("img").count()).toBe(0);
    expect(await other.locator("script").count()).toBe(1);
    expect(await other.locator("[onerror], [onmouseover]").count()).toBe(0);
    expect(errors).toEqual([]);
    // and each name reads as written
    await expect(other.locator("h2").first().innerText()).resolves.toContain(`${example.stack}${hostile}`);
    await expect(other.locator("tbody th").first().innerText()).resolves.toContain(`through web${hostile}`);
    await other.close();
  });

  test("GIVEN a wide matrix at 1366×768 THEN the grid scrolls in its box, the route headers and the profiles stay in view, and no name breaks inside a word", async () => {
    // 16 routes with long scope names: wider and taller than the window
    const wide = exampleConfig((doc) => {
      doc.resourceServers[0].identifier = "https://orders.api.example.com/v2";
      doc.appClients.forEach((client: { scopes?: string[] }) => {
        if (client.scopes) client.scopes = client.scopes.map((s) => s.replace("api.example.com", "https://orders.api.example.com/v2"));
      });
      doc.api.routes = Array.from({ length: 16 }, (_, i) => ({
        method: i % 2 === 0 ? "GET" : "POST",
        path: `/orders/{orderId}/line-items-${i}`,
        guard: i % 3 === 0 ? "cognito" : "lambda",
        scopes: [i % 2 === 0 ? "https://orders.api.example.com/v2/read" : "https://orders.api.example.com/v2/write"],
      }));
      doc.authorizationTable.grants = [{ principal: { user: "alice" }, routes: ["* /orders/{orderId}/line-items-1"] }];
    });
    const file = join(mkdtempSync(join(tmpdir(), "scopegate-matrix-wide-")), "access-matrix.html");
    writeFileSync(file, renderMatrixHtml([computeAccessMatrix(wide, { source: "wide.json" })]));
    const view = await browser.context.newPage();
    await view.setViewportSize({ width: 1366, height: 768 });
    await view.goto(pathToFileURL(file).href);
    const box = view.locator(".scroll").first();
    const size = await box.evaluate((el: any) => ({
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
      right: el.getBoundingClientRect().right,
    }));
    // the box fits the window and scrolls what does not fit
    expect(size.right).toBeLessThanOrEqual(1366);
    expect(size.scrollWidth).toBeGreaterThan(size.clientWidth);
    // scrolled to the end: the last route's header is in view, and the profile column still sits at the box's left edge
    await box.evaluate((el: any) => el.scrollTo(el.scrollWidth, el.scrollHeight));
    const after = await box.evaluate((el: any) => {
      const boxRect = el.getBoundingClientRect();
      const heads = el.querySelectorAll("thead th");
      const last = heads[heads.length - 1].getBoundingClientRect();
      const firstHead = heads[0].getBoundingClientRect();
      const profile = el.querySelector("tbody th")!.getBoundingClientRect();
      return {
        boxLeft: boxRect.left,
        boxTop: boxRect.top,
        boxRight: boxRect.right,
        lastRight: last.right,
        firstHeadLeft: firstHead.left,
        firstHeadTop: firstHead.top,
        profileLeft: profile.left,
      };
    });
    expect(after.lastRight).toBeLessThanOrEqual(after.boxRight + 1);
    expect(Math.abs(after.profileLeft - after.boxLeft)).toBeLessThanOrEqual(2);
    expect(Math.abs(after.firstHeadLeft - after.boxLeft)).toBeLessThanOrEqual(2);
    expect(Math.abs(after.firstHeadTop - after.boxTop)).toBeLessThanOrEqual(2);
    // no word of a scope, path or cell detail is split over two lines
    // (the page's own code, as a string: these tests compile without the DOM's types)
    const split = await view.evaluate<string[]>(`(() => {
      const broken = [];
      for (const el of document.querySelectorAll("td.cell .detail, .route-meta .scopes, thead .path")) {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text !== null; text = walker.nextNode()) {
          for (const match of (text.textContent || "").matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(text, match.index);
            range.setEnd(text, match.index + match[0].length);
            if (range.getClientRects().length > 1) broken.push(match[0]);
          }
        }
      }
      return broken;
    })()`);
    expect(split).toEqual([]);
    // what a person sees: a picture of the whole window, 1366×768 (PNG's IHDR holds width and height),
    // kept only when SCOPEGATE_KEEP_SCREENSHOT names a file to look at
    const png = await view.screenshot();
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1366, 768]);
    const keep = process.env.SCOPEGATE_KEEP_SCREENSHOT;
    if (keep !== undefined && keep !== "") writeFileSync(keep, png);
    await view.close();
  });
});
