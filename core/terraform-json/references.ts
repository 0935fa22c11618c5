/**
 * References between resources inside Terraform template sequences (`${aws_cognito_user_pool.x.id}`)
 * as cdktf writes them, found by the shared template scanner: finding them, substituting configured
 * values (the review, adopt), and naming them by construct path for readers (the review).
 *
 * @packageDocumentation
 */
import { isJsonObject, type JsonObject } from "../json";
import { TemplateSequence, isExpression, templateSequences } from "./template";

/** A reference to one attribute of a managed resource. */
export interface ResourceReference {
  /** `<type>.<logical id>` of the resource referred to. */
  readonly address: string;
  readonly attribute: string;
  /** The reference as written inside the interpolation, e.g. `aws_x.y.arn`. */
  readonly text: string;
}

// A managed resource reference: a provider-prefixed type, a logical id and an attribute, as the
// first three names of a traversal from a root name (so `data.aws_x.y.z` and `module.m.aws_x…` are
// not one).
const TYPE = /^[a-z][a-z0-9]*_[a-z0-9_]+$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const ATTRIBUTE = /^[a-z_][a-z0-9_]*$/;

/** A managed-resource reference found in a text, and where it is. */
interface FoundReference extends ResourceReference {
  readonly start: number;
  readonly end: number;
}

/** The managed-resource references of one template sequence (its traversals, read by the shared scanner). */
function referencesOf(text: string, sequence: TemplateSequence): FoundReference[] {
  return sequence.traversals.flatMap(({ parts, start, ends }) => {
    const [type, name, attribute] = parts;
    if (parts.length < 3 || !TYPE.test(type) || !NAME.test(name) || !ATTRIBUTE.test(attribute)) return [];
    const end = ends[2];
    return [{ address: `${type}.${name}`, attribute, text: text.slice(start, end), start, end }];
  });
}

/** The managed-resource references inside the template sequences (`${…}`, `%{…}`) of `text`. */
export function referencesIn(text: string): ResourceReference[] {
  return templateSequences(text).flatMap((sequence) =>
    referencesOf(text, sequence).map(({ address, attribute, text: written }) => ({ address, attribute, text: written })),
  );
}

/** `text` with each template sequence (`${…}`, `%{…}`) replaced by what `replace` makes of it. */
function replaceSequences(text: string, replace: (sequence: TemplateSequence, written: string) => string): string {
  let out = "";
  let at = 0;
  for (const sequence of templateSequences(text)) {
    out += text.slice(at, sequence.start) + replace(sequence, text.slice(sequence.start, sequence.end));
    at = sequence.end;
  }
  return out + text.slice(at);
}

/**
 * Replaces each interpolation that is exactly one reference (`${aws_x.y.attr}`) by the value
 * `lookup` returns for it; leaves it as written when `lookup` returns `undefined`.
 */
export function substituteReferences(text: string, lookup: (reference: ResourceReference) => string | undefined): string {
  return replaceSequences(text, (sequence, written) => {
    const refs = referencesOf(text, sequence);
    const inner = text.slice(sequence.start + 2, sequence.end - 1);
    if (sequence.opener !== "${" || !sequence.terminated || refs.length !== 1 || refs[0].text !== inner.trim()) return written;
    const { address, attribute, text: reference } = refs[0];
    return lookup({ address, attribute, text: reference }) ?? written;
  });
}

/**
 * The configured (literal) value of an attribute of a resource in a stack's Terraform JSON, when
 * it is a string or number that is itself free of references.
 */
export function configuredValue(resources: ReadonlyMap<string, JsonObject>, reference: ResourceReference): string | undefined {
  const config = resources.get(reference.address);
  if (!isJsonObject(config)) return undefined;
  const value = config[reference.attribute];
  if (typeof value === "number") return String(value);
  if (typeof value === "string" && !isExpression(value)) return value;
  return undefined;
}

/**
 * Names each reference by the construct path of its resource, for readers:
 * `${aws_cognito_user_pool.user-pool_54D4728B.id}` → `${user-pool/pool.id}`.
 *
 * @param pathOf construct path of an address, relative to its stack, or `undefined` when unknown
 */
export function humanizeReferences(text: string, pathOf: (address: string) => string | undefined): string {
  return replaceSequences(text, (sequence, written) => {
    let result = "";
    let at = sequence.start;
    for (const ref of referencesOf(text, sequence)) {
      const path = pathOf(ref.address);
      if (path === undefined) continue;
      result += text.slice(at, ref.start) + `${path}.${ref.attribute}`;
      at = ref.end;
    }
    return at === sequence.start ? written : result + text.slice(at, sequence.end);
  });
}
