/**
 * The one scanner of Terraform template strings (what every string of a synthesized
 * `cdk.tf.json` is): whether a string holds an expression, what its sequences call and refer to,
 * and where a sequence or a comment ends. Checks, review and hand-off read templates through it.
 *
 * @packageDocumentation
 */

/**
 * Whether a string holds a Terraform template expression: `${…}` or `%{…}` (`$${` and `%%{` are
 * escaped literals). See {@link scanTemplate}.
 */
export function isExpression(value: unknown): boolean {
  return typeof value === "string" && scanTemplate(value).sequences > 0;
}

/** What the template sequences of one Terraform string hold (see {@link scanTemplate}). */
export interface TemplateScan {
  /** How many template sequences (`${…}` interpolations, `%{…}` directives) it opens, nested ones included. */
  readonly sequences: number;
  /**
   * Every function called inside them, with its namespace and without spaces, in order of appearance
   * and once each: `file`, `core::file`, `provider::aws::arn_parse`.
   */
  readonly calls: readonly string[];
  /** Every attribute traversal from a root name inside them, once each: `path.cwd`, `var.user_passwords`. */
  readonly references: readonly string[];
}

/**
 * Scans a string of Terraform JSON as Terraform reads it: as a template (HCL's template scanner,
 * `hclsyntax/scan_tokens.rl`). Outside sequences, a run of two or more `$` (or `%`) before `{` is
 * an escaped literal (`$${` reads as `${`, and so does `$$${`); a single one opens a sequence.
 * Inside a sequence, the expression is tokenized far enough to find its end and what it calls:
 * comments (`#`, `//`, `/* … *\/`) and whitespace between tokens are skipped (so `file /*x*\/ (`
 * and `core :: file (` are calls), object braces nest, and quoted strings and heredocs are
 * templates of their own, scanned the same way (backslash escapes apply in quoted strings only).
 *
 * The text is scanned as written and in Unicode NFC (Terraform normalises strings to NFC), and
 * what either finds is reported. An unterminated sequence is scanned to the end of the string.
 * The scanner never throws and never evaluates anything.
 */
export function scanTemplate(text: string): TemplateScan {
  const found = newFound();
  new TemplateScanner(text, found).template({ kind: "bare" });
  const normalized = text.normalize("NFC");
  if (normalized !== text) {
    const again: Found = { ...newFound(), calls: found.calls, references: found.references };
    new TemplateScanner(normalized, again).template({ kind: "bare" });
    found.sequences = Math.max(found.sequences, again.sequences);
  }
  return { sequences: found.sequences, calls: [...found.calls], references: [...found.references] };
}

/** A traversal from a root name inside a template sequence: `aws_x.y.arn` is `["aws_x", "y", "arn"]`. */
export interface Traversal {
  /** The root name and each attribute name after it, up to the first index, call or other token. */
  readonly parts: readonly string[];
  /** Where it starts in the text (its root name). */
  readonly start: number;
  /** Where each of its names ends in the text (the last one: where the traversal ends). */
  readonly ends: readonly number[];
}

/** One template sequence of a string that is not inside another one, with what it holds. */
export interface TemplateSequence {
  /** `${` (an interpolation) or `%{` (a directive). */
  readonly opener: "${" | "%{";
  /** Where it starts in the text (its `$` or `%`). */
  readonly start: number;
  /** Where it ends in the text (after its closing brace; the text's length when it is unterminated). */
  readonly end: number;
  /** Whether a closing brace ends it. */
  readonly terminated: boolean;
  /** Every traversal from a root name inside it (nested sequences included), in order. */
  readonly traversals: readonly Traversal[];
}

/**
 * The outermost template sequences of a string, where they are and the traversals inside them,
 * scanned as {@link scanTemplate} scans (as written; positions index `text`).
 */
export function templateSequences(text: string): TemplateSequence[] {
  const found = newFound();
  new TemplateScanner(text, found).template({ kind: "bare" });
  return found.outermost.map((sequence) => ({
    ...sequence,
    traversals: found.traversals.filter((traversal) => traversal.start >= sequence.start && traversal.start < sequence.end),
  }));
}

/**
 * Where the sequence whose expression starts at `start` (just after its `${` or `%{`) ends: the
 * index of its closing `}`; `undefined` when nothing closes it. Strings, heredocs, comments and
 * nested sequences in it are skipped as {@link scanTemplate} skips them.
 */
