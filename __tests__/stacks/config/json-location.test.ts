import fc from "fast-check";
import { locateJsonSyntaxError } from "../../../stacks/config/json-location";
import { exampleDocument } from "../../../testing/config";

/** What JSON.parse throws for `text` (which must be invalid). */
function parseError(text: string): Error {
  try {
    JSON.parse(text);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be invalid JSON`);
}

describe("locateJsonSyntaxError", () => {
  test("names the line and column of the parser's position, and its reason without the position", () => {
    const text = '{\n  "a": 1\n  "b": 2\n}';
    expect(locateJsonSyntaxError(text, parseError(text))).toEqual({
      line: 3,
      column: 3,
      reason: "Expected ',' or '}' after property value",
    });
  });

  test("finds the position itself where the parser names none", () => {
    const text = "[1,\n  2,\n  ]";
    expect(locateJsonSyntaxError(text, parseError(text))).toEqual({ line: 3, column: 3, reason: "Unexpected token ']'" });
    expect(locateJsonSyntaxError("", parseError(""))).toEqual({ line: 1, column: 1, reason: "Unexpected end of JSON input" });
  });

  test("its own scan agrees with every position JSON.parse names, for one-character edits of a configuration", () => {
    const text = JSON.stringify(exampleDocument(), null, 2);
    const edits = fc.record({
      at: fc.nat({ max: text.length - 1 }),
      remove: fc.boolean(),
      insert: fc.constantFrom(",", "}", "]", "{", '"', ":", "x", "0", "-", "\\", "\n", " "),
    });
    fc.assert(
      fc.property(edits, ({ at, remove, insert }) => {
        const edited = text.slice(0, at) + insert + text.slice(remove ? at + 1 : at);
        let error: Error;
        try {
          JSON.parse(edited);
          return; // still valid JSON: nothing to locate
        } catch (thrown) {
          error = thrown as Error;
        }
        const stated = / at position (\d+)/.exec(error.message);
        if (stated === null) return;
        // Without the parser's position (an Error that names none), the scan must find the same place.
        const scanned = locateJsonSyntaxError(edited, new Error("no position"));
        const expected = locateJsonSyntaxError(edited, error);
        expect({ line: scanned.line, column: scanned.column }).toEqual({ line: expected.line, column: expected.column });
      }),
      { numRuns: 500, seed: 13 },
    );
  });

  test("GIVEN a text cut short under nesting deeper than the call stack allows THEN it is located at its end, not at column NaN", () => {
    for (const text of ["[".repeat(200_000), '{"a":'.repeat(100_000), `${"[".repeat(100_000)}1,]`]) {
      const located = locateJsonSyntaxError(text, new Error("no position"));
      const end = text.endsWith(",]") ? text.length : text.length + 1;
      expect(located.line).toBe(1);
      expect(located.column).toBe(end);
    }
  });
});
