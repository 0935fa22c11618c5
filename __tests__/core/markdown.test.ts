/**
 * core/markdown.ts read back by a real CommonMark/GFM parser (markdown-it): a value placed as code,
 * as prose or in a table row renders as itself, and never as a mention, link, image, raw HTML,
 * another block or a broken table.
 */
import fc from "fast-check";
import { EMPTY_VALUE_MARKDOWN, markdownCode, markdownCodeBlock, markdownRow, markdownText, visibleEscape } from "../../core/markdown";
import { HOSTILE_VALUES, inspectMarkdown, mentionsIn } from "../../testing/markdown";

/** Fixed so a failure reproduces; `SCOPEGATE_FC_SEED` explores others. fast-check prints it on failure. */
const SEED = Number(process.env.SCOPEGATE_FC_SEED ?? 20_261_206);
const RUNS = 500;

/** Any string, including lone surrogates, controls and runs of Markdown punctuation. */
const anyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(..."`\\|*_[]()<>!@#:&;~-+. \n\r\u2028x1"), maxLength: 30 }),
  fc.constantFrom(...HOSTILE_VALUES),
);

/** What prose reads as: words separated by one space, invisible characters written visibly (in code). */
const asProse = (value: string) =>
  visibleEscape(
    value
      .split(/ +/)
      .filter((w) => w !== "")
      .join(" "),
  );

/** The text of a paragraph's inline content, code included, as a reader sees it. */
function readBack(markdown: string): { read: string; blocks: string[] } {
  const inspection = inspectMarkdown(markdown);
  const inline = inspection.tokens.find((t) => t.type === "inline");
  const read = (inline?.children ?? [])
    .filter((t) => t.type === "text" || t.type === "code_inline")
    .map((t) => t.content)
    .join("");
  return { read, blocks: inspection.tokens.filter((t) => t.nesting !== -1 && t.type !== "inline").map((t) => t.type) };
}

function expectInert(markdown: string) {
  const inspection = inspectMarkdown(markdown);
  expect(inspection.html).toEqual([]);
  expect(inspection.links).toEqual([]);
  expect(mentionsIn(inspection)).toEqual([]);
  expect(inspection.brokenRows).toEqual([]);
}

describe("visibleEscape", () => {
  test("writes line terminators, controls and invisible format characters visibly, and keeps everything else", () => {
    expect(visibleEscape("a\nb\rc\td\u2028e\u2029f\u0000g\u202Eh\u200Bi\u{E0001}")).toBe(
      "a\\nb\\rc\\td\\u2028e\\u2029f\\u0000g\\u202Eh\\u200Bi\\u{E0001}",
    );
    expect(visibleEscape("plain `code` | \\ é ✅ ⚠️")).toBe("plain `code` | \\ é ✅ ⚠️");
  });
});

