import { show } from "../errors";
import { UserPoolConfig } from "../model";
import { Reader, at } from "../reader";
import { DOMAIN_PREFIX, USER_POOL_NAME } from "../rules";
import { THREAT_PROTECTION_MODES } from "../../../functions/authorizer/config";
import { CONFIGURATION_DEFAULTS } from "../../../core/defaults";

const DEFAULTS = CONFIGURATION_DEFAULTS.userPool;

/** The `userPool` section, with its password policy, tier and threat protection. */
export function readUserPool(r: Reader, value: unknown, name: string): UserPoolConfig {
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
    domainPrefix: r.string(o, "domainPrefix", path, DOMAIN_PREFIX),
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
  };
}
