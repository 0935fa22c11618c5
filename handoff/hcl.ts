/**
 * Terraform JSON values written as HCL native syntax. This module writes the tokens, which is where
 * correctness lies (text from a configuration is data: no string may become live HCL); their layout
 * (indentation, aligned `=`) is hclwrite's ({@link formatHcl}), the formatter `terraform fmt` runs.
 *
 * Strings: in Terraform's JSON syntax a string argument is a template, exactly as a quoted string
 * is in HCL; the template sequences (`${…}`, `%{…}`) and their escapes (`$${`, `%%{`) are the same in
 * both. So a JSON string becomes an HCL quoted string by escaping only its literal parts (`"`, `\`,
 * control characters) and copying every template sequence as it is: inside `${…}` the text is an
 * expression, whose own quotes must stay unescaped (an IAM policy serialized to JSON with
 * references in it: `"{\"Resource\":\"${aws_x.y.arn}\"}"`; a function call with a string
 * argument: `${filebase64sha256("assets/…")}`). A string that is one interpolation and nothing else
 * is written as its bare expression, as `terraform fmt` rewrites it (HCL returns the value of
 * such a template unconverted, so the value is the same). Expressions inside are read by
 * `hcl-expression.ts`, which drops their comments and refuses what it cannot read; the files pass
 * `terraform fmt -check`.
 *
 * Where Terraform reads a JSON string literally (variable defaults and descriptions, backend
 * settings), `${` and `%{` are escaped instead, so HCL reads the same literal.
 *
 * @see https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings
 * @see https://github.com/hashicorp/hcl/blob/main/hclwrite/format.go
 * @packageDocumentation
 */
import { templateSequences } from "../core/terraform-json/template";
import { HandoffError } from "./errors";
import { expressionTokens, sequenceTokens } from "./hcl-expression";
import { BlockSchema } from "./provider-blocks";

/** A parsed JSON value. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A part of a template string: literal text, or a `${…}` / `%{…}` sequence with its delimiters. */
export type TemplatePart = { readonly kind: "literal"; readonly text: string } | { readonly kind: "sequence"; readonly text: string };

/**
 * Splits a Terraform template string into literal text and template sequences, where the shared
 * template scanner finds them (`templateSequences`: the one reader of Terraform templates that
 * checks, review and hand-off share). Escapes (`$${`, `%%{`) stay literal text, as they are.
 *
 * @throws HandoffError `ERR_HANDOFF_UNSUPPORTED` for an unterminated sequence
 */
export function splitTemplate(value: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  for (const sequence of templateSequences(value)) {
    if (!sequence.terminated) {
      throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `unterminated template sequence in ${JSON.stringify(value)}`);
    }
    if (sequence.start > at) parts.push({ kind: "literal", text: value.slice(at, sequence.start) });
    parts.push({ kind: "sequence", text: value.slice(sequence.start, sequence.end) });
    at = sequence.end;
  }
  if (at < value.length) parts.push({ kind: "literal", text: value.slice(at) });
  return parts;
}

/** Escapes literal text for an HCL quoted string. */
function escapeText(text: string): string {
  let out = "";
  for (const c of text) {
    const code = c.codePointAt(0) as number;
    if (c === "\\") out += "\\\\";
    else if (c === '"') out += '\\"';
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += c;
  }
  return out;
}

/** A JSON template string as an HCL quoted template: literal parts escaped, sequences as they are. */
export function quoteTemplate(value: string): string {
  const parts = splitTemplate(value);
  for (const part of parts) {
    if (part.kind === "sequence" && /[\r\n]/.test(part.text)) {
      throw new HandoffError(
        "ERR_HANDOFF_UNSUPPORTED",
        `a template sequence spans lines in ${JSON.stringify(value)}; write it on one line in the stack`,
      );
    }
  }
  return `"${parts.map((part) => (part.kind === "literal" ? escapeText(part.text) : sequenceTokens(part.text))).join("")}"`;
}