export function sequenceEnd(text: string, start: number): number | undefined {
  const scanner = new TemplateScanner(text, newFound(), start);
  return scanner.sequence() ? scanner.position - 1 : undefined;
}

/**
 * Where the quoted string whose content starts at `start` (just after its opening `"`, inside an
 * expression) ends: the index of its closing `"`; `undefined` when nothing closes it.
 */
export function quotedStringEnd(text: string, start: number): number | undefined {
  const scanner = new TemplateScanner(text, newFound(), start);
  return scanner.template({ kind: "quoted" }) ? scanner.position - 1 : undefined;
}

/**
 * The comment that starts at `start` in an expression: `/* … *\/`, or `#` or `//` to the end of the
 * line. `end` is the index after `*\/`, or of the line break that ends a line comment (the text's
 * length when none does); a block comment without `*\/` is not `terminated` (and ends with the
 * text). `undefined` when no comment starts there. HCL reads a comment as a space.
 */
export function commentAt(text: string, start: number): { readonly end: number; readonly terminated: boolean } | undefined {
  if (text.startsWith("/*", start)) {
    const close = text.indexOf("*/", start + 2);
    return close < 0 ? { end: text.length, terminated: false } : { end: close + 2, terminated: true };
  }
  if (text[start] === "#" || text.startsWith("//", start)) {
    const eol = text.slice(start).search(/\r?\n/);
    return { end: eol < 0 ? text.length : start + eol, terminated: true };
  }
  return undefined;
}

interface Found {
  sequences: number;
  readonly calls: Set<string>;
  readonly references: Set<string>;
  /** The sequences not nested in another one, in order. */
  readonly outermost: Omit<TemplateSequence, "traversals">[];
  readonly traversals: Traversal[];
}

function newFound(): Found {
  return { sequences: 0, calls: new Set(), references: new Set(), outermost: [], traversals: [] };
}

/** Where a template ends: at the end of the string, at an unescaped `"`, or at the heredoc's marker line. */
type TemplateEnd = { readonly kind: "bare" } | { readonly kind: "quoted" } | { readonly kind: "heredoc"; readonly marker: string };

/** One token of an expression, as far as finding calls and traversals needs, and where it is. */
interface Token {
  readonly kind: "ident" | "::" | "string" | "other";
  readonly text: string;
  readonly start: number;
}

const IDENTIFIER = /[\p{ID_Start}_][\p{ID_Continue}-]*/uy;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEREDOC_START = /<<-?([\p{ID_Start}_][\p{ID_Continue}-]*)\r?\n/uy;

class TemplateScanner {
  /** How many sequences the scanner is inside. */
  private nesting = 0;

  constructor(
    private readonly text: string,
    private readonly found: Found,
    private pos = 0,
  ) {}

  /** Where the scanner is: the index of the next character to read. */
  get position(): number {
    return this.pos;
  }

  /**
   * Template text from the current position to its end (see {@link TemplateEnd}); whether that end
   * was met (a quoted string's `"`, a heredoc's marker) rather than the end of the text.
   */
  template(end: TemplateEnd): boolean {
    const text = this.text;
    let lineStart = true;
    while (this.pos < text.length) {
      if (end.kind === "heredoc" && lineStart) {
        const eol = text.indexOf("\n", this.pos);
        const line = text.slice(this.pos, eol < 0 ? text.length : eol);
        if (line.trim() === end.marker) {
          this.pos += line.length;
          return true;
        }
      }
      lineStart = false;
      const c = text[this.pos];
      if (end.kind === "quoted" && c === '"') {
        this.pos += 1;
        return true;
      }
      if (end.kind === "quoted" && c === "\\") {
        this.pos += 2;
        continue;
      }
      if (c === "$" || c === "%") {
        if (text[this.pos + 1] === "{") {
          const start = this.pos;
          this.pos += 2;
          const outermost = this.nesting === 0;
          const terminated = this.sequence();
          if (outermost) this.found.outermost.push({ opener: c === "$" ? "${" : "%{", start, end: this.pos, terminated });
        } else if (text[this.pos + 1] === c && text[this.pos + 2] === "{") {
          this.pos += 3; // `$${` / `%%{`: an escaped literal
        } else {
          this.pos += 1;
        }
        continue;
      }
      if (c === "\n") lineStart = true;
      this.pos += 1;
    }
    return end.kind === "bare";
  }

