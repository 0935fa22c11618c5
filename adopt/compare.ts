/**
 * What the first plan after adoption does to each described attribute, read from the artefact:
 * the written configuration is synthesized in-process (the stack `npm run synth` builds) and each
 * described value is compared with the value of the Terraform attribute it lands in. A table maps
 * describe JSON paths to Terraform attributes; an attribute the stack does not write is "left as
 * it is" only where the provider computes it (keeps the imported value), else it is changed.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolType.html
 * @packageDocumentation
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { type JsonObject, isJsonObject } from "../core/json";
import { stackBlocks } from "../core/terraform-json/document";
import { substituteReferences } from "../core/terraform-json/references";
import { ScopegateConfig } from "../stacks/config/model";
import { ScopegateStack } from "../stacks/scopegate-stack";
import { FORCE_NEW_ATTRIBUTES } from "../review/force-new";
import { AdoptedSource, attributeMap, compare, tokenValidity } from "./map";

/** What the first apply does to one described attribute. */
export type AttributeFate = "kept" | "changed" | "left";

/** One described attribute and its Terraform counterpart. */
export interface AttributeOutcome {
  readonly fate: AttributeFate;
  /** `aws_cognito_user_pool_client "web"`. */
  readonly resource: string;
  readonly file: string;
  /** Full JSON path in the file: `UserPoolClient.CallbackURLs`. */
  readonly path: string;
  /** The Terraform attribute: `callback_urls`, `password_policy.minimum_length`. */
  readonly attribute: string;
  /** The described value. */
  readonly old: unknown;
  /** The synthesized value; undefined when the stack does not write the attribute. */
  readonly new: unknown;
  /** Why, when the values alone do not say it. */
  readonly note?: string;
}

/** One row of the table: a describe path (relative to the source's object), its Terraform attribute, how to read it. */
interface Row {
  readonly describe: string;
  readonly tf: string;
  /** The described value in Terraform's terms (default: the value at `describe`). */
  readonly value?: (body: JsonObject) => unknown;
  /** What Cognito applies when the output leaves the field out. */
  readonly absent?: unknown;
  /**
   * The provider computes the attribute (`terraform providers schema -json`, hashicorp/aws 5.100.0):
   * when the stack does not write it, the imported value stays.
   */
  readonly computed?: boolean;
}

