/**
 * Where a JSON text stops being valid, as a line and a column, for the configuration's error
 * messages. `JSON.parse` names an offset for some errors only (and never a line), so the text is
 * scanned once more on the error path.
 *
 * @packageDocumentation
 */

/** A JSON syntax error located in its text. */
export interface JsonSyntaxError {
  /** 1-based line of the first character that is not valid JSON (the end of the text when it is cut short). */
  readonly line: number;
  /** 1-based column of that character, in UTF-16 code units as editors count them. */
  readonly column: number;
  /** The parser's reason, without its offset or excerpt, e.g. `Expected ',' or '}' after property value`. */
  readonly reason: string;
}

/**
 * Locates the syntax error `JSON.parse` reported for `text`.
 *
 * @param text - the text that failed to parse
 * @param error - what `JSON.parse` threw
 * @returns the line, column and reason
 * @see https://www.rfc-editor.org/rfc/rfc8259
 */
export function locateJsonSyntaxError(text: string, error: Error): JsonSyntaxError {
  const stated = / (?:in JSON )?at position (\d+)/.exec(error.message);
  const offset = stated ? Number(stated[1]) : firstInvalidOffset(text);
  const reason = error.message
    .replace(/ (?:in JSON )?at position \d+.*$/s, "")
    .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, "")
    .trim();
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1, reason };
}

/** The offset of the first character where `text` stops being JSON; the text's length when it ends too early. */
function firstInvalidOffset(text: string): number {
  const scanner = new JsonScanner(text);
  try {
    scanner.document();
    return scanner.offset < text.length ? scanner.offset : text.length;
  } catch (offset) {
    return Math.min(offset as number, text.length);
  }
}

/**
 * A recursive-descent reader of RFC 8259's grammar that keeps nothing but its offset: each method
 * reads one production from the offset on, or throws the offset where the text stops matching it.
 */
class JsonScanner {
  /** Where the next character to read is. */
  offset = 0;

  constructor(private readonly text: string) {}

  /** A whole text: one value, between optional white space. */
  document(): void {
    this.value();
    this.space();
  }

  /**
   * One value. Objects and arrays open and close on a stack of their own, not on the call stack:
   * a text nested deeper than the call stack allows is located like any other (and JSON.parse, which
   * is not recursive either, reads such a text when it is valid).
   */
  private value(): void {
    const { text } = this;
    const open: ("{" | "[")[] = [];
    for (;;) {
      this.space();
      const char = text[this.offset];
      if (char === "{" || char === "[") {
        this.offset++;
        this.space();
        if (text[this.offset] === (char === "{" ? "}" : "]")) this.offset++;
        else {
          open.push(char);
          if (char === "{") this.memberName();
          continue;
        }
      } else this.scalar(char);
      // A value is complete: close what it completes, up to a container that goes on with a ",".
      for (;;) {
        const container = open.at(-1);
        if (container === undefined) return;
        this.space();
        if (text[this.offset] === (container === "{" ? "}" : "]")) {
          this.offset++;
          open.pop();
          continue;
        }
        this.expect(",");
        if (container === "{") this.memberName();
        break;
      }
    }
  }

  /** An object member's name and its `:`. */
  private memberName(): void {
    this.space();
    this.string();
    this.space();
    this.expect(":");
  }

  /** A string, a number or a literal, starting at `char`. */
  private scalar(char: string | undefined): void {
    if (char === '"') return this.string();
    if (char === "t") return this.literal("true");
    if (char === "f") return this.literal("false");
    if (char === "n") return this.literal("null");
    if (char === "-" || /[0-9]/.test(char ?? "")) return this.number();
    this.fail();
  }

  private string(): void {
    const { text } = this;
    this.expect('"');
    while (text[this.offset] !== '"') {
      if (this.offset >= text.length || text.charCodeAt(this.offset) < 0x20) this.fail();
      if (text[this.offset] === "\\") {
        this.offset++;
        if (text[this.offset] === "u") {
          this.offset++;
          for (let k = 0; k < 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[this.offset] ?? "")) this.fail();
            this.offset++;
          }
        } else if ('"\\/bfnrt'.includes(text[this.offset] ?? "x")) this.offset++;
        else this.fail();
      } else this.offset++;
    }
    this.offset++;
  }

  private number(): void {
    const { text } = this;
    if (text[this.offset] === "-") this.offset++;
    if (text[this.offset] === "0") this.offset++;
    else this.digits();
    if (text[this.offset] === ".") {
      this.offset++;
      this.digits();
    }
    if (text[this.offset] === "e" || text[this.offset] === "E") {
      this.offset++;
      if (text[this.offset] === "+" || text[this.offset] === "-") this.offset++;
      this.digits();
    }
  }

  private digits(): void {
    if (!/[0-9]/.test(this.text[this.offset] ?? "")) this.fail();
    while (/[0-9]/.test(this.text[this.offset] ?? "")) this.offset++;
  }

  private literal(word: string): void {
    for (const char of word) this.expect(char);
  }

  private expect(char: string): void {
    if (this.text[this.offset] !== char) this.fail();
    this.offset++;
  }

  private space(): void {
    while (this.offset < this.text.length && " \t\n\r".includes(this.text[this.offset])) this.offset++;
  }

  private fail(): never {
    throw this.offset;
  }
}
