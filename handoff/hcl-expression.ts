/**
 * The spacing `terraform fmt` gives an expression written on one line: the rules of hclwrite's
 * `spaceAfterToken`, over a small tokenizer. Strings are kept as they are, except for the template
 * sequences inside them, which are spaced the same way (`"${ {"a" = 1} }"` → `"${ { "a" = 1 } }"`).
 * Comments (`/* … *\/`, and `#` or `//` to the end of the line) are dropped: HCL reads a comment
 * as a space, so the value is the same.
 *
 * @see https://github.com/hashicorp/hcl/blob/main/hclwrite/format.go
 * @packageDocumentation
 */
import { commentAt, quotedStringEnd, sequenceEnd } from "../core/terraform-json/template";
import { HandoffError } from "./errors";

type Kind =
  | "ident"
  | "number"
  | "string"
  | "("
  | ")"
  | "["
  | "]"
  | "{"
  | "}"
  | "open-sequence"
  | "end-sequence"
  | ","
  | "."
  | "..."
  | "::"
  | "-"
  | "="
  | ":"
  | "?"
  | "arith"
  | "compare"
  | "logic"
  | "other";

interface Token {
  readonly kind: Kind;
  readonly text: string;
}

const OPERATORS: readonly [string, Kind][] = [
  ["...", "..."],
  ["::", "::"],
  ["==", "compare"],
  ["!=", "compare"],
  ["<=", "compare"],
  [">=", "compare"],
  ["&&", "logic"],
  ["||", "logic"],
  ["=>", "other"],
  ["(", "("],
  [")", ")"],
  ["[", "["],
  ["]", "]"],
  ["{", "{"],
  ["}", "}"],
  [",", ","],
  [".", "."],
  ["-", "-"],
  ["=", "="],
  [":", ":"],
  ["?", "?"],
  ["+", "arith"],
  ["*", "arith"],
  ["/", "arith"],
  ["%", "arith"],
  ["<", "compare"],
  [">", "compare"],
  ["!", "logic"],
];

/**
 * A template sequence (`${…}` or `%{…}`, strip markers included) spaced as `terraform fmt` does.
 *
 * @throws HandoffError `ERR_HANDOFF_UNSUPPORTED` for a heredoc or a character HCL does not use
 */
export function formatSequence(sequence: string): string {
  const open = /^[$%]\{~?/.exec(sequence)?.[0] as string;
  const close = sequence.endsWith("~}") ? "~}" : "}";
  const inner = tokenize(sequence.slice(open.length, sequence.length - close.length));
  return join([{ kind: "open-sequence", text: open }, ...inner, { kind: "end-sequence", text: close }]);
}

/** An expression spaced as `terraform fmt` does. */
export function formatExpression(expression: string): string {
  return join(tokenize(expression));
}

/**
 * Where a comment that starts at `start` ends (the index after `*\/`, or of the line break that
 * ends a `#` or `//` comment, or the text's length); `undefined` when no comment starts there.
 * HCL allows both kinds anywhere between an expression's tokens, inside `${…}` and `%{…}` too.
 * The shared template scanner's rule (`commentAt`).
 *
 * @throws HandoffError `ERR_HANDOFF_UNSUPPORTED` for an unterminated block comment
 */
export function commentEnd(text: string, start: number): number | undefined {
  const comment = commentAt(text, start);
  if (comment !== undefined && !comment.terminated) {
    throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `unterminated comment in ${JSON.stringify(text)}`);
  }
  return comment?.end;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
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
      tokens.push({ kind: "ident", text: ident });
      i += ident.length;
    } else if (/[0-9]/.test(c)) {
      const number = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i))?.[0] as string;
      tokens.push({ kind: "number", text: number });
      i += number.length;
    } else if (c === '"') {
      const end = stringEnd(text, i + 1);
      tokens.push({ kind: "string", text: `"${formatStringContent(text.slice(i + 1, end))}"` });
      i = end + 1;
    } else if (c === "<" && text.startsWith("<<", i) && /^<<-?[A-Za-z]/.test(text.slice(i))) {
      throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `a heredoc inside an expression is not translated: ${text}`);
    } else {
      const operator = OPERATORS.find(([op]) => text.startsWith(op, i));
      if (operator === undefined)
        throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `unexpected ${JSON.stringify(c)} in the expression ${text}`);
      tokens.push({ kind: operator[1], text: operator[0] });
      i += operator[0].length;
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

/** The content of a quoted string with its template sequences spaced. */
function formatStringContent(content: string): string {
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
      out += formatSequence(content.slice(i, end + 1));
      i = end + 1;
    } else {
      out += content[i];
      i += 1;
    }
  }
  return out;
}

function bracketChange(token: Token): number {
  if (["(", "[", "{", "open-sequence"].includes(token.kind)) return 1;
  if ([")", "]", "}", "end-sequence"].includes(token.kind)) return -1;
  return 0;
}

/** hclwrite's `spaceAfterToken`, for the tokens this tokenizer produces. */
function spaceAfter(subject: Token, before: Token | undefined, after: Token): boolean {
  if (subject.kind === "ident" && after.kind === "(") return false;
  if ((subject.kind === "ident" && after.kind === "::") || (subject.kind === "::" && after.kind === "ident")) return false;
  if (subject.kind === "." || after.kind === ".") return false;
  if (after.kind === "," || after.kind === "...") return false;
  if (subject.kind === ",") return true;
  if (subject.kind === "ident" && subject.text === "in" && before?.kind === "ident") return true;
  if (after.kind === "[" && (subject.kind === "ident" || subject.kind === "number" || bracketChange(subject) < 0)) return false;
  if (subject.kind === "-") {
    if (before === undefined) return false;
    if (["(", "{", "[", "=", ":", ",", "?", "arith", "-", "compare", "logic", "open-sequence"].includes(before.kind)) return false;
    return true;
  }
  if (subject.kind === "{" || after.kind === "}") return !(subject.kind === "{" && after.kind === "}");
  if (subject.kind === "open-sequence" && after.kind === "{") return true;
  if (subject.kind === "}" && after.kind === "end-sequence") return true;
  if (bracketChange(subject) > 0) return false;
  if (bracketChange(after) < 0) return false;
  return true;
}

function join(tokens: readonly Token[]): string {
  let out = "";
  tokens.forEach((token, index) => {
    if (index > 0 && spaceAfter(tokens[index - 1], tokens[index - 2], token)) out += " ";
    out += token.text;
  });
  return out;
}
