/**
 * The matrix page with hostile names: every value lands as text or as a quoted attribute value,
 * never as markup. The page's tags and attributes are read with a strict scanner; anything a value
 * could inject (an element, an event handler, a closed attribute, a comment) shows up as a tag or
 * attribute outside the page's own set, or as a raw `<` in text. The browser test loads such a
 * page in Chromium.
 */
import { computeAccessMatrix } from "../../matrix/compute";
import { renderMatrixHtml } from "../../matrix/render-html";
import { HOSTILE_VALUES, hostileMatrix } from "../../testing/markdown";
import { exampleConfig } from "../../testing/synth";

/** Every element and attribute the page writes itself. */
const OWN_TAGS = new Set([
  "!doctype",
  "html",
  "head",
  "meta",
  "title",
  "style",
  "body",
  "header",
  "h1",
  "h2",
  "p",
  "b",
  "code",
  "span",
  "main",
  "section",
  "small",
  "div",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "button",
  "details",
  "summary",
  "ul",
  "li",
  "script",
  // the caller and route pickers
  "label",
  "select",
  "optgroup",
  "option",
]);
const OWN_ATTRIBUTES = new Set([
  "lang",
  "charset",
  "name",
  "content",
  "http-equiv",
  "class",
  "data-stack",
  "scope",
  "aria-sort",
  "data-sort-type",
  "type",
  "aria-hidden",
  "data-route",
  "data-sort",
  "data-profile",
  "data-callers",
  "data-order",
  "data-allowed",
  "data-status",
  "data-reason",
  "title",
  "open",
  "html",
  // the factored tables and the pickers
  "value",
  "label",
  "aria-live",
  "hidden",
  "data-column",
  "data-credential",
  "data-grant-set",
  "data-outcomes",
  "data-outcome",
  "data-grant",
  "data-missing-status",
]);

/** The tags of a page (script and style bodies skipped), and its text with the tags taken out. */
function scan(html: string): { tags: { name: string; attributes: string[] }[]; text: string } {
  const tags: { name: string; attributes: string[] }[] = [];
  const body = html.replace(/<(script|style)>[\s\S]*?<\/\1>/g, "<$1></$1>");
  const text = body.replace(
    /<(\/?)([!a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:="[^"<>]*")?)*)\s*>/g,
    (_, _close, name: string, rest: string) => {
      tags.push({
        name: name.toLowerCase(),
        attributes: [...rest.matchAll(/\s+([a-zA-Z-]+)(?:="[^"<>]*")?/g)].map((m) => m[1].toLowerCase()),
      });
      return "";
    },
  );
  return { tags, text };
}

/** Every string of a matrix hostile, enums included (the page escapes those too); kinds and reasons are keys of its tables. */
const ALL_BUT_KEYS = new Set(["kind", "reason"]);

describe("renderMatrixHtml", () => {
  test("GIVEN the example THEN the scanner reads the page as its own tags and attributes only", () => {
    const { tags, text } = scan(renderMatrixHtml([computeAccessMatrix(exampleConfig())]));
    expect(tags.filter((tag) => !OWN_TAGS.has(tag.name))).toEqual([]);
    expect(tags.flatMap((tag) => tag.attributes).filter((a) => !OWN_ATTRIBUTES.has(a))).toEqual([]);
    expect(text).not.toContain("<");
  });

  test.each(HOSTILE_VALUES.map((value) => [JSON.stringify(value), value]))(
    "WHEN every name in the matrix (route methods and guards included) ends with %s THEN it is text, never markup",
    (_, value) => {
      const matrix = hostileMatrix(computeAccessMatrix(exampleConfig()), value, ALL_BUT_KEYS);
      const html = renderMatrixHtml([matrix]);
      const { tags, text } = scan(html);
      expect(tags.filter((tag) => !OWN_TAGS.has(tag.name))).toEqual([]);
      expect(tags.flatMap((tag) => tag.attributes).filter((a) => !OWN_ATTRIBUTES.has(a))).toEqual([]);
      expect(tags.filter((tag) => tag.name === "script")).toHaveLength(2); // <script> and </script>
      expect(text).not.toContain("<");
      expect(html).not.toMatch(/<!--/);
    },
  );
});
