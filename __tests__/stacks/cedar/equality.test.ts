/**
 * The Cedar twin is the matrix: every caller of the matrix, on every route, asked of the twin in the
 * request shape docs/cedar.md fixes, gets Allow exactly where the matrix says 200. Over the example,
 * the matrix tests' fixed configurations and configurations generated with a fixed seed
 * (testing/access-configs.ts), more than 5,000 questions; one differing cell fails, naming it.
 */
import { cedarAuthorizer } from "../../../stacks/cedar/cedar-wasm";
import { cedarRequest, cedarTwinFiles, renderCedarTwin, type CedarCaller } from "../../../stacks/cedar/render";
import { computeAccessMatrix } from "../../../matrix/compute";
import { expandCell } from "../../../matrix/cells";
import { type MatrixCaller, type MatrixCell } from "../../../matrix/model";
import type { ScopegateConfig } from "../../../stacks/config/model";
import { generatedAccessConfigs } from "../../../testing/access-configs";
import { emailConfig, exampleConfig, variedConfig } from "../../matrix/configs";

/** A user no configuration has: ID tokens and Basic without a legacy client are asked for it too. */
const STRANGER = "someone-else";

/**
 * The questions that stand for one caller of the matrix: itself, or, for a row that stands for any
 * user (an ID token, Basic without a legacy client), every configured user and a stranger.
 */
function cedarCallers(config: ScopegateConfig, caller: MatrixCaller): CedarCaller[] {
  const anyone = [...config.users.map((user) => user.username), STRANGER];
  const { credential } = caller;
  switch (caller.kind) {
    case "browser-user":
      return [
        {
          kind: "access-token",
          username: caller.username!,
          client: caller.client!,
          scopes: credential.kind === "access-token" ? credential.scopes : [],
        },
      ];
    case "id-token":
      return anyone.map((username) => ({ kind: "id-token", username, client: caller.client! }));
    case "machine":
      return [{ kind: "machine", client: caller.client!, scopes: credential.kind === "access-token" ? credential.scopes : [] }];
    case "basic-user":
      return [{ kind: "basic", username: caller.username!, client: caller.client! }];
    case "basic-disabled":
      // No legacy client, so no client name: Basic carries none the twin could know.
      return anyone.map((username) => ({ kind: "basic", username, client: "" }));
  }
}

interface Question {
  readonly config: ScopegateConfig;
  readonly caller: MatrixCaller;
  readonly cell: MatrixCell;
  readonly asked: CedarCaller;
}

function questionsOf(config: ScopegateConfig): Question[] {
  const matrix = computeAccessMatrix(config);
  return matrix.callers.flatMap((caller) =>
    matrix.routes.flatMap((route) => {
      const cell = expandCell(matrix, caller.id, route.key)!;
      return cedarCallers(config, caller).map((asked) => ({ config, caller, cell, asked }));
    }),
  );
}

/** Asks the twin every question of the configurations; returns the count and the differing cells. */
function compare(configs: readonly ScopegateConfig[]): { asked: number; allowed: number; differing: string[]; questions: Question[] } {
  const differing: string[] = [];
  const questions: Question[] = [];
  let allowed = 0;
  for (const config of configs) {
    const ask = cedarAuthorizer(cedarTwinFiles(renderCedarTwin(config)));
    for (const question of questionsOf(config)) {
      questions.push(question);
      const answer = ask(cedarRequest(config.name, question.cell.route, question.asked));
      if (answer) allowed++;
      if (answer !== question.cell.allowed) {
        differing.push(
          `${config.name}: ${question.caller.id} → ${question.cell.route}: the matrix says ${question.cell.allowed ? "200" : `${question.cell.httpStatus} ${question.cell.reason}`}, ` +
            `the twin ${answer ? "Allow" : "Deny"} for ${JSON.stringify(question.asked)}`,
        );
      }
    }
  }
  return { asked: questions.length, allowed, differing, questions };
}

describe("the Cedar twin answers every cell as the matrix does", () => {
  test("the example and the fixed configurations", () => {
    const result = compare([exampleConfig(), variedConfig(), emailConfig()]);
    expect(result.differing).toEqual([]);
    expect(result.asked).toBeGreaterThan(100);
    expect(result.allowed).toBeGreaterThan(10);
  });

  test("configurations generated with a fixed seed: more than 5,000 questions over every kind of decision", () => {
    const configs = generatedAccessConfigs(400);
    const result = compare(configs);
    expect(result.differing.slice(0, 20)).toEqual([]);
    // Every cell of the matrices (caller × route), some asked for several users.
    expect(new Set(result.questions.map((q) => `${q.config.name} ${q.caller.id} ${q.cell.route}`)).size).toBeGreaterThanOrEqual(5_000);
    expect(result.asked).toBeGreaterThanOrEqual(5_000);
    // What the questions covered: each is a kind of decision the twin must get right.
    const covered = (predicate: (question: Question) => boolean) => result.questions.filter(predicate).length;
    const route = (question: Question) => question.config.api.routes.find((r) => `${r.method} ${r.path}` === question.cell.route)!;
    const coverage = {
      "allowed on a literal path": covered((q) => q.cell.allowed && !route(q).path.includes("{")),
      "allowed on a parameter path": covered((q) => q.cell.allowed && /\{[a-z]+\}/.test(route(q).path)),
      "allowed on {proxy+}": covered((q) => q.cell.allowed && route(q).path.endsWith("{proxy+}")),
      "allowed by a * grant": covered((q) => q.cell.allowed && q.cell.grantUsed?.startsWith("* ") === true),
      "allowed on a lambda route without scopes": covered(
        (q) => q.cell.allowed && route(q).guard === "lambda" && route(q).scopes.length === 0,
      ),
      "allowed on the cognito guard without a grant": covered(
        (q) => q.cell.reason === "NATIVE_SCOPES_ONLY" && q.cell.grantUsed === undefined,
      ),
      "a designated Basic account allowed": covered((q) => q.caller.kind === "basic-user" && q.cell.allowed),
      "a designated Basic account without a grant": covered((q) => q.caller.kind === "basic-user" && q.cell.reason === "GRANT_MISSING"),
      "a Basic account not designated": covered((q) => q.cell.reason === "BASIC_USER_NOT_DESIGNATED"),
      "designated in another case": covered(
        (q) =>
          q.caller.kind === "basic-user" &&
          q.cell.allowed &&
          q.config.appClients.some(
            (c) => c.basicUsers.includes(q.caller.username!.toUpperCase()) && q.caller.username !== q.caller.username!.toUpperCase(),
          ),
      ),
      "Basic without a legacy client": covered((q) => q.cell.reason === "BASIC_DISABLED"),
      "a machine client allowed": covered((q) => q.caller.kind === "machine" && q.cell.allowed),
      "an ID token": covered((q) => q.caller.kind === "id-token"),
      "a scope the client may not ask for (lambda)": covered((q) => q.cell.reason === "SCOPE_MISSING" && route(q).guard === "lambda"),
      "a scope the client may not ask for (cognito)": covered((q) => q.cell.reason === "SCOPE_MISSING" && route(q).guard === "cognito"),
      "a grant missing with the scope held": covered((q) => q.cell.reason === "GRANT_MISSING" && q.caller.kind !== "basic-user"),
    };
    for (const [what, count] of Object.entries(coverage)) expect([what, count > 0]).toEqual([what, true]);
  }, 120_000);
});