const POOL_ROWS: readonly Row[] = [
  { describe: "Name", tf: "name" },
  { describe: "UserPoolTier", tf: "user_pool_tier", computed: true },
  { describe: "DeletionProtection", tf: "deletion_protection", absent: "INACTIVE" },
  { describe: "MfaConfiguration", tf: "mfa_configuration", absent: "OFF" },
  { describe: "UsernameAttributes", tf: "username_attributes", absent: [] },
  { describe: "AliasAttributes", tf: "alias_attributes", absent: [] },
  { describe: "UsernameConfiguration.CaseSensitive", tf: "username_configuration.case_sensitive", computed: true },
  { describe: "AutoVerifiedAttributes", tf: "auto_verified_attributes", absent: [] },
  {
    describe: "UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate",
    tf: "user_attribute_update_settings.attributes_require_verification_before_update",
    absent: [],
  },
  {
    describe: "AccountRecoverySetting.RecoveryMechanisms",
    tf: "account_recovery_setting.recovery_mechanism",
    value: (b) => {
      const list = at(b, "AccountRecoverySetting.RecoveryMechanisms");
      return Array.isArray(list) ? list.map((m) => ({ name: (m as JsonObject).Name, priority: (m as JsonObject).Priority })) : undefined;
    },
  },
  {
    describe: "AdminCreateUserConfig.AllowAdminCreateUserOnly",
    tf: "admin_create_user_config.allow_admin_create_user_only",
    absent: false,
  },
  {
    describe: "AdminCreateUserConfig.InviteMessageTemplate.EmailMessage",
    tf: "admin_create_user_config.invite_message_template.email_message",
  },
  {
    describe: "AdminCreateUserConfig.InviteMessageTemplate.EmailSubject",
    tf: "admin_create_user_config.invite_message_template.email_subject",
  },
  {
    describe: "AdminCreateUserConfig.InviteMessageTemplate.SMSMessage",
    tf: "admin_create_user_config.invite_message_template.sms_message",
  },
  { describe: "EmailConfiguration.EmailSendingAccount", tf: "email_configuration.email_sending_account", absent: "COGNITO_DEFAULT" },
  { describe: "EmailConfiguration.SourceArn", tf: "email_configuration.source_arn" },
  { describe: "EmailConfiguration.From", tf: "email_configuration.from_email_address" },
  { describe: "EmailConfiguration.ReplyToEmailAddress", tf: "email_configuration.reply_to_email_address" },
  { describe: "EmailConfiguration.ConfigurationSet", tf: "email_configuration.configuration_set" },
  { describe: "Policies.PasswordPolicy.MinimumLength", tf: "password_policy.minimum_length" },
  { describe: "Policies.PasswordPolicy.RequireLowercase", tf: "password_policy.require_lowercase" },
  { describe: "Policies.PasswordPolicy.RequireUppercase", tf: "password_policy.require_uppercase" },
  { describe: "Policies.PasswordPolicy.RequireNumbers", tf: "password_policy.require_numbers" },
  { describe: "Policies.PasswordPolicy.RequireSymbols", tf: "password_policy.require_symbols" },
  { describe: "Policies.PasswordPolicy.TemporaryPasswordValidityDays", tf: "password_policy.temporary_password_validity_days" },
  { describe: "Policies.PasswordPolicy.PasswordHistorySize", tf: "password_policy.password_history_size", absent: 0 },
  { describe: "Policies.SignInPolicy.AllowedFirstAuthFactors", tf: "sign_in_policy.allowed_first_auth_factors", absent: ["PASSWORD"] },
  { describe: "UserPoolAddOns.AdvancedSecurityMode", tf: "user_pool_add_ons.advanced_security_mode", absent: "OFF" },
  { describe: "SmsConfiguration.SnsCallerArn", tf: "sms_configuration.sns_caller_arn" },
  { describe: "SmsConfiguration.ExternalId", tf: "sms_configuration.external_id" },
  { describe: "SmsConfiguration.SnsRegion", tf: "sms_configuration.sns_region" },
  { describe: "SmsAuthenticationMessage", tf: "sms_authentication_message" },
  { describe: "SmsVerificationMessage", tf: "sms_verification_message", computed: true },
  { describe: "EmailVerificationMessage", tf: "email_verification_message", computed: true },
  { describe: "EmailVerificationSubject", tf: "email_verification_subject", computed: true },
  {
    describe: "VerificationMessageTemplate.DefaultEmailOption",
    tf: "verification_message_template.default_email_option",
    absent: "CONFIRM_WITH_CODE",
  },
  { describe: "VerificationMessageTemplate.EmailMessage", tf: "verification_message_template.email_message", computed: true },
  { describe: "VerificationMessageTemplate.EmailSubject", tf: "verification_message_template.email_subject", computed: true },
  { describe: "VerificationMessageTemplate.EmailMessageByLink", tf: "verification_message_template.email_message_by_link", computed: true },
  { describe: "VerificationMessageTemplate.EmailSubjectByLink", tf: "verification_message_template.email_subject_by_link", computed: true },
  { describe: "VerificationMessageTemplate.SmsMessage", tf: "verification_message_template.sms_message", computed: true },
  {
    describe: "DeviceConfiguration.ChallengeRequiredOnNewDevice",
    tf: "device_configuration.challenge_required_on_new_device",
    absent: false,
  },
  {
    describe: "DeviceConfiguration.DeviceOnlyRememberedOnUserPrompt",
    tf: "device_configuration.device_only_remembered_on_user_prompt",
    absent: false,
  },
  { describe: "UserPoolTags", tf: "tags", absent: {} },
];

/** `LambdaConfig` keys whose Terraform name is not their snake case. */
const LAMBDA_NAMES: Readonly<Record<string, string>> = {
  KMSKeyID: "kms_key_id",
  CustomSMSSender: "custom_sms_sender",
  CustomEmailSender: "custom_email_sender",
  PreTokenGenerationConfig: "pre_token_generation_config",
};