  /**
   * One `${…}` or `%{…}` sequence, from after its opening to after its closing brace; whether a
   * closing brace ended it (rather than the end of the text).
   */
  sequence(): boolean {
    const text = this.text;
    this.found.sequences += 1;
    this.nesting += 1;
    if (text[this.pos] === "~") this.pos += 1;
    const tokens: Token[] = [];
    let depth = 0;
    let terminated = false;
    while (this.pos < text.length) {
      const c = text[this.pos];
      const next = text[this.pos + 1];
      const start = this.pos;
      const comment = commentAt(text, this.pos);
      if (comment !== undefined) {
        this.pos = comment.end;
      } else if (/\s/u.test(c)) {
        this.pos += 1;
      } else if (c === '"') {
        this.pos += 1;
        this.template({ kind: "quoted" });
        tokens.push({ kind: "string", text: "", start });
      } else if (c === "<" && this.heredocStart() !== undefined) {
        const [introducer, marker] = this.heredocStart() as RegExpExecArray;
        this.pos += introducer.length;
        this.template({ kind: "heredoc", marker });
        tokens.push({ kind: "string", text: "", start });
      } else if (c === "{") {
        depth += 1;
        tokens.push({ kind: "other", text: c, start });
        this.pos += 1;
      } else if (c === "}" || (c === "~" && next === "}")) {
        this.pos += c === "~" ? 2 : 1;
        if (depth === 0) {
          terminated = true;
          break;
        }
        depth -= 1;
        tokens.push({ kind: "other", text: "}", start });
      } else if (c === ":" && next === ":") {
        tokens.push({ kind: "::", text: "::", start });
        this.pos += 2;
      } else {
        const ident = this.match(IDENTIFIER);
        const number = ident === undefined ? this.match(NUMBER) : undefined;
        const token = ident ?? number;
        if (token !== undefined) {
          tokens.push({ kind: ident === undefined ? "other" : "ident", text: token, start });
          this.pos += token.length;
        } else {
          const char = String.fromCodePoint(text.codePointAt(this.pos) ?? 0);
          tokens.push({ kind: "other", text: char, start });
          this.pos += char.length;
        }
      }
    }
    this.nesting -= 1;
    this.collect(tokens);
    return terminated;
  }

  /** The heredoc introducer (`<<EOT` or `<<-EOT` and its newline) at the current position, and its marker. */
  private heredocStart(): RegExpExecArray | undefined {
    HEREDOC_START.lastIndex = this.pos;
    return HEREDOC_START.exec(this.text) ?? undefined;
  }

  /** What a sticky pattern matches at the current position. */
  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    return pattern.exec(this.text)?.[0];
  }

  /**
   * Calls (`name (`, `ns :: name (`) and traversals from a root name (`root . attribute …`, the root
   * not itself after a `.`) among a sequence's tokens.
   */
  private collect(tokens: readonly Token[]): void {
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].kind !== "ident" || tokens[i - 1]?.text === ".") continue;
      const name = [tokens[i].text];
      let j = i;
      while (tokens[j + 1]?.kind === "::" && tokens[j + 2]?.kind === "ident") {
        name.push(tokens[j + 2].text);
        j += 2;
      }
      if (tokens[j + 1]?.text === "(" && tokens[j + 1]?.kind === "other") {
        this.found.calls.add(name.join("::"));
        i = j;
        continue;
      }
      if (j !== i) continue;
      const parts = [tokens[i].text];
      const ends = [tokens[i].start + tokens[i].text.length];
      while (tokens[j + 1]?.text === "." && tokens[j + 1]?.kind === "other" && tokens[j + 2]?.kind === "ident") {
        parts.push(tokens[j + 2].text);
        ends.push(tokens[j + 2].start + tokens[j + 2].text.length);
        j += 2;
      }
      if (parts.length > 1) {
        this.found.references.add(`${parts[0]}.${parts[1]}`);
        this.found.traversals.push({ parts, start: tokens[i].start, ends });
        i = j;
      } else if (tokens[i + 1]?.text === "[" && tokens[i + 2]?.kind === "string") {
        this.found.references.add(`${tokens[i].text}[…]`);
      }
    }
  }
}
