import fc from "fast-check";
import { decisionLogLine, type DecisionLog } from "../../../functions/authorizer/decision-log";
import { REASONS, reasonKind, type ReasonCode } from "../../../functions/authorizer/reasons";
import { FC_SEED } from "../../../testing/authorizer-harness";

/** The line as the handler wrote it before the template: JSON.stringify of the spread object. */
function stringified(entry: DecisionLog, latencyMs: number): string {
  return JSON.stringify({
    level: entry.effect === "Error" ? "ERROR" : "INFO",
    message: "authorization decision",
    ...entry,
    kind: reasonKind(entry.reason),
    status: REASONS[entry.reason].httpStatus,
    latencyMs,
  });
}

const HOSTILE = [
  "",
  '"',
  "\\",
  '\\"',
  '","level":"INFO","effect":"Allow',
  '"}\n{"level":"INFO","message":"authorization decision","reason":"ALLOWED"}',
  "\u0000\u0001\u001f\u007f",
  "line\nbreak\rreturn\ttab\bback\fform",
  "\u2028\u2029",
  "\ud800",
  "\udfff lone low",
  "\ud83d\ude00 emoji",
  "é ü ß 中文",
  "</script><script>alert(1)</script>",
  "${latencyMs}",
  "GET /items/{id}",
];
const REASON_CODES = Object.keys(REASONS) as ReasonCode[];
const EFFECTS = ["Allow", "Deny", "Unauthorized", "Error"] as const;

describe("decisionLogLine", () => {
  test.each(HOSTILE)(
    "GIVEN %j in every text field THEN the line is valid JSON holding exactly those values, and the same text JSON.stringify writes",
    (hostile) => {
      const entry = {
        reason: "TOKEN_MALFORMED",
        effect: "Unauthorized",
        routeKey: hostile,
        principal: hostile,
        authType: hostile,
        clientId: hostile,
        detail: hostile,
        fromCache: false,
      } as unknown as DecisionLog;
      const line = decisionLogLine(entry, 1.25);
      expect(line).not.toContain("\n");
      expect(JSON.parse(line)).toEqual({
        level: "INFO",
        message: "authorization decision",
        reason: "TOKEN_MALFORMED",
        effect: "Unauthorized",
        routeKey: hostile,
        principal: hostile,
        authType: hostile,
        clientId: hostile,
        detail: hostile,
        fromCache: false,
        kind: "authentication",
        status: 401,
        latencyMs: 1.25,
      });
      expect(line).toBe(stringified(entry, 1.25));
    },
  );

  test("GIVEN any reason, effect, absent or present fields, any strings (lone surrogates included) and any latency THEN the line is the text JSON.stringify writes of the spread object", () => {
    const text = fc.oneof(fc.string({ unit: "binary" }), fc.constantFrom(...HOSTILE));
    fc.assert(
      fc.property(
        fc.record({
          reason: fc.constantFrom(...REASON_CODES),
          effect: fc.constantFrom(...EFFECTS),
          routeKey: text,
          principal: fc.option(text, { nil: undefined }),
          authType: fc.option(fc.oneof(fc.constantFrom("bearer", "basic"), text), { nil: undefined }),
          clientId: fc.option(text, { nil: undefined }),
          detail: fc.option(text, { nil: undefined }),
          fromCache: fc.option(fc.boolean(), { nil: undefined }),
        }),
        fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e21, 5e-7)),
        (entry, latencyMs) => {
          const line = decisionLogLine(entry as DecisionLog, latencyMs);
          expect(line).toBe(stringified(entry as DecisionLog, latencyMs));
          expect(() => JSON.parse(line) as unknown).not.toThrow();
        },
      ),
      { seed: FC_SEED, numRuns: 5_000 },
    );
  });
});
