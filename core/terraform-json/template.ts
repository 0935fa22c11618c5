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
  const found: Found = { sequences: 0, calls: new Set(), references: new Set() };
  new TemplateScanner(text, found).template({ kind: "bare" });
  const normalized = text.normalize("NFC");
  if (normalized !== text) {
    const again: Found = { sequences: 0, calls: found.calls, references: found.references };
    new TemplateScanner(normalized, again).template({ kind: "bare" });
    found.sequences = Math.max(found.sequences, again.sequences);
  }
  return { sequences: found.sequences, calls: [...found.calls], references: [...found.references] };
}

interface Found {
  sequences: number;
  readonly calls: Set<string>;
  readonly references: Set<string>;
}

/** Where a template ends: at the end of the string, at an unescaped `"`, or at the heredoc's marker line. */
type TemplateEnd = { readonly kind: "bare" } | { readonly kind: "quoted" } | { readonly kind: "heredoc"; readonly marker: string };

/** One token of an expression, as far as finding calls and traversals needs. */
type Token = { readonly kind: "ident"; readonly text: string } | { readonly kind: "::" | "string" | "other"; readonly text: string };

const IDENTIFIER = /[\p{ID_Start}_][\p{ID_Continue}-]*/uy;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEREDOC_START = /<<-?([\p{ID_Start}_][\p{ID_Continue}-]*)\r?\n/uy;

class TemplateScanner {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly found: Found,
  ) {}

  /** Template text from the current position to its end (see {@link TemplateEnd}). */
  template(end: TemplateEnd): void {
    const text = this.text;
    let lineStart = true;
    while (this.pos < text.length) {
      if (end.kind === "heredoc" && lineStart) {
        const eol = text.indexOf("\n", this.pos);
        const line = text.slice(this.pos, eol < 0 ? text.length : eol);
        if (line.trim() === end.marker) {
          this.pos += line.length;
          return;
        }
      }
      lineStart = false;
      const c = text[this.pos];
      if (end.kind === "quoted" && c === '"') {
        this.pos += 1;
        return;
      }
      if (end.kind === "quoted" && c === "\\") {
        this.pos += 2;
        continue;
      }
      if (c === "$" || c === "%") {
        if (text[this.pos + 1] === "{") {
          this.pos += 2;
          this.sequence();
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
  }

  /** One `${…}` or `%{…}` sequence, from after its opening to after its closing brace. */
  private sequence(): void {
    const text = this.text;
    this.found.sequences += 1;
    if (text[this.pos] === "~") this.pos += 1;
    const tokens: Token[] = [];
    let depth = 0;
    while (this.pos < text.length) {
      const c = text[this.pos];
      const next = text[this.pos + 1];
      if (/\s/u.test(c)) {
        this.pos += 1;
      } else if (c === "#" || (c === "/" && next === "/")) {
        const eol = text.indexOf("\n", this.pos);
        this.pos = eol < 0 ? text.length : eol + 1;
      } else if (c === "/" && next === "*") {
        const close = text.indexOf("*/", this.pos + 2);
        this.pos = close < 0 ? text.length : close + 2;
      } else if (c === '"') {
        this.pos += 1;
        this.template({ kind: "quoted" });
        tokens.push({ kind: "string", text: "" });
      } else if (c === "<" && this.heredocStart() !== undefined) {
        const [introducer, marker] = this.heredocStart() as RegExpExecArray;
        this.pos += introducer.length;
        this.template({ kind: "heredoc", marker });
        tokens.push({ kind: "string", text: "" });
      } else if (c === "{") {
        depth += 1;
        tokens.push({ kind: "other", text: c });
        this.pos += 1;
      } else if (c === "}" || (c === "~" && next === "}")) {
        this.pos += c === "~" ? 2 : 1;
        if (depth === 0) break;
        depth -= 1;
        tokens.push({ kind: "other", text: "}" });
      } else if (c === ":" && next === ":") {
        tokens.push({ kind: "::", text: "::" });
        this.pos += 2;
      } else {
        const ident = this.match(IDENTIFIER);
        const number = ident === undefined ? this.match(NUMBER) : undefined;
        const token = ident ?? number;
        if (token !== undefined) {
          tokens.push({ kind: ident === undefined ? "other" : "ident", text: token });
          this.pos += token.length;
        } else {
          const char = String.fromCodePoint(text.codePointAt(this.pos) ?? 0);
          tokens.push({ kind: "other", text: char });
          this.pos += char.length;
        }
      }
    }
    this.collect(tokens);
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

  /** Calls (`name (`, `ns :: name (`) and traversals (`root . attribute`) among a sequence's tokens. */
  private collect(tokens: readonly Token[]): void {
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].kind !== "ident") continue;
      const name = [tokens[i].text];
      let j = i;
      while (tokens[j + 1]?.kind === "::" && tokens[j + 2]?.kind === "ident") {
        name.push(tokens[j + 2].text);
        j += 2;
      }
      if (tokens[j + 1]?.text === "(" && tokens[j + 1]?.kind === "other") {
        this.found.calls.add(name.join("::"));
        i = j;
      } else if (j === i && tokens[i + 1]?.text === "." && tokens[i + 2]?.kind === "ident") {
        this.found.references.add(`${tokens[i].text}.${tokens[i + 2].text}`);
        i += 2;
      } else if (j === i && tokens[i + 1]?.text === "[" && tokens[i + 2]?.kind === "string") {
        this.found.references.add(`${tokens[i].text}[…]`);
      }
    }
  }
}