/** A string Terraform reads literally, as an HCL quoted string that reads the same (`${` → `$${`). */
export function quoteLiteral(value: string): string {
  return `"${escapeText(value).replace(/([$%])\{/g, "$1$1{")}"`;
}

/** The expression of a string that is exactly one `${…}` interpolation, or `undefined`. */
export function interpolationOnly(value: string): string | undefined {
  const parts = splitTemplate(value);
  if (parts.length !== 1 || parts[0].kind !== "sequence") return undefined;
  const text = parts[0].text;
  if (!text.startsWith("${") || text.startsWith("${~") || text.endsWith("~}")) return undefined;
  const expression = text.slice(2, -1).trim();
  return expression === "" || /[\r\n]/.test(expression) ? undefined : expressionTokens(expression);
}

/** A string in an expression position: its bare expression when it is one interpolation, else a quoted template. */
export function stringExpression(value: string): string {
  return interpolationOnly(value) ?? quoteTemplate(value);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const KEYWORDS = new Set(["for", "in", "if", "null", "true", "false"]);

/** An object key: bare when HCL reads it as that literal name, else a quoted template. */
export function objectKey(key: string): string {
  return IDENTIFIER.test(key) && !KEYWORDS.has(key) && !key.includes("--") ? key : quoteTemplate(key);
}

/**
 * A name written bare (a block type, an argument's name): an HCL identifier, or refused.
 *
 * @throws HandoffError `ERR_HANDOFF_UNSUPPORTED` for any other text
 */
function hclName(name: string): string {
  if (!IDENTIFIER.test(name)) throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `${JSON.stringify(name)} is not an HCL name`);
  return name;
}

/** How strings are read where a value is written. */
export type StringMode = "template" | "literal";

/**
 * Writes an HCL document: blocks with labels, attributes and nested values, one per line and
 * unindented; {@link HclWriter.render} lays it out with hclwrite (`@cdktf/hcl-tools`' `format`, what
 * `terraform fmt` runs): indentation and the alignment of `=`. What is written (the tokens, the
 * blank lines between blocks, an empty block as `name {}`) is this writer's.
 */
export class HclWriter {
  private readonly lines: string[] = [];
  /** Whether the last line opened a block, so that closing it at once writes `name {}`. */
  private opened = false;

  private push(line: string): this {
    this.lines.push(line);
    this.opened = false;
    return this;
  }

  /**
   * Writes `# <text>`, on one line: a line break or other control character in the text is written
   * as its `\uXXXX` code, so nothing in it can end the comment and be read as HCL.
   */
  comment(text: string): this {
    let line = "";
    for (const c of text) {
      const code = c.codePointAt(0) as number;
      line +=
        code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029
          ? `\\u${code.toString(16).padStart(4, "0")}`
          : c;
    }
    return this.push(`# ${line}`);
  }

  /** Writes an empty line (never two in a row, never at the start of a body). */
  blank(): this {
    const last = this.lines[this.lines.length - 1];
    return last === undefined || last === "" || this.opened ? this : this.push("");
  }

  /** Opens `type "label" … {`. */
  open(type: string, labels: readonly string[] = []): this {
    this.push(`${[hclName(type), ...labels.map((label) => quoteLiteral(label))].join(" ")} {`);
    this.opened = true;
    return this;
  }

  /** Closes the innermost block; an empty block is written `name {}`. */
  close(): this {
    if (this.opened) {
      this.lines[this.lines.length - 1] += "}";
      this.opened = false;
      return this;
    }
    return this.push("}");
  }

  /** Writes `name = <expression text>` (already rendered, possibly several lines). */
  raw(name: string, rendered: readonly string[]): this {
    this.push(`${hclName(name)} = ${rendered[0]}`);
    for (const line of rendered.slice(1)) this.push(line);
    return this;
  }

