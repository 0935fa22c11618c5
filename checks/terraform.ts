/**
 * Reading a synthesized `cdk.tf.json` as written: values may be literals, Terraform
 * interpolations (`${…}`), blocks written as an object or as a list of objects, or missing. Every
 * reader answers with the value, `undefined` when the attribute is absent, or {@link UNKNOWN} when
 * only Terraform can tell (an interpolation, a `dynamic` block, or a shape a rule cannot read).
 * Rules treat unknown values as present and never report on them.
 */
import { isJsonObject, type JsonObject } from "../core/json";

/** A value only Terraform knows (at plan or apply time). */
export const UNKNOWN: unique symbol = Symbol("unknown");

/** The type of {@link UNKNOWN}. */
export type Unknown = typeof UNKNOWN;

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

/** A string attribute; numbers and booleans as Terraform converts them. */
export function readString(value: unknown): string | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return isExpression(value) ? UNKNOWN : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return UNKNOWN;
}

/** A number attribute; numeric strings as Terraform converts them. */
export function readNumber(value: unknown): number | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? value : UNKNOWN;
  if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return UNKNOWN;
}

/** A boolean attribute; `"true"` and `"false"` as Terraform converts them. */
export function readBoolean(value: unknown): boolean | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  return UNKNOWN;
}

/** A list of strings; each item may itself be unknown. */
export function readStrings(value: unknown): readonly (string | Unknown)[] | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return UNKNOWN;
  return value.map((item) => readString(item) ?? UNKNOWN);
}

/** A single nested block: cdktf writes most as an object, some as a one-item list. */
export function readBlock(value: unknown): JsonObject | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    return isJsonObject(value[0]) ? value[0] : UNKNOWN;
  }
  return isJsonObject(value) ? value : UNKNOWN;
}

/** A repeated nested block, as a list of objects. */
export function readBlocks(value: unknown): readonly JsonObject[] | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.every(isJsonObject) ? list : UNKNOWN;
}

/** A reference `${<type>.<name>.<attribute>}` (or `${data.<type>.<name>.<attribute>}`), parsed. */
export interface Reference {
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly attribute: string;
}

const REFERENCE = /^\$\{(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;

/** The reference a value consists of, or `undefined` when it is anything else. */
export function parseReference(value: unknown): Reference | undefined {
  if (typeof value !== "string") return undefined;
  const match = REFERENCE.exec(value);
  if (match === null) return undefined;
  return { mode: match[1] ? "data" : "managed", type: match[2], name: match[3], attribute: match[4] };
}

/**
 * One resource (or data source) of a synthesized stack; or, for a finding about another top-level
 * block (an output, a local value, a provider, a module call, a variable, an `import`), that block
 * (`mode: "block"`, never among {@link StackTemplate.all}).
 */
export interface TfResource {
  readonly mode: "managed" | "data" | "block";
  /** Terraform type, e.g. `aws_api_gateway_method`. */
  readonly type: string;
  /** Logical name in the JSON, e.g. `rest-api_route-GETreports_method_1FED24DD`. */
  readonly name: string;
  /** Terraform address, e.g. `aws_api_gateway_method.rest-api_route-GETreports_method_1FED24DD`. */
  readonly address: string;
  /** Construct path from `"//".metadata.path`, or the address when the JSON has none. */
  readonly path: string;
  /**
   * The resource's arguments as written. An argument generated by a `dynamic` block reads as
   * an interpolation (unknown).
   */
  readonly body: JsonObject;
}

/** The synthesized Terraform JSON of one stack, indexed for rules. */
export class StackTemplate {
  /** Every managed resource and data source, in document order. */
  readonly all: readonly TfResource[];
  /** The whole `cdk.tf.json` as written (an empty object when it is not an object). */
  readonly document: JsonObject;
  private readonly byAddress: ReadonlyMap<string, TfResource>;

  /**
   * @param stack the stack's name (the first segment of every construct path)
   * @param json the parsed `cdk.tf.json`; anything that is not an object reads as an empty stack
   * @param otherTerraformFiles other files of the stack's folder that Terraform reads with
   *   `cdk.tf.json` (`*.tf`, `*.tf.json`, …), by name @default none
   */
  constructor(
    readonly stack: string,
    json: unknown,
    readonly otherTerraformFiles: readonly string[] = [],
  ) {
    const root = isJsonObject(json) ? json : {};
    this.document = root;
    this.all = [...entries(root.resource, "managed"), ...entries(root.data, "data")];
    this.byAddress = new Map(this.all.map((resource) => [resource.address, resource]));
  }

  /** Managed resources of one type. */
  resources(type: string): readonly TfResource[] {
    return this.all.filter((resource) => resource.mode === "managed" && resource.type === type);
  }

  /** Data sources of one type. */
  dataSources(type: string): readonly TfResource[] {
    return this.all.filter((resource) => resource.mode === "data" && resource.type === type);
  }

  /** The resource a reference points at, when it is in this stack. */
  resolve(reference: Reference): TfResource | undefined {
    const prefix = reference.mode === "data" ? "data." : "";
    return this.byAddress.get(`${prefix}${reference.type}.${reference.name}`);
  }

  /** The expression other resources use to refer to `resource`'s `attribute`. */
  static expression(resource: TfResource, attribute: string): string {
    return `\${${resource.address}.${attribute}}`;
  }
}

function entries(section: unknown, mode: "managed" | "data"): TfResource[] {
  if (!isJsonObject(section)) return [];
  const result: TfResource[] = [];
  for (const [type, byName] of Object.entries(section)) {
    if (!isJsonObject(byName)) continue;
    for (const [name, raw] of Object.entries(byName)) {
      if (!isJsonObject(raw)) continue;
      const address = `${mode === "data" ? "data." : ""}${type}.${name}`;
      const metadata = isJsonObject(raw["//"]) && isJsonObject(raw["//"].metadata) ? raw["//"].metadata : {};
      const path = typeof metadata.path === "string" && metadata.path !== "" ? metadata.path : address;
      result.push({ mode, type, name, address, path, body: withDynamicBlocks(raw) });
    }
  }
  return result;
}

/** Arguments generated by `dynamic "<name>"` blocks read as unknown, never as absent. */
function withDynamicBlocks(raw: JsonObject): JsonObject {
  if (!isJsonObject(raw.dynamic)) return raw;
  const body: JsonObject = { ...raw };
  for (const key of Object.keys(raw.dynamic)) {
    if (body[key] === undefined) body[key] = "${dynamic}";
  }
  return body;
}

/** Renders a value for a message: JSON, shortened. */
export function show(value: unknown): string {
  if (value === UNKNOWN) return "(unknown until apply)";
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
