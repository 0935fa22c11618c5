import { show } from "../errors";
import { ExistingUserPoolConfig, UserPoolConfig } from "../model";
import { Reader, at } from "../reader";
import { DOMAIN_PREFIX, USER_POOL_NAME } from "../rules";
import { THREAT_PROTECTION_MODES } from "../../../contracts/authorizer-environment";
import { CONFIGURATION_DEFAULTS } from "../../../core/defaults";

const DEFAULTS = CONFIGURATION_DEFAULTS.userPool;

/**
 * A user pool ARN: `arn:aws:cognito-idp:<region>:<12-digit account>:userpool/<region>_<id>`.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitouserpools.html
 */
const USER_POOL_ARN = /^arn:aws:cognito-idp:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):userpool\/(([a-z]{2}(?:-[a-z]+)+-\d)_[0-9A-Za-z]+)$/;

/** Pool-wide settings the stack sets on a pool it creates, and refuses next to `existing` (the pool is not its own). */
const POOL_WIDE_SETTINGS = ["name", "deletionProtection", "passwordPolicy"] as const;

/** `userPool.existing`: the ARN, its pool id's region and the stack's region all agree. */
function readExisting(r: Reader, value: unknown, path: string, region: string): ExistingUserPoolConfig {
  const o = r.object(value, path, ["arn"]) ?? {};
  const arn = r.string(o, "arn", path, { hint: "arn:aws:cognito-idp:<region>:<12-digit account>:userpool/<region>_<id>" });
  const match = USER_POOL_ARN.exec(arn);
  if (arn !== "" && match === null) {
    r.report(
      at(path, "arn"),
      `must be a user pool ARN arn:aws:cognito-idp:<region>:<12-digit account>:userpool/<region>_<id>, got ${show(arn)}; ` +
        "copy it from the pool's overview in the console or aws cognito-idp describe-user-pool",
    );
    return { arn, id: "", region };
  }
  if (match === null) return { arn, id: "", region };
  const [, arnRegion, , id, idRegion] = match as unknown as [string, string, string, string, string];
  if (idRegion !== arnRegion) {
    r.report(
      at(path, "arn"),
      `the pool id ${show(id)} belongs to region ${show(idRegion)} but the ARN names ${show(arnRegion)}, got ${show(arn)}`,
    );
  } else if (arnRegion !== region) {
    r.report(
      at(path, "arn"),
      `the pool is in region ${show(arnRegion)} but the stack's region is ${show(region)}, got ${show(arn)}; ` +
        "set region to the pool's region (a stack attaches only to a pool in its own region)",
    );
  }
  return { arn, id, region: arnRegion };
}

/** The `userPool` section, with its password policy, tier and threat protection, or the existing pool it attaches to. */
export function readUserPool(r: Reader, value: unknown, name: string, region: string): UserPoolConfig {
  const path = "userPool";
  const o =
    r.object(value, path, [
      "name",
      "domainPrefix",
      "deletionProtection",
      "mfa",
      "signInWith",
      "passwordPolicy",
      "tier",
      "threatProtection",
      "existing",
    ]) ?? {};
  const tier = r.oneOf(o, "tier", path, ["ESSENTIALS", "PLUS"] as const, { default: DEFAULTS.tier });
  const threatProtection = r.oneOf(o, "threatProtection", path, THREAT_PROTECTION_MODES, { default: DEFAULTS.threatProtection });
  if (threatProtection !== "off" && tier !== "PLUS") {
    r.report(
      at(path, "threatProtection"),
      `needs userPool.tier "PLUS" (threat protection is a feature of the Plus tier), got ${show(threatProtection)} with tier ${show(tier)}; ` +
        'set tier "PLUS" or threatProtection "off"',
    );
  }
  const existing = o.existing === undefined ? undefined : readExisting(r, o.existing, at(path, "existing"), region);
  if (existing !== undefined) {
    for (const setting of POOL_WIDE_SETTINGS) {
      if (o[setting] !== undefined) {
        r.report(
          at(path, setting),
          `is a pool-wide setting, got ${show(o[setting])}, and a stack attached to an existing pool (userPool.existing) changes nothing pool-wide; ` +
            `remove ${setting} and manage it where the pool is managed`,
        );
      }
    }
  }
  const passwordPath = at(path, "passwordPolicy");
  const p =
    o.passwordPolicy === undefined
      ? {}
      : (r.object(o.passwordPolicy, passwordPath, [
          "minimumLength",
          "requireLowercase",
          "requireUppercase",
          "requireNumbers",
          "requireSymbols",
          "temporaryPasswordValidityDays",
        ]) ?? {});
  return {
    name: r.string(o, "name", path, { ...USER_POOL_NAME, default: DEFAULTS.name(name) }),
    // An attached pool may have its own domain already (a pool has at most one): then none is configured.
    ...(existing !== undefined && o.domainPrefix === undefined ? {} : { domainPrefix: r.string(o, "domainPrefix", path, DOMAIN_PREFIX) }),
    deletionProtection: r.boolean(o, "deletionProtection", path, { default: DEFAULTS.deletionProtection }),
    mfa: r.oneOf(o, "mfa", path, ["OPTIONAL", "ON", "OFF"] as const, { default: DEFAULTS.mfa }),
    signInWith: r.oneOf(o, "signInWith", path, ["username", "email"] as const, { default: DEFAULTS.signInWith }),
    tier,
    threatProtection,
    passwordPolicy: {
      minimumLength: r.integer(p, "minimumLength", passwordPath, {
        default: DEFAULTS.passwordPolicy.minimumLength,
        min: 12,
        max: 99,
        unit: "characters",
      }),
      requireLowercase: r.boolean(p, "requireLowercase", passwordPath, { default: DEFAULTS.passwordPolicy.requireLowercase }),
      requireUppercase: r.boolean(p, "requireUppercase", passwordPath, { default: DEFAULTS.passwordPolicy.requireUppercase }),
      requireNumbers: r.boolean(p, "requireNumbers", passwordPath, { default: DEFAULTS.passwordPolicy.requireNumbers }),
      requireSymbols: r.boolean(p, "requireSymbols", passwordPath, { default: DEFAULTS.passwordPolicy.requireSymbols }),
      temporaryPasswordValidityDays: r.integer(p, "temporaryPasswordValidityDays", passwordPath, {
        default: DEFAULTS.passwordPolicy.temporaryPasswordValidityDays,
        min: 1,
        max: 7,
        unit: "days",
      }),
    },
    ...(existing === undefined ? {} : { existing }),
  };
}
