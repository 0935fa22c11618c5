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
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const expect = (char: string): void => {
    if (text[i] !== char) fail();
    i++;
  };
  const literal = (word: string): void => {
    for (const char of word) expect(char);
  };
  const string = (): void => {
    expect('"');
    while (text[i] !== '"') {
      if (i >= text.length || text.charCodeAt(i) < 0x20) fail();
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          i++;
          for (let k = 0; k < 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i] ?? "")) fail();
            i++;
          }
        } else if ('"\\/bfnrt'.includes(text[i] ?? "x")) i++;
        else fail();
      } else i++;
    }
    i++;
  };
  const digits = (): void => {
    if (!/[0-9]/.test(text[i] ?? "")) fail();
    while (/[0-9]/.test(text[i] ?? "")) i++;
  };
  const number = (): void => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else digits();
    if (text[i] === ".") {
      i++;
      digits();
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      digits();
    }
  };
  const value = (): void => {
    space();
    const char = text[i];
    if (char === "{") {
      i++;
      space();
      if (text[i] === "}") return void i++;
      for (;;) {
        space();
        string();
        space();
        expect(":");
        value();
        space();
        if (text[i] === "}") return void i++;
        expect(",");
      }
    }
    if (char === "[") {
      i++;
      space();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === "]") return void i++;
        expect(",");
      }
    }
    if (char === '"') return string();
    if (char === "t") return literal("true");
    if (char === "f") return literal("false");
    if (char === "n") return literal("null");
    if (char === "-" || /[0-9]/.test(char ?? "")) return number();
    fail();
  };
  try {
    value();
    space();
    return i < text.length ? i : text.length;
  } catch (offset) {
    return Math.min(offset as number, text.length);
  }
}
