import { RuleId, Suppression } from "../../contracts/check-rules";
import { Finding, StackResult, evaluateStack } from "../../checks/evaluate";
import { Rule } from "../../checks/rule";
import { RULES } from "../../checks/rules";
import { exampleConfig, resourceAt, synthStack } from "../../testing/synth";

/** Name of the example's stack: the first segment of every construct path. */
export const STACK = "scopegate-example";

let example: unknown;

/** A fresh copy of the synthesized example's Terraform JSON (synthesized once per test file). */
export function exampleTemplate(): any {
  example ??= synthStack().tf;
  return JSON.parse(JSON.stringify(example));
}

/** The synthesized Terraform JSON of the example changed by `mutate` before validation. */
export function templateOf(mutate: (doc: Record<string, any>) => void): any {
  return synthStack(exampleConfig(mutate)).tf;
}

/** The one resource of `type` whose construct path ends with `pathSuffix`, to mutate in place. */
export function resource(tf: any, type: string, pathSuffix: string): any {
  return resourceAt(tf, type, pathSuffix);
}

/** The rule with this id. */
export function rule(id: RuleId): Rule {
  const found = RULES.find((r) => r.id === id);
  if (found === undefined) throw new Error(`no rule ${id}`);
  return found;
}

/** Findings of one rule (or every rule) on a template, without suppressions. */
export function findingsOf(tf: unknown, id?: RuleId): readonly Finding[] {
  return evaluate(tf, [], id).findings;
}

/** Evaluates a template with suppressions, with one rule or every rule. */
export function evaluate(tf: unknown, suppressions: readonly Suppression[] = [], id?: RuleId): StackResult {
  return evaluateStack({ name: STACK, template: tf, suppressions, checksFile: true }, id === undefined ? RULES : [rule(id)]);
}

/** A minimal `cdk.tf.json` with the given resources (`{ type: { name: body } }`). */
export function minimalTemplate(resources: Record<string, Record<string, unknown>>): unknown {
  return { resource: resources };
}

/** The logical name of the one resource of `type` whose construct path ends with `pathSuffix`. */
export function nameOf(tf: any, type: string, pathSuffix: string): string {
  const names = Object.entries(tf.resource?.[type] ?? {})
    .filter(([, body]: [string, any]) => String(body["//"]?.metadata?.path ?? "").endsWith(pathSuffix))
    .map(([name]) => name);
  if (names.length !== 1) throw new Error(`expected one ${type} at */${pathSuffix}, found ${names.length}`);
  return names[0];
}

/** The Terraform address of that resource. */
export function addressOf(tf: any, type: string, pathSuffix: string): string {
  return `${type}.${nameOf(tf, type, pathSuffix)}`;
}

/** A reference `${<type>.<name>.<attribute>}` to that resource. */
export function ref(tf: any, type: string, pathSuffix: string, attribute: string): string {
  return `\${${addressOf(tf, type, pathSuffix)}.${attribute}}`;
}

/** What a test expects of one finding. */
export interface ExpectedFinding {
  readonly rule: RuleId;
  readonly severity: Finding["severity"];
  /** Terraform type and construct path below the stack, to find the resource's address. */
  readonly type: string;
  readonly path: string;
  readonly attribute: string;
  /** The message after `<path> (<address>): ` (a function of the template where it names a logical id). */
  readonly detail: string | ((tf: any) => string);
}

/** The findings as a test compares them: id, severity, path, address, attribute and the whole message. */
export function summarize(findings: readonly Finding[]): object[] {
  return findings.map(({ rule, severity, path, address, attribute, message }) => ({ rule, severity, path, address, attribute, message }));
}

/** The summary {@link summarize} gives for an expected finding on `tf`. */
export function expected(tf: any, e: ExpectedFinding): object {
  const path = `${STACK}/${e.path}`;
  const address = addressOf(tf, e.type, e.path);
  return {
    rule: e.rule,
    severity: e.severity,
    path,
    address,
    attribute: e.attribute,
    message: `${path} (${address}): ${typeof e.detail === "string" ? e.detail : e.detail(tf)}`,
  };
}