const MFA_ROWS: readonly Row[] = [
  { describe: "SoftwareTokenMfaConfiguration.Enabled", tf: "software_token_mfa_configuration.enabled", absent: false },
  { describe: "SmsMfaConfiguration.SmsAuthenticationMessage", tf: "sms_authentication_message" },
  { describe: "EmailMfaConfiguration.Message", tf: "email_mfa_configuration.message" },
  { describe: "EmailMfaConfiguration.Subject", tf: "email_mfa_configuration.subject" },
  { describe: "WebAuthnConfiguration.RelyingPartyId", tf: "web_authn_configuration.relying_party_id" },
  { describe: "WebAuthnConfiguration.UserVerification", tf: "web_authn_configuration.user_verification", absent: "preferred" },
];

const DOMAIN_ROWS: readonly Row[] = [
  { describe: "Domain", tf: "domain" },
  { describe: "ManagedLoginVersion", tf: "managed_login_version", computed: true },
];

const SERVER_ROWS: readonly Row[] = [
  { describe: "Identifier", tf: "identifier" },
  { describe: "Name", tf: "name" },
  {
    describe: "Scopes",
    tf: "scope",
    value: (b) =>
      (Array.isArray(b.Scopes) ? b.Scopes : []).map((s) => ({
        scope_description: (s as JsonObject).ScopeDescription,
        scope_name: (s as JsonObject).ScopeName,
      })),
  },
];

const CLIENT_ROWS: readonly Row[] = [
  { describe: "ClientName", tf: "name" },
  // Whether the client has a secret; the secret itself is never read into any value.
  { describe: "ClientSecret", tf: "generate_secret", value: (b) => typeof b.ClientSecret === "string" },
  { describe: "AllowedOAuthFlows", tf: "allowed_oauth_flows", absent: [] },
  { describe: "AllowedOAuthFlowsUserPoolClient", tf: "allowed_oauth_flows_user_pool_client", absent: false },
  { describe: "AllowedOAuthScopes", tf: "allowed_oauth_scopes", absent: [] },
  { describe: "ExplicitAuthFlows", tf: "explicit_auth_flows", absent: [] },
  { describe: "SupportedIdentityProviders", tf: "supported_identity_providers", absent: [] },
  { describe: "CallbackURLs", tf: "callback_urls", absent: [] },
  { describe: "LogoutURLs", tf: "logout_urls", absent: [] },
  { describe: "PreventUserExistenceErrors", tf: "prevent_user_existence_errors", absent: "LEGACY" },
  { describe: "EnableTokenRevocation", tf: "enable_token_revocation", absent: false },
  { describe: "EnablePropagateAdditionalUserContextData", tf: "enable_propagate_additional_user_context_data", absent: false },
  { describe: "AuthSessionValidity", tf: "auth_session_validity", absent: 3 },
  { describe: "ReadAttributes", tf: "read_attributes", computed: true },
  { describe: "WriteAttributes", tf: "write_attributes", computed: true },
  { describe: "DefaultRedirectURI", tf: "default_redirect_uri", computed: true },
  { describe: "AnalyticsConfiguration", tf: "analytics_configuration" },
  { describe: "RefreshTokenRotation.Feature", tf: "refresh_token_rotation.feature", absent: "DISABLED" },
];

const GROUP_ROWS: readonly Row[] = [
  { describe: "GroupName", tf: "name" },
  { describe: "Description", tf: "description", absent: "" },
  { describe: "Precedence", tf: "precedence" },
  { describe: "RoleArn", tf: "role_arn" },
];

const USER_ROWS: readonly Row[] = [
  { describe: "Username", tf: "username" },
  { describe: "Enabled", tf: "enabled", absent: true },
  {
    describe: "Attributes",
    tf: "attributes",
    // The sub is Cognito's, read-only: never an attribute the stack writes.
    value: (b) => Object.fromEntries(Object.entries(attributeMap(b.Attributes)).filter(([name]) => name !== "sub")),
  },
];