  /** Writes `name = <value>`. */
  attribute(name: string, value: JsonValue, mode: StringMode = "template"): this {
    return this.raw(name, renderValue(value, mode));
  }

  /** The document as written, before its layout: one line each, unindented, ending in one newline. */
  toString(): string {
    const lines = [...this.lines];
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
  }

  /** The document laid out as `terraform fmt` lays it out (hclwrite's format). */
  render(): Promise<string> {
    return formatHcl(this.toString());
  }
}

/**
 * HCL text laid out by hclwrite, through `@cdktf/hcl-tools` (a Go build of hclwrite as WebAssembly):
 * indentation by nesting, `=` aligned across consecutive single-line arguments, expressions spaced.
 * It only moves whitespace between tokens, so the text it is given must already be the right
 * tokens: strings escaped, template sequences kept or escaped (the functions above). Loaded on
 * first use: the WebAssembly costs a few hundred milliseconds, which no other tool pays.
 *
 * @see https://github.com/hashicorp/hcl/blob/main/hclwrite/format.go
 */
export async function formatHcl(text: string): Promise<string> {
  if (text === "") return "";
  const { format } = await import("@cdktf/hcl-tools");
  return format(text);
}

/** A JSON value as an HCL expression, one string per line, unindented ({@link formatHcl} indents). */
export function renderValue(value: JsonValue, mode: StringMode = "template"): string[] {
  if (value === null) return ["null"];
  if (typeof value === "boolean") return [value ? "true" : "false"];
  if (typeof value === "number") return [JSON.stringify(value)];
  if (typeof value === "string") return [mode === "literal" ? quoteLiteral(value) : stringExpression(value)];
  if (Array.isArray(value)) {
    const items = value as readonly JsonValue[];
    if (items.length === 0) return ["[]"];
    const rendered = items.map((item) => renderValue(item, mode));
    if (rendered.every((lines) => lines.length === 1) && items.every((item) => item === null || typeof item !== "object")) {
      return [`[${rendered.map((lines) => lines[0]).join(", ")}]`];
    }
    const lines = ["["];
    for (const item of rendered) {
      item.forEach((line, index) => lines.push(`${line}${index === item.length - 1 ? "," : ""}`));
    }
    lines.push("]");
    return lines;
  }
  const object = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(object);
  if (keys.length === 0) return ["{}"];
  const lines = ["{"];
  for (const key of keys) {
    const [first, ...rest] = renderValue(object[key], mode);
    lines.push(`${objectKey(key)} = ${first}`, ...rest);
  }
  lines.push("}");
  return lines;
}

/** Meta-arguments whose strings are references or keywords, not templates. */
const REFERENCE_LISTS = new Set(["depends_on"]);

/**
 * Writes the arguments of a resource, data source or provider body: attributes first, then nested
 * blocks as the provider bindings declare them (`provider-blocks.ts`), then `lifecycle`, then
 * `depends_on`.
 *
 * @param where names the body in error messages, e.g. `resource aws_lambda_function.fn`
 * @throws HandoffError `ERR_HANDOFF_UNSUPPORTED` for a `dynamic` block, or an argument the bindings do not describe
 */
