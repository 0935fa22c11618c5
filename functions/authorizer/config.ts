/**
 * The authorizer's configuration: read once from the environment at cold start with the deployment
 * contract's decoder (`contracts/authorizer-environment.ts`), and turned into one typed object.
 * Nothing else in the authorizer reads `process.env`.
 *
 * @packageDocumentation
 */
import { decodeAuthorizerEnvironment, type AuthorizerConfig, type ConfigurationProblem } from "../../contracts/authorizer-environment";
import type { DependencyReason } from "./reasons";

export type {
  AuthorizerConfig,
  ConfigurationProblem,
  JsonWebKeyRecord,
  JsonWebKeySet,
  ThreatProtectionMode,
} from "../../contracts/authorizer-environment";

/**
 * The environment is invalid: a deployment bug. Thrown at cold start; every problem is listed, each
 * naming the variable, the value received and what is allowed.
 */
export class AuthorizerConfigurationError extends Error {
  /** The reason every request ends in until the environment is fixed. */
  readonly reason = "CONFIGURATION_INVALID" satisfies DependencyReason;
  /** Every problem found (at least one). */
  readonly problems: readonly ConfigurationProblem[];

  /**
   * @param problems - every problem found
   */
  constructor(problems: readonly ConfigurationProblem[]) {
    super(
      `invalid authorizer environment:\n${problems
        .map((p) => `  ${p.variable}: ${p.allowed}, got ${p.received === undefined ? "nothing (unset)" : JSON.stringify(p.received)}`)
        .join("\n")}`,
    );
    this.name = "AuthorizerConfigurationError";
    this.problems = problems;
  }
}

/**
 * Reads and validates the authorizer's environment (every variable is described on
 * {@link AuthorizerConfig}; `decodeAuthorizerEnvironment` reads them). An empty string counts as unset.
 *
 * @param env - the environment, usually `process.env`
 * @param packaged - the variables of the package's settings file (none by default)
 * @returns the typed configuration
 * @throws {@link AuthorizerConfigurationError} listing every problem
 */
export function loadAuthorizerConfig(
  env: Record<string, string | undefined>,
  packaged: Readonly<Record<string, string>> = {},
): AuthorizerConfig {
  const decoded = decodeAuthorizerEnvironment(env, packaged);
  if (!decoded.ok) throw new AuthorizerConfigurationError(decoded.problems);
  return decoded.config;
}
