/**
 * References between resources inside Terraform interpolations (`${aws_cognito_user_pool.x.id}`)
 * as cdktf writes them: finding them, substituting configured values, and naming them by
 * construct path for readers.
 *
 * @packageDocumentation
 */
import { isJsonObject, type JsonObject } from "../core/json";

/** A reference to one attribute of a managed resource. */
export interface ResourceReference {
  /** `<type>.<logical id>` of the resource referred to. */
  readonly address: string;
  readonly attribute: string;
  /** The reference as written inside the interpolation, e.g. `aws_x.y.arn`. */
  readonly text: string;
}

const INTERPOLATION = /\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g;
// A managed resource reference: a provider-prefixed type, a logical id and an attribute. The
// lookbehind keeps `data.aws_x.y.z` and `module.m.aws_x...` out.
const REFERENCE = /(?<![\w.-])([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)\.([a-z_][a-z0-9_]*)/g;

/** The managed-resource references inside the interpolations of `text`. */
export function referencesIn(text: string): ResourceReference[] {
  const found: ResourceReference[] = [];
  for (const interpolation of text.matchAll(INTERPOLATION)) {
    for (const match of interpolation[1].matchAll(REFERENCE)) {
      found.push({ address: `${match[1]}.${match[2]}`, attribute: match[3], text: match[0] });
    }
  }
  return found;
}

/**
 * Replaces each interpolation that is exactly one reference (`${aws_x.y.attr}`) by the value
 * `lookup` returns for it; leaves it as written when `lookup` returns `undefined`.
 */
export function substituteReferences(text: string, lookup: (reference: ResourceReference) => string | undefined): string {
  return text.replace(INTERPOLATION, (whole, inner: string) => {
    const refs = referencesIn(whole);
    if (refs.length !== 1 || refs[0].text !== inner.trim()) return whole;
    return lookup(refs[0]) ?? whole;
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
  if (typeof value === "string" && !value.includes("${")) return value;
  return undefined;
}

/**
 * Names each reference by the construct path of its resource, for readers:
 * `${aws_cognito_user_pool.user-pool_54D4728B.id}` → `${user-pool/pool.id}`.
 *
 * @param pathOf construct path of an address, relative to its stack, or `undefined` when unknown
 */
export function humanizeReferences(text: string, pathOf: (address: string) => string | undefined): string {
  return text.replace(INTERPOLATION, (whole) => {
    let result = whole;
    for (const ref of referencesIn(whole)) {
      const path = pathOf(ref.address);
      if (path !== undefined) result = result.replace(ref.text, `${path}.${ref.attribute}`);
    }
    return result;
  });
}
