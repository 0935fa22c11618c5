/**
 * The access matrix as one self-contained HTML page: inline CSS and JavaScript, no external asset,
 * and a Content-Security-Policy that forbids any network request. One section per stack; each
 * table sorts by a column when its header is clicked (again to reverse). Rows are access profiles
 * (callers that answer alike); each lists its callers one click away. Every cell shows its verdict
 * and reason (or the scope and grant that let it through) and carries the full why in its tooltip.
 * Below it, the matrix's two factors: the client × route table (what each credential gets on each
 * route before any grant is read) and the principal × route table (which routes each grant set
 * covers), with a caller picker and a route picker whose script joins them into the cell. A matrix
 * too large for a grid (see `GRID_CELL_LIMIT`) is shown through these only. Every value, in text or in an attribute, goes through one HTML
 * escape (`& < > " '`); the inline script and style hold no value.
 *
 * @packageDocumentation
 */
import { REASONS } from "../functions/authorizer/reasons";
import { expandProfileCell } from "./cells";
import { countCells, isCompact, memberLabels, reasonsUsed, summarizeCell, summarizeCredential } from "./describe";
import type { AccessMatrix, AccessProfile, CallerKind, CredentialCell, MatrixCaller, MatrixRoute } from "./model";

/** The status of a call whose grants do not cover the route. */
const GRANT_MISSING_STATUS = REASONS.GRANT_MISSING.httpStatus;

/** Readable names of the caller kinds. */
const KIND_LABEL: Readonly<Record<CallerKind, string>> = {
  "browser-user": "user, browser client",
  "id-token": "ID token",
  machine: "machine client",
  "basic-user": "user, Basic",
  "basic-disabled": "Basic",
};

/**
 * Renders matrices as one HTML document.
 *
 * @param matrices - one per stack (configuration or environment)
 * @returns the page; it loads nothing from anywhere
 */
