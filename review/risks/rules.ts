/**
 * The catalog of the review's risk rules: each rule's stable id, severity and one-line reason. One
 * table ({@link RISK_RULES}): the checks of each domain report under these ids, and docs/tools.md and
 * `help` list them.
 *
 * @packageDocumentation
 */
import type { Severity } from "../../core/severity";
import type { RuleId } from "../../contracts/check-rules";
import { AUTHORIZER_VARIABLES as V } from "../../contracts/authorizer-environment";

/** A risk rule as documented: id, worst severity, what triggers it, and why it matters. */
export interface RiskRule {
  /** Stable id, e.g. `user-pool-destroyed`. */
  readonly id: string;
  /** The severity of a finding (some rules report lower for a new resource: see `trigger`). */
  readonly severity: Severity;
  /** One line: what the finding is. */
  readonly title: string;
  /** What in a change set triggers it. */
  readonly trigger: string;
  /** Why it matters, in one line (shown with every finding). */
  readonly why: string;
  /**
   * The `npm run check` rules that speak of the same change (same stack and resource): the review
   * shows one flag for both, at the higher severity, and says so. @default none
   */
  readonly checkRules?: readonly RuleId[];
}

/** Every rule the review applies, most severe first. */
export const RISK_RULES = [
  {
    id: "SG-TF-001",
    severity: "critical",
    title: "Terraform made to read files or the environment, unmask secrets or run programs",
    trigger:
      "the head's Terraform calls file, fileset, templatefile, nonsensitive, pathexpand, core:: or provider:: functions (the check SG-TF-001), runs programs, or its stack folder holds another Terraform file; whatever the base held",
    why: "Planning it prints what it reads (the users' passwords, the process environment with its cloud keys): never run terraform plan on it; the offline plan is not run.",
    checkRules: ["SG-TF-001"],
  },
  {
    id: "user-pool-destroyed",
    severity: "critical",
    title: "User pool replaced or removed",
    trigger:
      "aws_cognito_user_pool replaced (e.g. username_attributes, alias_attributes, username_configuration, name) or removed; an adopted (imported) pool is named",
    why: "A new pool starts empty: every user, password and MFA device is lost, and tokens of the old pool stop validating.",
  },
  {
    id: "attached-pool-changed",
    severity: "critical",
    title: "Stack moved to another user pool",
    trigger:
      "the pool a stack is attached to (userPool.existing.arn) changes: a resource server's literal user_pool_id names another pool, or a pool the stack creates (userPool.existing removed; adopting the same pool is no move); one flag per resource server",
    why: "Everything the stack made in the pool (domain, resource servers and scopes, app clients, groups, users) is re-created in the other pool: new client ids and secrets, and tokens of the old pool stop validating.",
  },
  {
    id: "app-client-destroyed",
    severity: "high",
    title: "App client replaced or removed",
    trigger: "aws_cognito_user_pool_client replaced (generate_secret, user_pool_id) or removed",
    why: "The client gets a new id (and secret): every app using it must be reconfigured, and its refresh tokens stop working.",
  },
  {
    id: "grants-table-destroyed",
    severity: "high",
    title: "Grants table replaced or removed",
    trigger: "the authorization table (aws_dynamodb_table) replaced (name, hash_key, range_key) or removed",
    why: "Every grant goes with the table: the authorizer denies until Terraform writes the items again, and grants written outside Terraform are lost.",
  },
  {
    id: "resource-server-destroyed",
    severity: "high",
    title: "Resource server replaced or removed",
    trigger: "aws_cognito_resource_server replaced (identifier, user_pool_id) or removed",
    why: "Its scopes disappear or get new names: clients asking for them, methods requiring them and tokens already issued stop matching.",
  },
  {
    id: "deletion-protection-off",
    severity: "high",
    title: "Deletion protection turned off",
    trigger:
      "user pool deletion_protection ACTIVE → INACTIVE, or table deletion_protection_enabled true → false (medium when a new resource has none)",
    why: "Nothing then stops a later change or a destroy from deleting every user (pool) or every grant (table).",
    checkRules: ["SG-USERPOOL-001"],
  },
  {
    id: "mfa-weakened",
    severity: "high",
    title: "MFA weakened",
    trigger: "mfa_configuration ON → OPTIONAL → OFF (medium when a new pool has OFF)",
    why: "Accounts that had to present a second factor can then sign in with a password alone.",
    checkRules: ["SG-USERPOOL-002"],
  },
  {
    id: "user-pool-schema-changed",
    severity: "high",
    title: "User pool attribute changed or removed",
    trigger: "an entry of the user pool's schema changed or removed",
    why: "Cognito cannot change or remove attributes: the plan shows an in-place update, but apply fails.",
  },
  {
    id: "user-existence-errors",
    severity: "high",
    title: "User existence errors revealed",
    trigger: "client prevent_user_existence_errors ENABLED → anything else (medium when a new client is not ENABLED)",
    why: "Sign-in and password-recovery answers then tell whether a username exists, which lets anyone enumerate accounts.",
    checkRules: ["SG-APPCLIENT-001"],
  },
  {
    id: "token-revocation-off",
    severity: "high",
    title: "Token revocation turned off",
    trigger: "client enable_token_revocation true → false (medium when a new client has it off)",
    why: "Refresh tokens can then no longer be revoked (sign-out, a stolen device) before they expire.",
    checkRules: ["SG-APPCLIENT-002"],
  },
  {
    id: "implicit-flow-added",
    severity: "high",
    title: "Implicit flow enabled",
    trigger: "client allowed_oauth_flows gains implicit",
    why: "Tokens are then returned in the URL fragment (browser history, referrers, logs), without PKCE.",
    checkRules: ["SG-APPCLIENT-003"],
  },
  {
    id: "password-flow-added",
    severity: "high",
    title: "Password flow enabled",
    trigger: "client explicit_auth_flows gains ALLOW_USER_PASSWORD_AUTH (high) or ALLOW_ADMIN_USER_PASSWORD_AUTH (medium)",
    why: "The client then accepts a plain password (no SRP) from anyone holding its id (USER_PASSWORD) or IAM credentials (ADMIN_USER_PASSWORD): guessing and phishing get easier.",
    checkRules: ["SG-APPCLIENT-004"],
  },
  {
    id: "method-unguarded",
    severity: "high",
    title: "Method without authorization",
    trigger: "aws_api_gateway_method authorization becomes NONE (or a new method has NONE)",
    why: "Anyone who can reach the API can call the route, with no token at all.",
    checkRules: ["SG-APIGW-001"],
  },
  {
    id: "method-authorizer-changed",
    severity: "high",
    title: "Method changes authorizer",
    trigger: "method authorization COGNITO_USER_POOLS ↔ CUSTOM (or another authorizer_id)",
    why: "Requests are then judged by other rules (token scopes for Cognito, DynamoDB grants for the Lambda authorizer): callers that passed may fail and others may pass.",
  },
  {
    id: "lambda-route-scopes-removed",
    severity: "high",
    title: "Lambda route no longer requires scopes",
    trigger: `a route in the Lambda authorizer's ${V.routeScopes} (its package settings) goes from one or more scopes to none`,
    why: "Any access token of a trusted client whose principal holds a grant for the route then passes, whatever its scopes.",
  },
  {
    id: "method-scopes-removed",
    severity: "high",
    title: "Method no longer requires scopes",
    trigger: "a Cognito-guarded method's authorization_scopes become empty",
    why: "Without scopes the Cognito authorizer accepts any valid ID token of the pool, whatever the client or scope.",
    checkRules: ["SG-APIGW-003"],
  },
  {
    id: "iam-policy-widened",
    severity: "high",
    title: "IAM policy widened",
    trigger: "a role policy allows new actions or resources, or drops a Deny (medium for a new policy); wildcards named",
    why: "The role (the Lambda authorizer's) can then do more than before; a wildcard grants more than the code needs.",
    checkRules: ["SG-IAM-001", "SG-IAM-002", "SG-IAM-005"],
  },
  {
    id: "invoke-permission-widened",
    severity: "high",
    title: "Lambda invoke permission widened",
    trigger: "aws_lambda_permission source_arn removed or broadened, principal becomes *, or a new service permission without source_arn",
    why: "Other APIs or authorizers (even in other accounts) could then invoke the function and probe it.",
    checkRules: ["SG-LAMBDA-004"],
  },
  {
    id: "basic-user-designated",
    severity: "high",
    title: "Account designated for Basic",
    trigger: `the authorizer's ${V.basicUsers} gains a name (appClients[].basicUsers of the legacy client; medium for a new function)`,
    why: "The account may then call the API with its password alone over Basic (no MFA, no token scope: a grant alone decides).",
  },
  {
    id: "scope-added",
    severity: "medium",
    title: "Client gains a scope",
    trigger: "client allowed_oauth_scopes gains a scope",
    why: "Tokens of this client then pass every method that requires the scope.",
  },
  {
    id: "method-scopes-added",
    severity: "medium",
    title: "Method accepts another scope",
    trigger: "a Cognito-guarded method's authorization_scopes gain a scope",
    why: "One of a method's scopes suffices: tokens carrying only the new scope now pass too.",
  },
  {
    id: "grant-added",
    severity: "medium",
    title: "Grant added",
    trigger: "a principal gains a route in the grants table",
    why: "The principal can call the route through the Lambda authorizer: access is widened.",
  },
  {
    id: "token-validity-longer",
    severity: "medium",
    title: "Token validity longer",
    trigger: "client access, ID or refresh token validity grows (units normalized)",
    why: "A leaked token stays usable longer; access and ID tokens cannot be revoked before they expire.",
    checkRules: ["SG-APPCLIENT-006", "SG-APPCLIENT-007"],
  },
  {
    id: "user-destroyed",
    severity: "medium",
    title: "User replaced or removed",
    trigger: "aws_cognito_user replaced (username, user_pool_id) or removed",
    why: "The account (password, MFA, attributes) is deleted; a re-created user gets a new sub.",
  },
  {
    id: "hosted-ui-domain-replaced",
    severity: "medium",
    title: "Hosted UI domain replaced or removed",
    trigger: "aws_cognito_user_pool_domain replaced (domain, user_pool_id) or removed",
    why: "The hosted UI and OAuth endpoints move or go away: apps must change their authorize and token URLs.",
  },
  {
    id: "method-scopes-narrowed",
    severity: "low",
    title: "Method drops a scope",
    trigger: "a Cognito-guarded method's authorization_scopes lose a scope but keep others",
    why: "Tokens carrying only the dropped scope now get 403: check that no client relies on it.",
  },
  {
    id: "grant-removed",
    severity: "low",
    title: "Grant removed",
    trigger: "a principal loses a route in the grants table",
    why: "The principal gets 403 on the route once the authorizer's caches expire.",
  },
  {
    id: "basic-user-undesignated",
    severity: "low",
    title: "Account no longer designated for Basic",
    trigger: `the authorizer's ${V.basicUsers} loses a name`,
    why: "Its Basic requests get 401 (BASIC_USER_NOT_DESIGNATED) once the new function version serves: check that no application still relies on it.",
  },
  {
    id: "authorizer-code-changed",
    severity: "info",
    title: "Authorizer package changed",
    trigger: "aws_lambda_function source_code_hash or filename changes (its code, or the route table and JWKS snapshot it carries)",
    why: "Every request's decision depends on this package: review the functions/authorizer diff and the authorizer/settings change.",
  },
  {
    id: "grants-unreadable",
    severity: "info",
    title: "Grant item known only after apply",
    trigger: "a changed grant item whose value the plan cannot show yet",
    why: "Its principal is a value Terraform learns at apply (e.g. a new client id): the grants it writes cannot be compared here.",
  },
] as const satisfies readonly RiskRule[];

/** Ids of {@link RISK_RULES}. */
export type RiskRuleId = (typeof RISK_RULES)[number]["id"];