export function writeBody(writer: HclWriter, body: { readonly [key: string]: JsonValue }, schema: BlockSchema, where: string): void {
  const keys = Object.keys(body).filter((key) => key !== "//");
  if (keys.includes("dynamic")) {
    throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `${where}: "dynamic" blocks are not translated; write the blocks out in the stack`);
  }
  for (const key of keys) {
    if (schema[key] !== undefined && "unknown" in schema[key]) {
      throw new HandoffError(
        "ERR_HANDOFF_UNSUPPORTED",
        `${where}.${key}: the provider bindings do not say whether it is a block or an attribute (they type it "any"); write it as a JSON string argument in the stack where the provider has one (e.g. rule_json), or leave it out`,
      );
    }
  }
  const isBlock = (key: string) => schema[key] !== undefined || key === "lifecycle";
  const first = ["count", "for_each", "provider"].filter((key) => keys.includes(key));
  for (const key of first) {
    const value = body[key];
    if (key === "provider" && typeof value === "string") writer.raw(key, [interpolationOnly(value) ?? expressionTokens(value)]);
    else writer.attribute(key, value);
  }
  for (const key of keys) {
    if (first.includes(key) || isBlock(key) || REFERENCE_LISTS.has(key)) continue;
    writer.attribute(key, body[key]);
  }
  for (const key of keys) {
    if (!isBlock(key) || key === "lifecycle") continue;
    const entry = schema[key] as { readonly blocks: BlockSchema };
    const value = body[key];
    const blocks = Array.isArray(value) ? (value as JsonValue[]) : [value];
    for (const block of blocks) {
      if (block === null || typeof block !== "object" || Array.isArray(block)) {
        throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `${where}: block ${key} is ${JSON.stringify(block)}, not an object`);
      }
      writer.blank().open(key);
      writeBody(writer, block as { [k: string]: JsonValue }, entry.blocks, `${where}.${key}`);
      writer.close();
    }
  }
  if (keys.includes("lifecycle")) writeLifecycle(writer, body.lifecycle, where);
  for (const key of keys.filter((k) => REFERENCE_LISTS.has(k))) {
    const references = body[key];
    if (!Array.isArray(references) || !references.every((r) => typeof r === "string")) {
      throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `${where}: ${key} is ${JSON.stringify(references)}, not a list of references`);
    }
    writer.blank().raw(key, bareList(references as string[]));
  }
}

function writeLifecycle(writer: HclWriter, value: JsonValue, where: string): void {
  const blocks = Array.isArray(value) ? (value as JsonValue[]) : [value];
  for (const block of blocks) {
    if (block === null || typeof block !== "object" || Array.isArray(block)) {
      throw new HandoffError("ERR_HANDOFF_UNSUPPORTED", `${where}: lifecycle is ${JSON.stringify(block)}, not an object`);
    }
    writer.blank().open("lifecycle");
    for (const [key, setting] of Object.entries(block as { [k: string]: JsonValue })) {
      if ((key === "ignore_changes" || key === "replace_triggered_by") && Array.isArray(setting)) {
        writer.raw(key, bareList(setting as string[]));
      } else if (key === "ignore_changes" && setting === "all") {
        writer.raw(key, ["all"]);
      } else if (key === "precondition" || key === "postcondition") {
        writeConditions(writer, key, setting, where);
      } else {
        writer.attribute(key, setting);
      }
    }
    writer.close();
  }
}

/** `precondition { condition = <expression>; error_message = "<text>" }` blocks, one per entry. */
function writeConditions(writer: HclWriter, key: string, value: JsonValue, where: string): void {
  for (const entry of Array.isArray(value) ? value : [value]) {
    const condition = entry !== null && typeof entry === "object" && !Array.isArray(entry) ? entry : undefined;
    if (condition === undefined || typeof condition.condition !== "string" || typeof condition.error_message !== "string") {
      throw new HandoffError(
        "ERR_HANDOFF_UNSUPPORTED",
        `${where}: lifecycle ${key} is ${JSON.stringify(entry)}, not a condition and an error_message`,
      );
    }
    writer
      .open(key)
      .raw("condition", [stringExpression(condition.condition)])
      .attribute("error_message", condition.error_message)
      .close();
  }
}

/** A list of references written bare: `[aws_x.y, aws_z.w]`, one per line when there are several. */
function bareList(references: readonly string[]): string[] {
  const items = references.map((reference) => interpolationOnly(reference) ?? expressionTokens(reference));
  if (items.length <= 1) return [`[${items.join(", ")}]`];
  return ["[", ...items.map((item) => `${item},`), "]"];
}
