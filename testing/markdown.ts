/**
 * Reads Markdown the way a renderer does, to check that values placed in it stay inert: a real
 * CommonMark parser with GFM tables, strikethrough and autolink literals (markdown-it, with raw
 * HTML on so HTML shows up as its own tokens, and fuzzy links on: stricter than GitHub, which links
 * only `www.` and `scheme://` literals).
 */
import MarkdownIt from "markdown-it";
import type { AccessMatrix } from "../matrix/model";

/** One token of markdown-it's stream. */
export type Token = MarkdownIt.Token;

const parser = new MarkdownIt({ html: true, linkify: true });
parser.linkify.set({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: true });

/** A GitHub mention: `@` at the start or after anything but a word character, then a login. */
export const MENTION = /(^|[^\w`])@[A-Za-z0-9-]+/;

/** Values an attacker with a pull request could put in a name, a description or a synth output. */
export const HOSTILE_VALUES: readonly string[] = [
  "@octocat",
  "hi @octocat, see",
  "<img src=x onerror=alert(1)>",
  "<!-- x",
  "</details><script>alert(1)</script>",
  "[x](javascript:alert(1))",
  "![x](https://example.invalid/a.png)",
  "<https://example.invalid>",
  "https://example.invalid",
  "www.example.invalid",
  "user@example.invalid",
  "a|b",
  "a\\|b",
  "a\\",
  "line\nbreak",
  "cr\rlf\r\n",
  "sep\u2028arator",
  "`",
  "```",
  "a``b",
  "\\",
  "# h",
  "* x",
  "- x",
  "1. x",
  "> q",
  "_x_",
  "**x**",
  "~~x~~",
  "&amp;",
  "&lt;b&gt;",
  ":emoji:",
  "#1",
  "GH-1",
  "deadbeefcafe1234",
  "    indented",
  " padded ",
  "---",
  "| --- |",
  "\u202Eevil",
  "x\u0000y",
];

/** What a parsed document holds, as far as the tests read it. */
export interface MarkdownInspection {
  readonly tokens: readonly Token[];
  /** Raw HTML, inline and block, as written. */
  readonly html: readonly string[];
  /** Links and images (GFM autolink literals included): their targets. */
  readonly links: readonly string[];
  /** Text outside code, one entry per text token. */
  readonly text: readonly string[];
  /** Inline code contents, in order. */
  readonly codeSpans: readonly string[];
  /** Fenced and indented code blocks: info string and content. */
  readonly codeBlocks: readonly { readonly info: string; readonly content: string }[];
  /** Every table: its header cells and each body row's cells, as inline Markdown source. */
  readonly tables: readonly { readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] }[];
  /**
   * Table lines whose cell count (by GFM's split: a `|` not after `\`) differs from the header's,
   * or that do not start and end with `|`. markdown-it pads or cuts such rows, so they are counted
   * on the source.
   */
  readonly brokenRows: readonly string[];
}

/** Parses a document and collects what {@link MarkdownInspection} describes. */
export function inspectMarkdown(markdown: string): MarkdownInspection {
  const tokens = parser.parse(markdown, {});
  const html: string[] = [];
  const links: string[] = [];
  const text: string[] = [];
  const codeSpans: string[] = [];
  const codeBlocks: { info: string; content: string }[] = [];
  const tables: { header: string[]; rows: string[][] }[] = [];
  const brokenRows: string[] = [];
  const lines = markdown.split("\n");
  let row: string[] | undefined;

  const visitInline = (children: readonly Token[]) => {
    for (const child of children) {
      if (child.type === "html_inline") html.push(child.content);
      else if (child.type === "link_open") links.push(String(child.attrGet("href") ?? ""));
      else if (child.type === "image") links.push(String(child.attrGet("src") ?? ""));
      else if (child.type === "text") text.push(child.content);
      else if (child.type === "code_inline") codeSpans.push(child.content);
      if (child.children) visitInline(child.children);
    }
  };
  for (const token of tokens) {
    if (token.type === "html_block") html.push(token.content);
    else if (token.type === "fence" || token.type === "code_block") codeBlocks.push({ info: token.info, content: token.content });
    else if (token.type === "table_open") {
      tables.push({ header: [], rows: [] });
      const [start, end] = token.map ?? [0, 0];
      const count = (line: string) => line.split(/(?<!\\)\|/).length;
      const expected = count(lines[start]);
      for (const line of lines.slice(start, end)) {
        if (count(line) !== expected || !/^\|.*(?<!\\)\|$/.test(line)) brokenRows.push(line);
      }
    } else if (token.type === "tr_open") row = [];
    else if (token.type === "tr_close" && row !== undefined) {
      const table = tables[tables.length - 1];
      if (table.header.length === 0) table.header = row;
      else table.rows.push(row);
      row = undefined;
    } else if (token.type === "inline") {
      if (row !== undefined) row.push(token.content);
      visitInline(token.children ?? []);
    }
  }
  return { tokens, html, links, text, codeSpans, codeBlocks, tables, brokenRows };
}

/** Text tokens outside code that GitHub would turn into a mention. */
export function mentionsIn(inspection: MarkdownInspection): string[] {
  return inspection.text.filter((text) => MENTION.test(text));
}

/**
 * A matrix whose every string ends with `value`, but for the fields named in `keep` (ids stay
 * consistent, since every occurrence of a name changes alike): what a matrix read back from JSON
 * that a pull request edited could hold.
 */
export function hostileMatrix(matrix: AccessMatrix, value: string, keep: ReadonlySet<string>): AccessMatrix {
  const map = (node: unknown, key = ""): unknown => {
    if (typeof node === "string") return keep.has(key) ? node : `${node}${value}`;
    if (Array.isArray(node)) return node.map((item) => map(item, key));
    if (node !== null && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, map(v, k)]));
    return node;
  };
  return map(matrix) as AccessMatrix;
}
