/**
 * The authorizer's own errors speak in one code: the reason code (`reasons.ts`) of the answer they
 * end in, as `reason`. The generator's and the tools' `ERR_*` codes (`core/errors.ts`) are another
 * family, and a `code` is left to the errors of others (jose's `ERR_JWKS_*`, node's `ECONNREFUSED`),
 * which `reasonFromJoseError` and the logs' `errorDetail` read.
 *
 * Not held here: the transport's errors (`aws/errors.ts`), shaped like the AWS SDK's on purpose
 * (`name` is the AWS error type), and `Error("Unauthorized")`, the one message API Gateway turns into a 401.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { AuthorizerConfigurationError } from "../../../functions/authorizer/config";
import { AuthorizerDependencyError } from "../../../functions/authorizer/handler";
import { JwksUnavailableError, REASONS, reasonFromJoseError, reasonKind } from "../../../functions/authorizer/reasons";
import { PROJECT_ROOT } from "../../../testing/app";

const AUTHORIZER = join(PROJECT_ROOT, "functions", "authorizer");

/** Each error class a source declares (`class X extends Error`), with the properties it declares. */
function errorClasses(fileName: string, text: string): { name: string; properties: string[] }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: { name: string; properties: string[] }[] = [];
  source.forEachChild((node) => {
    if (!ts.isClassDeclaration(node) || node.name === undefined) return;
    const extendsError = node.heritageClauses?.some((clause) =>
      clause.types.some((type) => /Error$/.test(type.expression.getText(source))),
    );
    if (!extendsError) return;
    const properties = node.members.flatMap((member) =>
      ts.isPropertyDeclaration(member) && member.name !== undefined ? [member.name.getText(source)] : [],
    );
    found.push({ name: `${fileName}: ${node.name.text}`, properties });
  });
  return found;
}

describe("the authorizer's errors", () => {
  test("each error class of the authorizer carries its reason code as `reason`, and no `code` of its own", () => {
    // GIVEN every error class declared in functions/authorizer/ (its AWS transport aside)
    const classes = readdirSync(AUTHORIZER)
      .filter((name) => name.endsWith(".ts"))
      .flatMap((name) => errorClasses(name, readFileSync(join(AUTHORIZER, name), "utf8")));
    expect(classes.map((c) => c.name).sort()).toEqual([
      "config.ts: AuthorizerConfigurationError",
      "handler.ts: AuthorizerDependencyError",
      "reasons.ts: JwksUnavailableError",
    ]);
    // THEN each declares a reason and no code
    expect(classes.filter((c) => !c.properties.includes("reason") || c.properties.includes("code"))).toEqual([]);
  });

  test("each one's reason is the dependency reason it ends in", () => {
    const errors = [
      [new JwksUnavailableError(new Error("fetch failed")), "JWKS_UNAVAILABLE"],
      [
        new AuthorizerConfigurationError([{ variable: "USER_POOL_ID", allowed: "a pool id", received: undefined }]),
        "CONFIGURATION_INVALID",
      ],
      [new AuthorizerDependencyError("GRANTS_UNAVAILABLE"), "GRANTS_UNAVAILABLE"],
    ] as const;
    for (const [error, reason] of errors) {
      expect(error.reason).toBe(reason);
      expect(Object.keys(REASONS)).toContain(error.reason);
      expect(reasonKind(error.reason)).toBe("dependency");
      expect(error).not.toHaveProperty("code");
    }
    // and the verifier's mapping reads it
    expect(reasonFromJoseError(new JwksUnavailableError(new Error("fetch failed")))).toBe("JWKS_UNAVAILABLE");
  });

  test("the scan finds a class with a code of its own and one without a reason", () => {
    const text = [
      'class A extends Error { readonly code = "ERR_A"; }',
      "class B extends TypeError { readonly detail = 1; }",
      'class C extends Error { readonly reason = "INTERNAL_ERROR"; }',
      "class D { readonly code = 1; }",
    ].join("\n");
    expect(errorClasses("x.ts", text)).toEqual([
      { name: "x.ts: A", properties: ["code"] },
      { name: "x.ts: B", properties: ["detail"] },
      { name: "x.ts: C", properties: ["reason"] },
    ]);
  });
});
