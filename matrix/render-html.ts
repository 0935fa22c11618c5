/**
 * The access matrix as one self-contained HTML page: inline CSS and JavaScript, no external asset,
 * and a Content-Security-Policy that forbids any network request. One section per stack; each
 * table sorts by a column when its header is clicked (again to reverse). Rows are access profiles
 * (callers that answer alike); each lists its callers one click away. Every cell shows its verdict
 * and reason (or the scope and grant that let it through) and carries the full why in its tooltip.
 * A matrix too large for a grid is shown as one line per profile: what it may call, and its
 * refusals counted by reason. Every value, in text or in an attribute, goes through one HTML
 * escape (`& < > " '`); the inline script and style hold no value.
 *
 * @packageDocumentation
 */
import { countCells, isCompact, memberLabels, reasonsUsed, summarizeCell, summarizeProfile } from "./describe";
import { profileCellOf, type AccessMatrix, type AccessProfile, type CallerKind, type MatrixRoute } from "./model";

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
rule (scope only). Hover a cell for the full reason; click a column header to sort.</p>
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
  const head = compact
    ? [
        sortableHeader("Profile", "text"),
        sortableHeader("Kind", "text"),
        sortableHeader("Callers", "text"),
        "<th>May call</th>",
        "<th>Refused</th>",
      ].join("")
    : [
        sortableHeader("Profile", "text"),
        sortableHeader("Kind", "text"),
        sortableHeader("Principal", "text"),
        ...matrix.routes.map(routeHeader),
      ].join("");
  const rows = matrix.profiles
    .map((profile, index) => (compact ? compactRow(matrix, profile, index) : profileRow(matrix, profile, index)))
    .join("\n");
  const reasons = reasonsUsed(matrix)
    .map(
      (use) =>
        `<tr><td><code>${escape(use.reason)}</code></td><td>${escape(use.statuses.join(", "))}</td><td>${use.count}</td><td>${escape(use.meaning)}</td></tr>`,
    )
    .join("\n");
  const profiles = matrix.profiles
    .map((profile) => {
      const scopes =
        profile.credential.kind === "access-token" ? profile.credential.scopes.map((s) => `<code>${escape(s)}</code>`).join(" ") : "—";
      const grants = profile.grants.length === 0 ? "—" : profile.grants.map((g) => `<code>${escape(g)}</code>`).join(" ");
      return `<tr><td>${escape(profile.label)}</td><td>${escape(profile.credentialLabel)}</td><td>${scopes}</td><td>${grants}</td><td>${profile.callers.length}</td></tr>`;
    })
    .join("\n");
  const notes = matrix.notes.map((note) => `<li>${escape(note)}</li>`).join("");
  return `<section class="stack" data-stack="${escape(matrix.stack)}">
<h2>${escape(matrix.stack)} <small>from ${escape(matrix.source)}</small></h2>
<p class="counts">${matrix.routes.length} routes · ${matrix.callers.length} callers in ${matrix.profiles.length} profiles · <span class="n-allowed">${counts.allowed} allowed</span> · <span class="n-refused">${counts.refused} refused</span>${compact ? " (too large for a grid: each profile with what it may call)" : ""}</p>
<div class="scroll">
<table class="matrix">
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>
<details open><summary>Reasons used</summary>
<table class="plain"><thead><tr><th>Reason</th><th>Status</th><th>Cells</th><th>Meaning</th></tr></thead><tbody>
${reasons}
</tbody></table></details>
<details><summary>Profiles: credentials, token scopes and grants</summary>
<table class="plain"><thead><tr><th>Profile</th><th>Credential</th><th>Token scopes</th><th>Grants</th><th>Callers</th></tr></thead><tbody>
${profiles}
</tbody></table></details>
${notes === "" ? "" : `<ul class="notes">${notes}</ul>`}
</section>`;
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

function compactRow(matrix: AccessMatrix, profile: AccessProfile, index: number): string {
  const summary = summarizeProfile(matrix, profile);
  const allowed =
    summary.allowed.length === 0
      ? "—"
      : summary.allowed.map((cell) => `<code title="${escape(cell.why)}">${escape(cell.route)}</code>`).join(" ");
  const refused = summary.refused.map(({ reason, count }) => `${count} × <code>${escape(reason)}</code>`).join(", ") || "—";
  return (
    `<tr data-profile="${escape(profile.id)}" data-order="${index}">${profileHeader(matrix, profile)}` +
    `<td data-sort="${escape(KIND_LABEL[profile.kind])}">${escape(KIND_LABEL[profile.kind])}</td>` +
    `<td data-sort="${profile.callers.length}">${profile.callers.length}</td><td class="allowed-list">${allowed}</td><td>${refused}</td></tr>`
  );
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
      const cell = profileCellOf(matrix, profile.id, route.key);
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
td.allowed-list code { display: inline-block; margin: 1px 0; }
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
})();
`;
