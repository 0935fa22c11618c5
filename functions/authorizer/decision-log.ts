/**
 * The decision log line: one JSON object per decision, written from a fixed template rather than by
 * `JSON.stringify` of an object spread together per decision. Its members, in this order: `level`,
 * `message`, `reason`, `effect`, `routeKey`, `principal`, `authType`, `clientId`, `detail`,
 * `fromCache` (each of these four only when known), `kind`, `status`, `latencyMs`. Never a token,
 * password, header value or secret.
 *
 * @packageDocumentation
 */
import type { AuthType } from "./decide";
import { REASONS, type ReasonCode } from "./reasons";

/** What one decision line says. */
export interface DecisionLog {
  readonly reason: ReasonCode;
  readonly effect: "Allow" | "Deny" | "Unauthorized" | "Error";
  readonly routeKey: string;
  readonly principal?: string | undefined;
  readonly authType?: AuthType | undefined;
  readonly clientId?: string | undefined;
  readonly detail?: string | undefined;
  readonly fromCache?: boolean | undefined;
}

/** Characters a JSON string may hold as they are: printable ASCII but `"` and `\`. */
const PLAIN_JSON_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A string as JSON text; `JSON.stringify` escapes the rare one that needs it (quotes, controls, lone surrogates). */
function jsonString(value: string): string {
  return PLAIN_JSON_TEXT.test(value) ? `"${value}"` : JSON.stringify(value);
}

/** A number as JSON text: what `JSON.stringify` writes (`null` for NaN and the infinities). */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : "null";
}

/** The members after `effect` and before `routeKey` never change; the tail of each reason neither. */
const TAIL_BY_REASON = new Map<string, string>(
  Object.entries(REASONS).map(([reason, { kind, httpStatus }]) => [
    reason,
    `,"kind":${jsonString(kind)},"status":${httpStatus},"latencyMs":`,
  ]),
);

/**
 * The decision log line (without the newline): the same JSON text `JSON.stringify` writes of
 * `{ level, message, ...entry, kind, status, latencyMs }`, members left out when `undefined`.
 *
 * @param entry - the decision
 * @param latencyMs - milliseconds from the request's start to the decision
 * @returns one line of JSON
 */
export function decisionLogLine(entry: DecisionLog, latencyMs: number): string {
  let line =
    (entry.effect === "Error" ? '{"level":"ERROR"' : '{"level":"INFO"') +
    `,"message":"authorization decision","reason":${jsonString(entry.reason)},"effect":${jsonString(entry.effect)},"routeKey":${jsonString(entry.routeKey)}`;
  if (entry.principal !== undefined) line += `,"principal":${jsonString(entry.principal)}`;
  if (entry.authType !== undefined) line += `,"authType":${jsonString(entry.authType)}`;
  if (entry.clientId !== undefined) line += `,"clientId":${jsonString(entry.clientId)}`;
  if (entry.detail !== undefined) line += `,"detail":${jsonString(entry.detail)}`;
  if (entry.fromCache !== undefined) line += entry.fromCache ? ',"fromCache":true' : ',"fromCache":false';
  const tail = TAIL_BY_REASON.get(entry.reason);
  // Every reason has its tail; an unknown one (never written by the handler) still gives valid JSON.
  return `${line}${tail ?? ',"kind":null,"status":null,"latencyMs":'}${jsonNumber(latencyMs)}}`;
}