describe("markdownCode", () => {
  test("reads back as the value (after visibleEscape) for any string, as one code span and nothing else", () => {
    fc.assert(
      fc.property(anyString, (value) => {
        const markdown = markdownCode(value);
        if (value === "") return expect(markdown).toBe(EMPTY_VALUE_MARKDOWN);
        const inspection = inspectMarkdown(`x ${markdown} y`);
        const expected = /^ +$/.test(value) ? value.replace(/ /g, "\\u0020") : visibleEscape(value);
        expect(inspection.codeSpans).toEqual([expected]);
        expect(inspection.text.join("")).toBe("x  y");
        expectInert(`x ${markdown} y`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test("picks a fence longer than any backtick run and pads a value that starts or ends with a backtick or space", () => {
    expect(markdownCode("a``b")).toBe("```a``b```");
    expect(markdownCode("`")).toBe("`` ` ``");
    expect(markdownCode(" padded ")).toBe("`  padded  `");
    expect(markdownCode("@octocat")).toBe("`@octocat`");
    expect(markdownCode("line\nbreak")).toBe("`line\\nbreak`");
  });
});

describe("markdownText", () => {
  test("for any string: one paragraph whose text reads as the words, with no mention, link, image or HTML", () => {
    fc.assert(
      fc.property(anyString, (value) => {
        const markdown = markdownText(value);
        if (asProse(value) === "") return expect(markdown).toBe("");
        const { read, blocks } = readBack(markdown);
        expect(blocks).toEqual(["paragraph_open"]);
        expect(read).toBe(asProse(value));
        expectInert(markdown);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test("keeps plain words as prose and shows every word GitHub could link, mention or render as code", () => {
    expect(markdownText("alice through web")).toBe("alice through web");
    expect(markdownText("hi @octocat, see www.example.invalid.")).toBe("hi `@octocat`, see `www.example.invalid`.");
    expect(markdownText("fixes #1 and GH-1 in deadbeef1 or DEADBEEF")).toBe("fixes `#1` and `GH-1` in `deadbeef1` or `DEADBEEF`");
    expect(markdownText("OAuth 2.0 on S3 in v1")).toBe("OAuth 2.0 on S3 in v1");
    // The closing colon is sentence punctuation: the text node holds a lone ":", no shortcode.
    expect(markdownText("a :emoji: <b>")).toBe("a `:emoji`: `<b>`");
    expect(markdownText("user's e-mail (optional) — 403")).toBe("user's e-mail (optional) — 403");
    expect(markdownText("(e.g. example.com)")).toBe("(e.g. `example.com`)");
    // After a number, `.` and `)` could start an ordered list; `!` an image anywhere.
    expect(markdownText("1. x 2) y z!")).toBe("1\\. x 2\\) y z\\!");
    // A lone symbol between words is text; first, where it could start a list, it is code.
    expect(markdownText("code + PKCE")).toBe("code + PKCE");
    expect(markdownText("+ PKCE")).toBe("`+` PKCE");
  });
});

describe("markdownRow", () => {
  test("for any strings as code and as prose: a table whose every row has the header's cells and reads back", () => {
    fc.assert(
      fc.property(anyString, anyString, (a, b) => {
        const markdown = [markdownRow(["Code", "Text"]), markdownRow(["---", "---"]), markdownRow([markdownCode(a), markdownText(b)])].join(
          "\n",
        );
        const inspection = inspectMarkdown(markdown);
        expect(inspection.tables).toHaveLength(1);
        expect(inspection.tables[0].rows).toHaveLength(1);
        expect(inspection.tables[0].rows[0]).toHaveLength(2);
        if (a !== "") expect(inspection.codeSpans[0]).toBe(/^ +$/.test(a) ? a.replace(/ /g, "\\u0020") : visibleEscape(a));
        expectInert(markdown);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test("escapes every pipe, in code spans too (GFM removes the backslash before reading the cell)", () => {
    expect(markdownRow([markdownCode("a|b"), "x"])).toBe("| `a\\|b` | x |");
    expect(inspectMarkdown(["| A | B |", "| --- | --- |", markdownRow([markdownCode("a|b"), "x"])].join("\n")).codeSpans).toEqual(["a|b"]);
  });
});

describe("markdownCodeBlock", () => {
  test("for any lines: one fenced block holding exactly those lines (after visibleEscape)", () => {
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 5 }), (lines) => {
        const inspection = inspectMarkdown([...markdownCodeBlock(lines, "diff"), "after"].join("\n"));
        const flat = lines.map(visibleEscape);
        expect(inspection.codeBlocks).toEqual([{ info: "diff", content: flat.length === 0 ? "" : `${flat.join("\n")}\n` }]);
        expect(inspection.text).toEqual(["after"]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test("fails when the info string could end the fence line or hold Markdown", () => {
    expect(() => markdownCodeBlock([], "diff `x`")).toThrow('info string must be letters, digits or "-", got "diff `x`"');
  });
});
