/**
 * Configuration text into Cedar text, in one place: every string of the configuration that the twin
 * writes into `policies.cedar` (the stack name, route keys, scopes, client names, grants) passes
 * {@link cedarString}, so it stays a value and never becomes policy syntax.
 *
 * @packageDocumentation
 */

/**
 * A Cedar string literal holding `value` exactly: `"` and `\` escaped, line breaks, tabs, NUL and
 * every other control or separator character written as an escape (`\n`, `\r`, `\t`, `\0`,
 * `\u{…}`), anything else as it is (the file is UTF-8).
 *
 * @param value - any text
 * @returns the literal, quotes included
 * @throws Error on a lone UTF-16 surrogate (it has no UTF-8 form; the configuration refuses it first)
 * @see https://docs.cedarpolicy.com/policies/syntax-datatypes.html#datatype-string
 */
export function cedarString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) throw new Error(`text ${JSON.stringify(value)} holds a lone surrogate: it has no Cedar form`);
    if (char === '"') out += '\\"';
    else if (char === "\\") out += "\\\\";
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (char === "\0") out += "\\0";
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) out += `\\u{${code.toString(16)}}`;
    else out += char;
  }
  return `${out}"`;
}
