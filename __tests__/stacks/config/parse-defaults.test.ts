/**
 * The section parsers (`stacks/config/parse/*.ts`) apply no default of their own: every value they
 * use for a field left out is read from `CONFIGURATION_DEFAULTS` (`core/defaults.ts`), so the
 * defaults object, the model's `@default`s and the table in docs/configuration.md (each held to the
 * object by its own test) cannot miss one. Read with the compiler's own parser.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { PROJECT_ROOT } from "../../../testing/app";

const PARSE = join(PROJECT_ROOT, "stacks", "config", "parse");

/**
 * A value written in the code: a string, number, boolean, `null`, or a list or object of them.
 * The empty object `{}` is not one: a parser writes it for a section or item left out (or refused),
 * so that each of its fields takes its own default; it is the value of no field.
 */
function isLiteral(node: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return isLiteral(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node)) return true;
  if (ts.isPrefixUnaryExpression(node)) return ts.isNumericLiteral(node.operand);
  if ([ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword].includes(node.kind)) return true;
  if (ts.isArrayLiteralExpression(node)) return node.elements.every((element) => isLiteral(element));
  if (ts.isObjectLiteralExpression(node)) {
    return (
      node.properties.length > 0 &&
      node.properties.every((property) => ts.isPropertyAssignment(property) && isLiteral(property.initializer))
    );
  }
  return false;
}

/** `x === undefined` (or `x == null`, `x === null || x === undefined`): a test of whether a field was left out (`match === null` is not). */
function testsAbsence(node: ts.Expression, negated: boolean): boolean {
  if (ts.isParenthesizedExpression(node)) return testsAbsence(node.expression, negated);
  if (!ts.isBinaryExpression(node)) return false;
  const op = node.operatorToken.kind;
  if (op === ts.SyntaxKind.BarBarToken && !negated) return testsAbsence(node.left, false) || testsAbsence(node.right, false);
  const equal = [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(op);
  const unequal = [ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(op);
  const loose = [ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(op);
  const absent = (side: ts.Expression) => side.getText() === "undefined" || (loose && side.kind === ts.SyntaxKind.NullKeyword);
  return (negated ? unequal : equal) && (absent(node.left) || absent(node.right));
}

/** Each value a source applies to a field left out that it writes itself, as `line: code`. */
export function inlineDefaults(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const note = (node: ts.Node) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push(`${fileName}:${line}: ${node.getText(source).replace(/\s+/g, " ")}`);
  };
  const visit = (node: ts.Node): void => {
    // value ?? "fallback"
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken && isLiteral(node.right)) {
      note(node);
    }
    // r.strings(o, "scopes", path, { default: [] })
    if (ts.isPropertyAssignment(node) && node.name.getText(source) === "default" && isLiteral(node.initializer)) note(node);
    // function read(..., existingPool = false)
    if (ts.isParameter(node) && node.initializer !== undefined && isLiteral(node.initializer)) note(node);
    // o.existing === undefined ? false : r.boolean(…)
    if (ts.isConditionalExpression(node)) {
      if (testsAbsence(node.condition, false) && isLiteral(node.whenTrue)) note(node);
      if (testsAbsence(node.condition, true) && isLiteral(node.whenFalse)) note(node);
    }
    // if (value === undefined) return { grants: [] };
    if (ts.isIfStatement(node) && testsAbsence(node.expression, false)) {
      const then = ts.isBlock(node.thenStatement) ? node.thenStatement.statements[0] : node.thenStatement;
      if (then !== undefined && ts.isReturnStatement(then) && then.expression !== undefined && containsLiteral(then.expression)) {
        note(node);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** A literal, or an object literal one of whose properties is one (`{ grants: [] }`, `{ kmsKey: { type: "x" } }`). */
function containsLiteral(node: ts.Expression): boolean {
  if (isLiteral(node)) return true;
  return (
    ts.isObjectLiteralExpression(node) &&
    node.properties.some((property) => ts.isPropertyAssignment(property) && containsLiteral(property.initializer))
  );
}

describe("the section parsers", () => {
  test("read every default they apply from CONFIGURATION_DEFAULTS, writing none inline", () => {
    // GIVEN every section parser
    const files = readdirSync(PARSE).filter((name) => name.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    // WHEN each is searched for a default written at the parse site
    const inline = files.flatMap((name) => inlineDefaults(`stacks/config/parse/${name}`, readFileSync(join(PARSE, name), "utf8")));
    // THEN there is none
    expect(inline).toEqual([]);
  });

  test("the search finds each way of writing a default inline", () => {
    const found = (code: string) => inlineDefaults("x.ts", code).length;
    expect(found(`const a = o.scopes ?? [];`)).toBe(1);
    expect(found(`const a = o.description ?? "";`)).toBe(1);
    expect(found(`const a = o.limit ?? -1;`)).toBe(1);
    expect(found(`const a = r.strings(o, "scopes", path, { default: [] });`)).toBe(1);
    expect(found(`const a = r.boolean(o, "on", path, { default: false, min: 1 });`)).toBe(1);
    expect(found(`function f(r: Reader, existing = false) {}`)).toBe(1);
    expect(found(`const a = o.existing === undefined ? false : r.boolean(o, "existing", path);`)).toBe(1);
    expect(found(`const a = o.existing !== undefined ? r.boolean(o, "existing", path) : false;`)).toBe(1);
    expect(found(`function f() { if (value === undefined) return { grants: [] }; }`)).toBe(1);
    expect(found(`function f() { if (value === undefined) { return { kmsKey: { type: "aws-managed" } }; } }`)).toBe(1);
    // and leaves alone what reads the defaults object, follows from another field, or is no field's value
    expect(found(`const a = r.strings(o, "scopes", path, { default: DEFAULTS.scopes });`)).toBe(0);
    expect(found(`const a = r.string(o, "name", path, { default: identifier });`)).toBe(0);
    expect(found(`const o = r.object(value, path, ["a"]) ?? {};`)).toBe(0);
    expect(found(`const o = value === undefined ? {} : r.object(value, path, ["a"]);`)).toBe(0);
    expect(found(`function f() { if (value === undefined) return { kmsKey: DEFAULT_KEY }; }`)).toBe(0);
    expect(found(`const a = kind === "legacy" ? [] : list;`)).toBe(0);
    expect(found(`function f() { if (match === null) return { arn, id: "" }; }`)).toBe(0);
    expect(found(`const a = o.limit == null ? 3 : o.limit;`)).toBe(1);
  });
});