export function renderMatrixHtml(matrices: readonly AccessMatrix[]): string {
  const title = matrices.length === 1 ? `Effective access: ${matrices[0].stack}` : "Effective access";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Effective access</h1>
<p>Who can call what, computed from the configuration (no cloud access). Routes on the <b>lambda</b> guard are decided by the
scopegate authorizer's own <code>decide</code> (scope and grant); routes on the <b>cognito</b> guard by the native authorizer's
rule (scope only). Choose a caller and a route to see one call; in the grid, hover a cell for the full reason and click a column
header to sort.</p>
<p class="legend"><span class="chip allowed">✓ Allowed</span> the backend is called (with the scope and grant that let it through)
<span class="chip refused">✕ Refused</span> with the HTTP status, the reason code and why</p>
</header>
<main>
${matrices.map(section).join("\n")}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function section(matrix: AccessMatrix): string {
  const counts = countCells(matrix);
  const compact = isCompact(matrix);
  const grid = compact
    ? `<p class="factored-note">${matrix.profiles.length} profiles × ${matrix.routes.length} routes is too large for a grid: choose a caller and a route to see their cell, or read the two tables below.</p>`
    : `<div class="scroll">
<table class="matrix">
<thead><tr>${[
        sortableHeader("Profile", "text"),
        sortableHeader("Kind", "text"),
        sortableHeader("Principal", "text"),
        ...matrix.routes.map(routeHeader),
      ].join("")}</tr></thead>
<tbody>
${matrix.profiles.map((profile, index) => profileRow(matrix, profile, index)).join("\n")}
</tbody>
</table>
</div>`;
  const reasons = reasonsUsed(matrix)
    .map(
      (use) =>
        `<tr data-reason="${escape(use.reason)}"><td><code>${escape(use.reason)}</code></td><td>${escape(use.statuses.join(", "))}</td><td>${use.count}</td><td class="meaning">${escape(use.meaning)}</td></tr>`,
    )
    .join("\n");
  const profiles = compact
    ? ""
    : `<details><summary>Profiles: credentials, token scopes and grants</summary>
<table class="plain"><thead><tr><th>Profile</th><th>Credential</th><th>Token scopes</th><th>Grants</th><th>Callers</th></tr></thead><tbody>
${matrix.profiles
  .map((profile) => {
    const scopes = profile.credential.kind === "access-token" ? codes(profile.credential.scopes, " ") : "—";
    const grants = profile.grants.length === 0 ? "—" : codes(profile.grants, " ");
    return `<tr><td>${escape(profile.label)}</td><td>${escape(profile.credentialLabel)}</td><td>${scopes}</td><td>${grants}</td><td>${profile.callers.length}</td></tr>`;
  })
  .join("\n")}
</tbody></table></details>`;
  const notes = matrix.notes.map((note) => `<li>${escape(note)}</li>`).join("");
  return `<section class="stack" data-stack="${escape(matrix.stack)}">
<h2>${escape(matrix.stack)} <small>from ${escape(matrix.source)}</small></h2>
<p class="counts">${matrix.routes.length} routes · ${matrix.callers.length} callers in ${matrix.profiles.length} profiles · <span class="n-allowed">${counts.allowed} allowed</span> · <span class="n-refused">${counts.refused} refused</span>${compact ? " (too large for a grid: shown in its two factors)" : ""}</p>
${grid}
${lookup(matrix)}
${credentialTable(matrix)}
${grantSetTable(matrix)}
<details open><summary>Reasons used</summary>
<table class="plain"><thead><tr><th>Reason</th><th>Status</th><th>Cells</th><th>Meaning</th></tr></thead><tbody>
${reasons}
</tbody></table></details>
${profiles}
${notes === "" ? "" : `<ul class="notes">${notes}</ul>`}
</section>`;
}

/**
 * The caller picker and the route picker: the script joins the caller's credential row and grant
 * set on the route (the rule of `matrix/cells.ts`) and shows the cell. Callers are grouped by
 * credential, so a caller's credential row is its group's.
 */
function lookup(matrix: AccessMatrix): string {
  const callersOf = new Map<string, MatrixCaller[]>();
  const profileOf = new Map(matrix.profiles.map((profile) => [profile.id, profile] as const));
  for (const caller of matrix.callers) {
    const credential = profileOf.get(caller.profile)?.credentialId ?? "";
    const members = callersOf.get(credential);
    if (members === undefined) callersOf.set(credential, [caller]);
    else members.push(caller);
  }
  const groups = matrix.credentials
    .map((credential) => {
      const options = (callersOf.get(credential.id) ?? [])
        .map(
          (caller) =>
            `<option value="${escape(caller.id)}" data-grant-set="${escape(profileOf.get(caller.profile)?.grantSetId ?? "")}">${escape(caller.label)}</option>`,
        )
        .join("");
      return `<optgroup label="${escape(credential.label)}" data-credential="${escape(credential.id)}">${options}</optgroup>`;
    })
    .join("\n");
  const routes = matrix.routes
    .map(
      (route, column) =>
        `<option value="${escape(route.key)}" data-column="${column}">${escape(route.key)} (${escape(route.guard)}${route.scopes.length === 0 ? "" : `: ${escape(route.scopes.join(" or "))}`})</option>`,
    )
    .join("");
  return `<div class="lookup" data-missing-status="${GRANT_MISSING_STATUS}">
<label>Caller <select class="pick-caller"><option value="">choose a caller</option>
${groups}
</select></label>
<label>Route <select class="pick-route"><option value="">choose a route</option>${routes}</select></label>
<div class="joined" aria-live="polite">Choose a caller and a route to see whether the call passes: the caller's credential on the route, joined with its principal's grants.</div>
</div>`;
}

/** What a credential cell shows, for the table and the script. */
interface OutcomeKey {
  readonly outcome: string;
  readonly httpStatus: number;
  readonly reason: string;
  /** `grant`: the scopes that let the token through (`a or b`); `allowed`: the cell's short detail. */
  readonly text: string;
}

/**
 * The client × route table: one row per credential, what it gets on every route before any grant is
 * read. Each row carries its outcome on every route as indices into the section's list of distinct
 * outcomes, for the pickers.
 */
function credentialTable(matrix: AccessMatrix): string {
  const keys: OutcomeKey[] = [];
  const indexOfKey = new Map<string, number>();
  const outcomeIndex = (cell: CredentialCell): number => {
    const key: OutcomeKey = {
      outcome: cell.outcome,
      httpStatus: cell.httpStatus,
      reason: cell.reason,
      text:
        cell.outcome === "grant"
          ? cell.scopesUsed.join(" or ")
          : cell.outcome === "allowed"
            ? summarizeCell({ ...cell, profile: "", allowed: true }).detail
            : "",
    };
    const id = JSON.stringify(key);
    let index = indexOfKey.get(id);
    if (index === undefined) {
      indexOfKey.set(id, (index = keys.length));
      keys.push(key);
    }
    return index;
  };
  const routeCodes = (cells: readonly CredentialCell[]) =>
    cells.length === 0
      ? "—"
      : codes(
          cells.map((cell) => cell.route),
          " ",
        );
  const rows = matrix.credentials
    .map((credential) => {
      const summary = summarizeCredential(matrix, credential);
      const outcomes = credential.cells.map(outcomeIndex).join(" ");
      const scopes = credential.credential.kind === "access-token" ? codes(credential.credential.scopes, " ") : "—";
      const refused = summary.refused.map(({ reason, count }) => `${count} × <code>${escape(reason)}</code>`).join(", ") || "—";
      return (
        `<tr data-credential="${escape(credential.id)}" data-outcomes="${outcomes}"><th scope="row">${escape(credential.label)}</th>` +
        `<td>${escape(KIND_LABEL[credential.kind] ?? credential.kind)}</td><td>${summary.callers}</td><td>${scopes}</td>` +
        `<td>${routeCodes(credential.cells.filter((cell) => cell.outcome === "grant"))}</td>` +
        `<td>${routeCodes(credential.cells.filter((cell) => cell.outcome === "allowed"))}</td><td>${refused}</td></tr>`
      );
    })
    .join("\n");
  const legend = keys
    .map(
      (key) =>
        `<li data-outcome="${escape(key.outcome)}" data-status="${key.httpStatus}" data-reason="${escape(key.reason)}">${escape(key.text)}</li>`,
    )
    .join("");
  return `<details class="factor" open><summary>Credentials × routes: what a caller's credential gets on each route before any grant is read</summary>
<table class="plain credentials"><thead><tr><th>Credential</th><th>Kind</th><th>Callers</th><th>Token scopes</th><th>The grants decide</th><th>Allowed, no grant needed</th><th>Refused whatever the grants</th></tr></thead><tbody>
${rows}
</tbody></table>
<ul class="outcomes" hidden>${legend}</ul></details>`;
}

/** The principal × route table: one row per distinct list of grants, with the routes it covers and the grant that does. */
function grantSetTable(matrix: AccessMatrix): string {
  const column = new Map(matrix.routes.map((route, index) => [route.key, index] as const));
  const rows = matrix.grantSets
    .map((set) => {
      const principals = set.principals.length === 0 ? "—" : codes(set.principals, " ");
      const grants = set.grants.length === 0 ? "—" : codes(set.grants, " ");
      const covers =
        set.covers.length === 0
          ? "—"
          : set.covers
              .map(
                (cover) =>
                  `<code data-column="${column.get(cover.route) ?? ""}" data-grant="${escape(cover.grant)}" title="${escape(`grant ${cover.grant}`)}">${escape(cover.route)}</code>`,
              )
              .join(" ");
      return `<tr data-grant-set="${escape(set.id)}"><th scope="row">${escape(set.id)}</th><td>${principals}</td><td>${grants}</td><td>${covers}</td></tr>`;
    })
    .join("\n");
  return `<details class="factor"${matrix.grantSets.length <= 50 ? " open" : ""}><summary>Grant sets × routes: which routes a principal's grants cover (where the grants decide)</summary>
<table class="plain grant-sets"><thead><tr><th>Grant set</th><th>Principals</th><th>Grants</th><th>Covers</th></tr></thead><tbody>
${rows}
</tbody></table></details>`;
}

function codes(values: readonly string[], separator: string): string {
  return values.map((value) => `<code>${escape(value)}</code>`).join(separator);
}

/** The row header: the profile, its credential and, one click away, its callers. */
function profileHeader(matrix: AccessMatrix, profile: AccessProfile): string {
  const members =
    profile.callers.length === 1
      ? ""
      : `<details class="members"><summary>${profile.callers.length} callers</summary><ul>${memberLabels(matrix, profile)
          .map((label) => `<li>${escape(label)}</li>`)
          .join("")}</ul></details>`;
  return `<th scope="row" data-sort="${escape(profile.label)}">${escape(profile.label)}<div class="credential">${escape(profile.credentialLabel)}</div>${members}</th>`;
}

function sortableHeader(label: string, type: "text" | "verdict", extra = ""): string {
  return `<th scope="col" aria-sort="none" data-sort-type="${type}"><button type="button">${label}<span class="arrow" aria-hidden="true"></span></button>${extra}</th>`;
}

function routeHeader(route: MatrixRoute): string {
  const scopes = route.scopes.length === 0 ? "no scope" : route.scopes.map(words).join(" or ");
  // The method and guard are checked enums in a configuration, but a matrix read back from JSON is
  // data like any other: escaped too.
  const method = escape(route.method);
  const guard = escape(route.guard);
  const label = `<span class="method m-${method.toLowerCase()}">${method}</span> <span class="path">${escape(route.path)}</span>`;
  const extra = `<div class="route-meta"><span class="guard g-${guard}">${guard}</span> <span class="scopes">${scopes}</span></div>`;
  return sortableHeader(label, "verdict", extra).replace("<th ", `<th data-route="${escape(route.key)}" `);
}

function profileRow(matrix: AccessMatrix, profile: AccessProfile, index: number): string {
  const cells = matrix.routes
    .map((route) => {
      const cell = expandProfileCell(matrix, profile.id, route.key);
      if (cell === undefined) return "<td></td>";
      const summary = summarizeCell(cell);
      const title = `${profile.label} → ${route.key}: ${cell.allowed ? "allowed" : `refused ${cell.httpStatus} ${cell.reason}`}, ${cell.why}`;
      // Sort key: allowed first, then 401 before 403, then the reason.
      const sortKey = `${cell.allowed ? 0 : 1}-${cell.httpStatus}-${cell.reason}`;
      const mark = cell.allowed ? "✓" : "✕";
      return (
        `<td class="cell ${cell.allowed ? "allowed" : "refused"}" data-route="${escape(route.key)}" data-allowed="${cell.allowed}" ` +
        `data-status="${cell.httpStatus}" data-reason="${escape(cell.reason)}" data-sort="${escape(sortKey)}" title="${escape(title)}">` +
        `<span class="verdict">${mark} ${escape(summary.verdict)}</span><span class="detail">${words(summary.detail)}</span>` +
        `<span class="why">${escape(cell.why)}</span></td>`
      );
    })
    .join("");
  return (
    `<tr data-profile="${escape(profile.id)}" data-callers="${escape(profile.callers.join(" "))}" data-order="${index}">` +
    profileHeader(matrix, profile) +
    `<td data-sort="${escape(KIND_LABEL[profile.kind])}">${escape(KIND_LABEL[profile.kind])}</td>` +
    `<td data-sort="${escape(profile.principal)}"><code>${escape(profile.principal)}</code></td>${cells}</tr>`
  );
}

/**
 * Text that may break between words only: each word escaped in a span that does not wrap, so a
 * name (`line-items-1`, a scope URL) never breaks at a hyphen or a slash inside it.
 */
function words(text: string): string {
  return text
    .split(/(\s+)/)
    .map((part) => (part === "" || /^\s+$/.test(part) ? part : `<span class="w">${escape(part)}</span>`))
    .join("");
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const STYLE = `
:root { color-scheme: light; --ok: #0a6b2d; --ok-bg: #e3f5e8; --no: #a1151d; --no-bg: #fde8e8; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; background: #fff; }
h1 { font-size: 24px; margin: 0 0 8px; }
h2 { font-size: 19px; margin: 32px 0 4px; }
h2 small { font-weight: normal; color: var(--muted); font-size: 14px; }
header p { max-width: 980px; margin: 4px 0; color: #333; }
code { font: 12.5px/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f3f4f6; padding: 1px 4px; border-radius: 4px; }
.chip { display: inline-block; padding: 1px 8px; margin: 0 4px 0 16px; border-radius: 4px; font-weight: 700; }
.chip:first-child { margin-left: 0; }
.chip.allowed { background: var(--ok-bg); color: var(--ok); }
.chip.refused { background: var(--no-bg); color: var(--no); }
.counts { color: var(--muted); margin: 0 0 12px; }
.n-allowed { color: var(--ok); font-weight: 600; }
.n-refused { color: var(--no); font-weight: 600; }
/* The grid scrolls inside its own box at any window size (1366×768 included): the route headers stay on top and the profiles on the left. */
.scroll { overflow: auto; max-height: calc(100vh - 24px); max-width: 100%; border: 1px solid var(--line); }
table { border-collapse: collapse; }
table.matrix th, table.matrix td { border: 1px solid var(--line); padding: 6px 8px; vertical-align: top; text-align: left; }
/* Separate borders: collapsed ones stay behind when sticky cells move. */
table.matrix { border-collapse: separate; border-spacing: 0; }
table.matrix thead th { background: #f6f8fa; position: sticky; top: 0; z-index: 2; min-width: 120px; }
table.matrix thead th:first-child { left: 0; z-index: 3; }
table.matrix tbody th { position: sticky; left: 0; z-index: 1; background: #fff; }
table.matrix thead th button { all: unset; cursor: pointer; font-weight: 600; display: inline-flex; gap: 4px; align-items: baseline; }
table.matrix thead th button:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
th[aria-sort="ascending"] .arrow::after { content: "▲"; font-size: 10px; }
th[aria-sort="descending"] .arrow::after { content: "▼"; font-size: 10px; }
th[aria-sort="none"] .arrow::after { content: "↕"; font-size: 10px; color: #8c959f; }
tbody th { font-weight: 600; white-space: nowrap; }
.credential { font-weight: normal; color: var(--muted); font-size: 12px; white-space: normal; max-width: 260px; }
.route-meta { font-weight: normal; font-size: 12px; color: var(--muted); margin-top: 2px; }
.method { font: 600 12px/1 ui-monospace, monospace; padding: 2px 5px; border-radius: 3px; color: #fff; background: #57606a; }
.m-get { background: #1f6feb; } .m-post { background: #1a7f37; } .m-put, .m-patch { background: #9a6700; } .m-delete { background: #cf222e; }
.path { font-family: ui-monospace, monospace; white-space: nowrap; }
.w { white-space: nowrap; }
.guard { display: inline-block; padding: 0 6px; border-radius: 9px; border: 1px solid currentColor; font-size: 11px; }
.g-lambda { color: #8250df; } .g-cognito { color: #bc4c00; }
td.cell { min-width: 200px; }
td.allowed { background: var(--ok-bg); color: var(--ok); }
td.refused { background: var(--no-bg); color: var(--no); }
td.cell .verdict { display: block; font-weight: 700; }
/* Names (scopes, routes, principals) break only between words, never inside one. */
td.cell .detail { display: block; font: 12px/1.35 ui-monospace, monospace; color: #1f2328; overflow-wrap: normal; word-break: normal; }
td.cell .why { display: block; font-size: 11.5px; color: var(--muted); margin-top: 2px; }
td.allowed .why { display: none; }
table.plain { margin: 6px 0 0; }
table.plain th, table.plain td { border-bottom: 1px solid var(--line); padding: 4px 10px 4px 0; text-align: left; vertical-align: top; }
details { margin-top: 12px; }
summary { cursor: pointer; font-weight: 600; }
.notes { color: var(--muted); font-size: 13px; }
.members { font-weight: normal; font-size: 12px; margin-top: 2px; }
.members ul { margin: 2px 0 0; padding-left: 16px; }
.lookup { margin: 16px 0; padding: 10px 12px; border: 1px solid var(--line); border-radius: 6px; background: #f6f8fa; }
.lookup label { margin-right: 16px; font-weight: 600; }
.lookup select { max-width: 420px; font: inherit; }
.joined { margin-top: 8px; padding: 6px 8px; border-radius: 4px; background: #fff; }
.joined.allowed { background: var(--ok-bg); color: var(--ok); }
.joined.refused { background: var(--no-bg); color: var(--no); }
.joined .verdict { font-weight: 700; }
.joined .detail { font: 12px/1.35 ui-monospace, monospace; color: #1f2328; }
.joined .why, .joined .factors { display: block; font-size: 12px; color: var(--muted); }
.factored-note { color: var(--muted); }
table.credentials code, table.grant-sets code { display: inline-block; margin: 1px 0; white-space: nowrap; }
table.credentials tbody th, table.grant-sets tbody th { white-space: normal; min-width: 160px; max-width: 240px; }
table.credentials td:nth-child(5), table.credentials td:nth-child(6), table.grant-sets td:nth-child(4) { min-width: 320px; }
`;

// Plain ES2017, no dependency: sorts a table's body rows by the clicked column, stably.
const SCRIPT = `
(function () {
  var tables = document.querySelectorAll("table.matrix");
  Array.prototype.forEach.call(tables, function (table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, column) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows).map(function (row) {
          var cell = row.cells[column];
          var key = cell ? (cell.getAttribute("data-sort") || cell.textContent || "") : "";
          return { row: row, key: key, order: Number(row.getAttribute("data-order")) };
        });
        rows.sort(function (a, b) {
          var byKey = a.key.localeCompare(b.key, undefined, { numeric: true, sensitivity: "base" });
          return (ascending ? byKey : -byKey) || a.order - b.order;
        });
        rows.forEach(function (entry) { body.appendChild(entry.row); });
      });
    });
  });

  // The pickers: a caller's cell on a route is its credential's outcome there, joined with its grant
  // set (matrix/cells.ts): refused or allowed whatever the grants, or the grants decide. Everything
  // is read from the page's own attributes and written as text.
  function byAttribute(nodes, name, value) {
    for (var i = 0; i < nodes.length; i++) if (nodes[i].getAttribute(name) === value) return nodes[i];
    return null;
  }
  function line(parent, className, text) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    parent.appendChild(span);
  }
  Array.prototype.forEach.call(document.querySelectorAll(".lookup"), function (box) {
    var section = box.parentNode;
    var callers = box.querySelector(".pick-caller");
    var routes = box.querySelector(".pick-route");
    var out = box.querySelector(".joined");
    function show() {
      var caller = callers.options[callers.selectedIndex];
      var route = routes.options[routes.selectedIndex];
      if (!caller || !route || caller.value === "" || route.value === "") return;
      var column = route.getAttribute("data-column");
      var group = caller.parentNode;
      var row = byAttribute(section.querySelectorAll("tr[data-credential]"), "data-credential", group.getAttribute("data-credential"));
      var set = byAttribute(section.querySelectorAll("tr[data-grant-set]"), "data-grant-set", caller.getAttribute("data-grant-set"));
      if (row === null || set === null) return;
      var outcome = section.querySelectorAll(".outcomes li")[Number(row.getAttribute("data-outcomes").split(" ")[Number(column)])];
      if (!outcome) return;
      var cover = byAttribute(set.querySelectorAll("[data-column]"), "data-column", column);
      var kind = outcome.getAttribute("data-outcome");
      var status = outcome.getAttribute("data-status");
      var reason = outcome.getAttribute("data-reason");
      var allowed = kind === "allowed";
      var detail = kind === "allowed" ? outcome.textContent : reason;
      var grantPart = "grants not read";
      if (kind === "grant") {
        if (cover !== null) {
          allowed = true;
          detail = (outcome.textContent === "" ? "" : outcome.textContent + " + ") + "grant " + cover.getAttribute("data-grant");
          grantPart = "covered by " + cover.getAttribute("data-grant");
        } else {
          status = box.getAttribute("data-missing-status");
          reason = "GRANT_MISSING";
          detail = reason;
          grantPart = "no grant covers " + route.value;
        }
      }
      out.className = "joined " + (allowed ? "allowed" : "refused");
      out.setAttribute("data-allowed", String(allowed));
      out.setAttribute("data-status", status);
      out.setAttribute("data-reason", reason);
      out.textContent = "";
      line(out, "verdict", (allowed ? "✓ Allowed" : "✕ Refused " + status) + " ");
      line(out, "detail", detail);
      var meaning = byAttribute(section.querySelectorAll("tr[data-reason]"), "data-reason", reason);
      if (!allowed && meaning !== null) line(out, "why", meaning.querySelector(".meaning").textContent);
      line(out, "factors", "Credential: " + group.getAttribute("label") + " · grant set " + set.getAttribute("data-grant-set") + ": " + grantPart);
    }
    callers.addEventListener("change", show);
    routes.addEventListener("change", show);
  });
})();
`;
