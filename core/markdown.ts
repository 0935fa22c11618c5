/**
 * Where a value crosses into GitHub-flavoured Markdown (the review comment, the matrix, HANDOFF.md):
 * the one place that decides how, so a name or description from the configuration, or anything read
 * out of a synth output a pull request may have edited, renders as the text it is and never
 * mentions (`@octocat`), links, embeds HTML, starts a block or breaks a table.
 *
 * - {@link markdownCode}: a value as inline code. GitHub never links, mentions or renders HTML
 *   inside code, so this is the form for every name, path, route, scope and URL.
 * - {@link markdownText}: a sentence that holds values (a label, a reason, a description) as
 *   prose: plain words stay words, and any word GitHub could turn into a mention, a link, an issue
 *   or commit reference, an emoji or markup is shown as inline code.
 * - {@link markdownRow}: a table row; every `|` in a cell is escaped, code spans included (GFM
 *   reads `\|` before the cell's inline content).
 * - {@link markdownCodeBlock}: a fenced code block no line of its content can close.
 *
 * Line terminators and other control or invisible format characters cannot be shown in a code span
 * or a table row; {@link visibleEscape} writes them as `\n`, `\r`, `\t` or `\uXXXX`.
 *
 * @see https://spec.commonmark.org/0.31.2/#code-spans
 * @see https://github.github.com/gfm/#tables-extension-
 * @packageDocumentation
 */

/** Control, format (bidi, zero-width), line and paragraph separator characters. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Writes the characters that would break a line or a table, or hide in it, as visible escapes:
 * `\n`, `\r`, `\t`, else `\uXXXX` (`\u{XXXXX}` above U+FFFF). Every other character is kept, a
 * backslash included (so a value that already holds `\n` reads the same as one holding a newline).
 */
export function visibleEscape(value: string): string {
  return value.replace(INVISIBLE, (c) => {
    const short = SHORT_ESCAPES[c];
    if (short !== undefined) return short;
    const point = c.codePointAt(0) ?? 0;
    return point > 0xffff ? `\\u{${point.toString(16).toUpperCase()}}` : `\\u${point.toString(16).toUpperCase().padStart(4, "0")}`;
  });
}

/** What an empty value renders as (an empty code span does not exist). */
export const EMPTY_VALUE_MARKDOWN = "_(empty)_";

/**
 * A value as inline code that reads back as the value (after {@link visibleEscape}) whatever it
 * holds: the backtick fence is longer than the longest run of backticks inside, and the content is
 * padded with a space when it starts or ends with a backtick or a space (CommonMark strips one
 * space from each side). A value of spaces only shows each as `\u0020`; an empty one is
 * {@link EMPTY_VALUE_MARKDOWN}. Inside a table, pass the cell through {@link markdownRow}.
 */
export function markdownCode(value: string): string {
  if (value === "") return EMPTY_VALUE_MARKDOWN;
  let content = visibleEscape(value);
  if (/^ +$/.test(content)) content = content.replace(/ /g, "\\u0020");
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const padded = /^[ `]|[ `]$/.test(content) ? ` ${content} ` : content;
  return `${fence}${padded}${fence}`;
}

/** Every ASCII punctuation character, each of which CommonMark lets a backslash escape. */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/**
 * A word that stays prose: letters (any script, with their marks), optionally joined by `-`, `_` or
 * `'`; letters and digits (`v1`, `S3`); single letters joined by dots (`e.g`); a number (`2.0`);
 * or visible characters outside ASCII only (`—`, `→`, `✅`); never seven or more hex digits alone,
 * which GitHub may link to a commit. Anything else (`@`, `#`, `:`, `/` or a dot inside a word, digits joined by `-`
 * as in `GH-12`, markup) is shown as code, where GitHub links and mentions nothing.
 */
const PLAIN_WORD =
  /^(?![0-9a-f]{7,}$)(?:\p{L}[\p{L}\p{M}]*(?:[-_'][\p{L}\p{M}]+)*|[\p{L}\p{M}\d]+|\p{L}(?:\.\p{L})+|\d+(?:\.\d+)?|[^\p{ASCII}\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Z}]+)$/iu;
/** Sentence punctuation kept as text around a word. */
const LEADING = /^[("']+/;
const TRAILING = /[)"',;:.!?]+$/;

/**
 * A sentence that holds values, as Markdown prose: split at spaces (a run of them reads as one),
 * each plain word (see {@link PLAIN_WORD}) is kept as it is, and every other word becomes
 * {@link markdownCode} (with sentence punctuation around it kept as text). So `alice
 * through web` stays prose, while `@octocat`, `alice@example.com`, `<img …>`, `www.example.com` or
 * `user#alice` show as code. Inside a table, pass the cell through {@link markdownRow}.
 */
export function markdownText(sentence: string): string {
  return sentence
    .split(/ +/)
    .filter((part) => part !== "")
    .map((part, index) => {
      // A plain word's `-`, `_` and `'` sit between letters, where they are never syntax.
      if (PLAIN_WORD.test(part)) return part;
      // Between words (never first, where it could start a list), a lone `+`, `-`, `=` or `&` is text.
      if (index > 0 && /^[-+=&]$/.test(part)) return part;
      const leading = LEADING.exec(part)?.[0] ?? "";
      const trailing = TRAILING.exec(part.slice(leading.length))?.[0] ?? "";
      const word = part.slice(leading.length, part.length - trailing.length);
      if (word === "") return escapePunctuation(part);
      const shown = PLAIN_WORD.test(word) ? word : markdownCode(word);
      return `${leading}${shown}${sentencePunctuation(trailing, /^\d+$/.test(word))}`;
    })
    .join(" ");
}

/**
 * Punctuation after a word, before a space: `,;:?"'` and `(` before a word are never syntax there.
 * `!` could start an image before `[`, and `.` or `)` after a number an ordered list: escaped.
 */
function sentencePunctuation(text: string, afterNumber: boolean): string {
  return text.replace(afterNumber ? /[!.)]/g : /!/g, (c) => `\\${c}`);
}

function escapePunctuation(text: string): string {
  return text.replace(ASCII_PUNCTUATION, (c) => `\\${c}`);
}

/**
 * A GFM table row: `| a | b |`, with every `|` inside a cell written `\|` (GFM removes that
 * backslash before it reads the cell, so code spans show a plain `|`). Cells are Markdown already
 * ({@link markdownCode}, {@link markdownText} or our own words); a line break in one is written
 * visibly, so the row stays one line.
 */
export function markdownRow(cells: readonly string[]): string {
  return `| ${cells.map((cell) => visibleEscape(cell).replace(/\|/g, "\\|")).join(" | ")} |`;
}

/**
 * A fenced code block that no line of its content closes: the fence is a run of backticks longer
 * than any in the content (at least three). Lines are shown with {@link visibleEscape}.
 *
 * @param info - the info string (a language such as `diff`); letters, digits and `-` only
 */
export function markdownCodeBlock(lines: readonly string[], info = ""): string[] {
  if (!/^[A-Za-z0-9-]*$/.test(info))
    throw new Error(`markdownCodeBlock: info string must be letters, digits or "-", got ${JSON.stringify(info)}`);
  const shown = lines.map(visibleEscape);
  const longestRun = Math.max(0, ...shown.flatMap((line) => line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return [`${fence}${info}`, ...shown, fence];
}