/** A construct id as the constructs library keeps it: a `/` becomes `--`. */
function constructId(id: string): string {
  return id.replace(/\//g, "--");
}

/** Construct path (after the stack's name) and type of the resource each source lands in. */
function target(source: AdoptedSource): { type: string; path: string; label: string } {
  switch (source.type) {
    case "pool":
    case "mfa":
      return { type: "aws_cognito_user_pool", path: "user-pool/pool", label: "aws_cognito_user_pool" };
    case "domain":
      return { type: "aws_cognito_user_pool_domain", path: "user-pool/domain", label: `aws_cognito_user_pool_domain ${q(source.name)}` };
    case "resourceServer":
      return {
        type: "aws_cognito_resource_server",
        path: `${constructId(`resource-server-${source.name}`)}/server`,
        label: `aws_cognito_resource_server ${q(source.name)}`,
      };
    case "client":
      return {
        type: "aws_cognito_user_pool_client",
        path: `${constructId(`client-${source.name}`)}/client`,
        label: `aws_cognito_user_pool_client ${q(source.name)}`,
      };
    case "group":
      return {
        type: "aws_cognito_user_group",
        path: `users/${constructId(`group-${source.name}`)}`,
        label: `aws_cognito_user_group ${q(source.name)}`,
      };
    case "user":
      return { type: "aws_cognito_user", path: `users/${constructId(`user-${source.name}`)}`, label: `aws_cognito_user ${q(source.name)}` };
  }
}

function rowsOf(source: AdoptedSource): readonly Row[] {
  switch (source.type) {
    case "pool": {
      const lambda = isJsonObject(source.body.LambdaConfig) ? source.body.LambdaConfig : {};
      const lambdaRows = Object.keys(lambda)
        .sort(compare)
        .map((key) => ({ describe: `LambdaConfig.${key}`, tf: `lambda_config.${LAMBDA_NAMES[key] ?? snake(key)}` }));
      return [...POOL_ROWS, ...lambdaRows];
    }
    case "mfa":
      return MFA_ROWS;
    case "domain":
      return DOMAIN_ROWS;
    case "resourceServer":
      return SERVER_ROWS;
    case "client":
      return CLIENT_ROWS;
    case "group":
      return GROUP_ROWS;
    case "user":
      return USER_ROWS;
  }
}

/**
 * Synthesizes `config` as `npm run synth` builds its stack (in a temporary folder, removed after)
 * and returns its Terraform JSON.
 */
export function synthesizeConfig(config: ScopegateConfig): JsonObject {
  const scratch = mkdtempSync(join(tmpdir(), "scopegate-adopt-"));
  try {
    // The authorizer's code plays no part in the Cognito resources: a stand-in file serves.
    const bundle = join(scratch, "index.js");
    writeFileSync(bundle, "exports.handler = async () => { throw new Error('Unauthorized'); };\n");
    const app = new App({ outdir: join(scratch, "out"), skipValidation: true });
    const stack = new ScopegateStack(app, config.name, { config, buildAuthorizer: () => bundle });
    return JSON.parse(JSON.stringify(stack.toTerraform())) as JsonObject;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Compares every described attribute of `sources` with the synthesized Terraform `tf`.
 *
 * @throws Error when an adopted source has no synthesized resource (a bug: the stack's construct ids changed)
 */
export function compareWithSynth(sources: readonly AdoptedSource[], tf: JsonObject, stackName: string): AttributeOutcome[] {
  const outcomes: AttributeOutcome[] = [];
  const resources = isJsonObject(tf.resource) ? tf.resource : {};
  for (const source of sources) {
    const { type, path, label } = target(source);
    const resource = stackBlocks(tf).find(
      (block) => block.mode === "managed" && block.type === type && block.constructPath === `${stackName}/${path}`,
    )?.config;
    if (resource === undefined) throw new Error(`the synthesized stack has no ${type} at ${stackName}/${path} for ${source.file}`);
    const ignored = ignoredChanges(resource);
    const prefix = source.path === "" ? "" : `${source.path}.`;
    for (const row of rowsOf(source)) {
      const old = row.value ? row.value(source.body) : at(source.body, row.describe);
      const synthesized = resolve(at(resource, row.tf), resources);
      const base = { resource: label, file: source.file, path: `${prefix}${row.describe}`, attribute: row.tf, old, new: synthesized };
      if (old === undefined && synthesized === undefined) continue;
      if (ignored.has(row.tf.split(".")[0]) || ignored.has("all")) {
        outcomes.push({ ...base, fate: "left", note: "the stack ignores its changes (lifecycle ignore_changes)" });
      } else if (synthesized !== undefined) {
        const described = old === undefined ? row.absent : old;
        outcomes.push({
          ...base,
          fate: same(described, synthesized) ? "kept" : "changed",
          ...(old === undefined ? { note: "not in the describe output" } : {}),
        });
      } else if (row.computed) {
        outcomes.push({ ...base, fate: "left", note: "the stack does not set it; the provider keeps the imported value" });
      } else if (!same(old, row.absent) && !isEmpty(old)) {
        outcomes.push({ ...base, fate: "changed", note: "the stack does not set it" });
      }
    }
    if (source.type === "client") outcomes.push(...tokenOutcomes(source, resource, label));
  }
  return outcomes;
}

/**
 * The changed attributes that make Terraform replace their resource (the review's force-new table):
 * adoption must have none, whatever the mapping meant to write.
 */
export function replacements(outcomes: readonly AttributeOutcome[]): AttributeOutcome[] {
  return outcomes.filter((o) => o.fate === "changed" && (FORCE_NEW_ATTRIBUTES[o.resource.split(" ")[0]!] ?? []).includes(o.attribute));
}

/** The three token validities, compared as durations and as Terraform's number and unit. */
function tokenOutcomes(source: AdoptedSource, resource: JsonObject, label: string): AttributeOutcome[] {
  const described = tokenValidity(source.body);
  const units = isJsonObject(source.body.TokenValidityUnits) ? source.body.TokenValidityUnits : {};
  const minutesPer: Readonly<Record<string, number>> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };
  return (
    [
      ["AccessTokenValidity", "AccessToken", "access_token", described.access, "hours"],
      ["IdTokenValidity", "IdToken", "id_token", described.id, "hours"],
      ["RefreshTokenValidity", "RefreshToken", "refresh_token", described.refresh, "days"],
    ] as const
  ).map(([field, unitField, tfName, minutes, defaultUnit]) => {
    const number = at(resource, `${tfName}_validity`);
    const unit = String(at(resource, `token_validity_units.${tfName}`));
    const synthesizedMinutes = typeof number === "number" ? number * (minutesPer[unit] ?? Number.NaN) : Number.NaN;
    const oldUnit = String(units[unitField] ?? defaultUnit);
    const old = source.body[field] === undefined ? `not set (${minutes} minutes)` : `${String(source.body[field])} ${oldUnit}`;
    const now = `${String(number)} ${unit}`;
    const sameDuration = synthesizedMinutes === minutes;
    const fate: AttributeFate = sameDuration && old === now ? "kept" : "changed";
    return {
      fate,
      resource: label,
      file: source.file,
      path: `${source.path}.${field}`,
      attribute: `${tfName}_validity, token_validity_units.${tfName}`,
      old,
      new: now,
      ...(fate === "changed" && sameDuration ? { note: "the same duration in other units" } : {}),
    };
  });
}

function ignoredChanges(resource: JsonObject): Set<string> {
  const list = at(resource, "lifecycle.ignore_changes");
  if (list === "all") return new Set(["all"]);
  return new Set(Array.isArray(list) ? list.map(String) : []);
}

/** The value at a dotted path; a one-block list (`token_validity_units: [{…}]`) is stepped through. */
export function at(value: unknown, path: string): unknown {
  let node = value;
  for (const key of path.split(".")) {
    if (Array.isArray(node) && node.length === 1 && !/^\d+$/.test(key)) node = node[0];
    if (!isJsonObject(node)) return undefined;
    node = key === "//" ? node["//"] : node[key];
  }
  return node;
}

/** A synthesized value with references to a resource server's identifier replaced by the identifier. */
function resolve(value: unknown, resources: JsonObject): unknown {
  if (typeof value === "string") {
    return substituteReferences(value, ({ address, attribute }) => {
      if (!address.startsWith("aws_cognito_resource_server.") || attribute !== "identifier") return undefined;
      const server = at(resources, address);
      return isJsonObject(server) && typeof server.identifier === "string" ? server.identifier : undefined;
    });
  }
  if (Array.isArray(value)) return value.map((item) => resolve(item, resources));
  return value;
}

/** Equal as Terraform compares them: lists as sets (every list here is one), objects by key. */
function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort(compare).join(",")}]`;
  if (isJsonObject(value)) {
    return `{${Object.keys(value)
      .sort(compare)
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

function isEmpty(value: unknown): boolean {
  return (
    (Array.isArray(value) && value.length === 0) ||
    (isJsonObject(value) && Object.keys(value).length === 0) ||
    value === "" ||
    value === null
  );
}

function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

function q(name: string): string {
  return JSON.stringify(name);
}
