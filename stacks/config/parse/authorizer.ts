import { show } from "../errors";
import { AuthorizerFunctionConfig } from "../model";
import { Reader, at } from "../reader";
import { decodeJwksSnapshot } from "../../../contracts/authorizer-environment";
import { readRetention } from "./shared";
import { CONFIGURATION_DEFAULTS } from "../../../core/defaults";

const DEFAULTS = CONFIGURATION_DEFAULTS.authorizer;

/** The `authorizer` section: the Lambda authorizer's caches, sizing and JWKS snapshot. */
export function readAuthorizer(r: Reader, value: unknown): AuthorizerFunctionConfig {
  const path = "authorizer";
  const o =
    value === undefined
      ? {}
      : (r.object(value, path, [
          "resultTtlSeconds",
          "grantCacheTtlSeconds",
          "basicAuthCacheTtlSeconds",
          "basicSignInFailureLimit",
          "basicSignInFailureWindowSeconds",
          "memorySizeMb",
          "timeoutSeconds",
          "reservedConcurrency",
          "logRetentionDays",
          "jwksSnapshot",
        ]) ?? {});
  let jwksSnapshot: AuthorizerFunctionConfig["jwksSnapshot"];
  if (o.jwksSnapshot !== undefined) {
    // The authorizer's own check, so a snapshot it would refuse at cold start never deploys.
    jwksSnapshot = decodeJwksSnapshot(JSON.stringify(o.jwksSnapshot), (allowed) =>
      r.report(at(path, "jwksSnapshot"), `${allowed} (as the pool's jwks.json serves it), got ${show(o.jwksSnapshot)}`),
    );
  }
  // The three caches share one range: 0 (off) to an hour.
  const cacheSeconds = (key: "resultTtlSeconds" | "grantCacheTtlSeconds" | "basicAuthCacheTtlSeconds"): number =>
    r.integer(o, key, path, { default: DEFAULTS[key], min: 0, max: 3600, unit: "seconds" });
  return {
    resultTtlSeconds: cacheSeconds("resultTtlSeconds"),
    grantCacheTtlSeconds: cacheSeconds("grantCacheTtlSeconds"),
    basicAuthCacheTtlSeconds: cacheSeconds("basicAuthCacheTtlSeconds"),
    // Cognito locks a user out after five failed sign-ins: one address must stay below that.
    basicSignInFailureLimit: r.integer(o, "basicSignInFailureLimit", path, {
      default: DEFAULTS.basicSignInFailureLimit,
      min: 1,
      max: 4,
      unit: "failed sign-ins (below Cognito's lock-out, which starts after 5)",
    }),
    basicSignInFailureWindowSeconds: r.integer(o, "basicSignInFailureWindowSeconds", path, {
      default: DEFAULTS.basicSignInFailureWindowSeconds,
      min: 60,
      max: 86_400,
      unit: "seconds",
    }),
    memorySizeMb: r.integer(o, "memorySizeMb", path, { default: DEFAULTS.memorySizeMb, min: 128, max: 10240, unit: "MB" }),
    timeoutSeconds: r.integer(o, "timeoutSeconds", path, {
      default: DEFAULTS.timeoutSeconds,
      min: 1,
      max: 29,
      unit: "seconds (API Gateway waits at most 29)",
    }),
    reservedConcurrency:
      o.reservedConcurrency === null || o.reservedConcurrency === undefined
        ? DEFAULTS.reservedConcurrency
        : r.integer(o, "reservedConcurrency", path, { min: 1, max: 1000 }),
    logRetentionDays: readRetention(r, o, path, DEFAULTS.logRetentionDays),
    ...(jwksSnapshot ? { jwksSnapshot } : {}),
  };
}
