/**
 * Keeping secrets out of the review. A value is replaced by {@link SENSITIVE} when the plan marks
 * it sensitive (`before_sensitive` / `after_sensitive`), or when it is a string held under a name
 * that says it is a secret (`password`, `client_secret`, `DB_PASSWORD`, …). Masking happens as
 * soon as an input is read: nothing downstream (diff, rules, renderers, the JSON summary) ever
 * sees the raw value.
 *
 * Flags and settings named like secrets stay visible because they are not strings
 * (`generate_secret = true`, `temporary_password_validity_days = 3`, the `password_policy` block).
 *
 * @packageDocumentation
 */
import { SENSITIVE } from "./model";
import { isJsonObject } from "../core/json";

/**
 * A plan's sensitivity mask: `true` where the value is sensitive, mirroring the value's shape
 * (objects by key, lists by index).
 */
export type SensitivityMask = boolean | readonly SensitivityMask[] | { readonly [key: string]: SensitivityMask } | undefined | null;

const SECRET_NAME = /password|secret/i;

/** Whether an attribute (or map key) of this name holds secrets when it holds a string. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A copy of `value` with each sensitive part replaced by {@link SENSITIVE}.
 *
 * @param mask the plan's sensitivity mask for this value (omit in synthesized-output mode)
 * @param name the attribute or key that holds `value`, for the name rule
 */
export function maskSensitive(value: unknown, mask?: SensitivityMask, name?: string): unknown {
  if (mask === true) return SENSITIVE;
  if (name !== undefined && isSecretName(name)) {
    if (typeof value === "string") return SENSITIVE;
    if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string")) return SENSITIVE;
  }
  if (Array.isArray(value)) {
    const masks = Array.isArray(mask) ? mask : [];
    return value.map((item, i) => maskSensitive(item, masks[i] as SensitivityMask, name));
  }
  if (isJsonObject(value)) {
    const masks = isJsonObject(mask) ? (mask as Record<string, SensitivityMask>) : {};
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskSensitive(item, masks[key], key)]));
  }
  return value;
}
