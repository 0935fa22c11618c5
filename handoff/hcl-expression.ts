/**
 * The expressions inside template sequences, as the hand-off writes them into HCL: read into tokens
 * by a small tokenizer and written back one space apart. The tokenizer's work is what the hand-off
 * needs of it: it drops comments (`/* … *\/`, and `#` or `//` to the end of the line; HCL reads a
 * comment as a space, so the value is the same), refuses a heredoc and any character HCL does not
 * use in an expression, and reads the strings inside, whose own template sequences it reads the same
 * way. Their spacing is hclwrite's: `formatHcl` (`terraform fmt`'s formatter) re-spaces every token,
 * inside `${…}` too. One space apart, no two tokens can run together into another one (`a - b` is not
 * `a-b`, `< <` is not `<<`).
 *
 * @see https://github.com/hashicorp/hcl/blob/main/hclwrite/format.go
 * @packageDocumentation
 */
import { commentAt, quotedStringEnd, sequenceEnd } from "../core/terraform-json/template";
import { HandoffError } from "./errors";

/** Operators and punctuation HCL uses in expressions, longest first where one starts another. */
const OPERATORS: readonly string[] = [
  "...",
  "::",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "=>",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ".",
  "-",
  "=",
  ":",
  "?",
  "+",
  "*",
  "/",
  "%",
  "<",
  ">",
  "!",
];

/**
 * A template sequence (`${…}` or `%{…}`, strip markers included) as its tokens, without comments.
 *
 * @throws HandoffError `ERR_HANDOFF_UNSUPPORTED` for a heredoc or a character HCL does not use
 */
export function sequenceTokens(sequence: string): string {
  const open = /^[$%]\{~?/.exec(sequence)?.[0] as string;
  const close = sequence.endsWith("~}") ? "~}" : "}";
  return [open, ...tokenize(sequence.slice(open.length, sequence.length - close.length)), close].join(" ");
}

/**
 * An expression as its tokens, without comments.
 *
 * @throws HandoffError `ERR_HANDOFF_UNSUPPORTED` for a heredoc or a character HCL does not use
 */
export function expressionTokens(expression: string): string {
  return tokenize(expression).join(" ");
}

/**
 * Where a comment that starts at `start` ends (the index after `*\/`, or of the line break that
 * ends a `#` or `//` comment, or the text's length); `undefined` when no comment starts there.
 * HCL allows both kinds anywhere between an expression's tokens, inside `${…}` and `%{…}` too.
 * The shared template scanner's rule (`commentAt`).
 *
 * @throws HandoffError `ERR_HANDOFF_UNSUPPORTED` for an unterminated block comment
 */
function commentEnd(text: string, start: number): number | undefined {
  const comment = commentAt(text, start);
  if (comment !== undefined && !comment.terminated) {
    throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `unterminated comment in ${JSON.stringify(text)}`);
  }
  return comment?.end;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const comment = commentEnd(text, i);
    if (comment !== undefined) {
      i = comment;
    } else if (c === " " || c === "\t") {
      i += 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const ident = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i))?.[0] as string;
      tokens.push(ident);
      i += ident.length;
    } else if (/[0-9]/.test(c)) {
      const number = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i))?.[0] as string;
      tokens.push(number);
      i += number.length;
    } else if (c === '"') {
      const end = stringEnd(text, i + 1);
      tokens.push(`"${stringContent(text.slice(i + 1, end))}"`);
      i = end + 1;
    } else if (c === "<" && text.startsWith("<<", i) && /^<<-?[A-Za-z]/.test(text.slice(i))) {
      throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `a heredoc inside an expression is not translated: ${text}`);
    } else {
      const operator = OPERATORS.find((op) => text.startsWith(op, i));
      if (operator === undefined)
        throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `unexpected ${JSON.stringify(c)} in the expression ${text}`);
      tokens.push(operator);
      i += operator.length;
    }
  }
  return tokens;
}

/** Index of the closing quote of a string whose content starts at `start` (the shared template scanner's rule). */
function stringEnd(text: string, start: number): number {
  const end = quotedStringEnd(text, start);
  if (end === undefined) throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `unterminated string in the expression ${text}`);
  return end;
}

/** Index of the `}` that closes a sequence whose expression starts at `start` (the shared template scanner's rule). */
function closingBrace(text: string, start: number): number {
  const end = sequenceEnd(text, start);
  if (end === undefined) throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `unterminated template sequence in the expression ${text}`);
  return end;
}

/** The content of a quoted string, its template sequences as their tokens (escapes and literal text as they are). */
function stringContent(content: string): string {
  let out = "";
  let i = 0;
  while (i < content.length) {
    if (content[i] === "\\") {
      out += content.slice(i, i + 2);
      i += 2;
    } else if (content.startsWith("$${", i) || content.startsWith("%%{", i)) {
      out += content.slice(i, i + 3);
      i += 3;
    } else if ((content[i] === "$" || content[i] === "%") && content[i + 1] === "{") {
      const end = closingBrace(content, i + 2);
      out += sequenceTokens(content.slice(i, end + 1));
      i = end + 1;
    } else {
      out += content[i];
      i += 1;
    }
  }
  return out;
}
