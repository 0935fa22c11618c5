/**
 * The authorizer's environment variables are named in one place, `contracts/authorizer-environment.ts`:
 * the stack writes them only through its `encode`, the function, the review and the checks read them
 * only through its `decode`. This test scans the production code (everything but tests, test and
 * benchmark support, and docs) and fails on any other place that spells a variable's name: a string
 * that is the name or a path to it (`"BASIC_USERS"`, `` `input.ROUTE_SCOPES` ``), a property key
 * (`env.USER_POOL_ID`, `{ TOKEN_ISSUER: … }`), or a sentence (a reason's hint, a risk's text, a
 * rule's message: `` `raise ${V.maxTokenLengthBytes} only if …` `` takes the name from the contract,
 * so a rename changes it too). Only comments are words about a variable.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { AUTHORIZER_VARIABLES } from "../../contracts/authorizer-environment";
import { PROJECT_ROOT } from "../../testing/app";

/** The one file that may spell the names. */
const HOME = "contracts/authorizer-environment.ts";
/** Lambda's own variable (the runtime sets it): the AWS transport names it as the AWS SDK does. */
const PLATFORM_VARIABLES: readonly string[] = [AUTHORIZER_VARIABLES.region];
/** Not production code: tests, their support, benchmarks (which build raw environments on purpose), generated output. */
const SKIPPED = /^(node_modules|cdktf\.out|dist|coverage|\.scratch|\.git|__tests__|testing|bench|docs)(\/|$)/;
const SOURCE = /\.(ts|cjs|mjs|js)$/;

const NAMES = Object.values(AUTHORIZER_VARIABLES).filter((name) => !PLATFORM_VARIABLES.includes(name));

/** Every production source file, relative to the project. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    const rel = relative(PROJECT_ROOT, path);
    if (SKIPPED.test(rel) || entry.isSymbolicLink()) return [];
    if (entry.isDirectory()) return sourceFiles(path);
    return SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts") ? [rel] : [];
  });
}

/** Where `text` uses one of `names` in code: `<file>:<line>: <name> in <what>`. */
export function variableNameUses(file: string, text: string, names: readonly string[]): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const uses: string[] = [];
  const report = (node: ts.Node, name: string, what: string) =>
    uses.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${name} in ${what}`);
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      // A string without blanks is a name or a path to one; one with blanks is a sentence about it.
      const what = /\s/.test(node.text) ? "a sentence" : "a string";
      for (const name of names) if (new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`).test(node.text)) report(node, name, what);
    } else if (ts.isIdentifier(node) && names.includes(node.text) && isPropertyName(node)) {
      report(node, node.text, "a property key");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node) ||
    ts.isShorthandPropertyAssignment(parent) ||
    (ts.isBindingElement(parent) && (parent.propertyName === node || (parent.propertyName === undefined && parent.name === node))) ||
    ts.isEnumMember(parent)
  );
}

describe("the authorizer's environment variable names", () => {
  test("GIVEN the production code THEN only the environment contract spells a variable's name", () => {
    const files = sourceFiles(PROJECT_ROOT).filter((file) => file !== HOME);
    // Sanity: the scan reaches every side of the contract.
    expect(files).toEqual(
      expect.arrayContaining(["stacks/scopegate-stack.ts", "functions/authorizer/config.ts", "review/risks/lambda.ts"]),
    );
    const uses = files.flatMap((file) => variableNameUses(file, readFileSync(join(PROJECT_ROOT, file), "utf8"), NAMES));
    expect(uses).toEqual([]);
  });

  test("GIVEN the contract THEN it names every variable, and each name once", () => {
    const names = Object.values(AUTHORIZER_VARIABLES);
    expect(new Set(names).size).toBe(names.length);
    const uses = variableNameUses(HOME, readFileSync(join(PROJECT_ROOT, HOME), "utf8"), names);
    expect(uses.map((use) => use.replace(/^.*: (\w+) in .*$/, "$1")).sort()).toEqual([...names].sort());
  });

  describe("the scan", () => {
    test("fails on a name written as a string, a path, a template, a key, a property or a destructured key", () => {
      const text = [
        'const a = env["USER_POOL_ID"];',
        "const b = `input.ROUTE_SCOPES`;",
        "const c = `${prefix}.BASIC_USERS`;",
        "const d = { TOKEN_ISSUER: issuer };",
        "const e = variables.BASIC_AUTH_CLIENT_ID;",
        "const { APP_CLIENT_IDS } = env;",
        "interface F { MAX_TOKEN_LENGTH: string }",
        'const g = "raise MAX_TOKEN_LENGTH only if genuine tokens are that long";',
        "const h = `${count} entries in BASIC_USERS, at most ${limit}`;",
      ].join("\n");
      expect(variableNameUses("x.ts", text, NAMES)).toEqual([
        "x.ts:1: USER_POOL_ID in a string",
        "x.ts:2: ROUTE_SCOPES in a string",
        "x.ts:3: BASIC_USERS in a string",
        "x.ts:4: TOKEN_ISSUER in a property key",
        "x.ts:5: BASIC_AUTH_CLIENT_ID in a property key",
        "x.ts:6: APP_CLIENT_IDS in a property key",
        "x.ts:7: MAX_TOKEN_LENGTH in a property key",
        "x.ts:8: MAX_TOKEN_LENGTH in a sentence",
        "x.ts:9: BASIC_USERS in a sentence",
      ]);
    });

    test("passes comments, sentences that take the name from the contract, longer names and local constants", () => {
      const text = [
        "// USER_POOL_ID is read at cold start",
        "/** `BASIC_USERS`: the designated accounts. */",
        "const hint = `raise ${V.maxTokenLengthBytes} only if genuine tokens are that long`;",
        'const other = "MAX_TOKEN_LENGTHS is another name";',
        "const BASIC_USERS_VARIABLE = names.basicUsers;",
        "const THREAT_PROTECTION = 'off';",
        "const x = { threatProtection: THREAT_PROTECTION };",
      ].join("\n");
      expect(variableNameUses("y.ts", text, NAMES)).toEqual([]);
    });
  });
});
