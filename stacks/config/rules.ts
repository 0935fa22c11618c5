/**
 * The shapes every configured name and value must have, in one place, with the wording the
 * error messages use. Most follow the AWS service's own limits, narrowed where a looser value
 * would be a foot-gun (names that end up in resource names, URLs and construct ids).
 */

/** Stack name and resource-name prefix. */
export const NAME = {
  pattern: /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/,
  hint: "^[a-z][a-z0-9-]{1,30}[a-z0-9]$ (lowercase, digits, hyphens; 3-32 characters)",
};

/** AWS region code. */
export const REGION = { pattern: /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, hint: 'an AWS region code such as "us-east-1"' };

/** Hosted-UI domain prefix (Cognito forbids the words aws, amazon and cognito in it). */
export const DOMAIN_PREFIX = {
  pattern: /^(?!.*(aws|amazon|cognito))[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
  hint: 'lowercase letters, digits and hyphens, 1-63 characters, not starting or ending with a hyphen, without "aws", "amazon" or "cognito"',
};

/** Resource server identifier: a domain name or an https URL. */
export const RESOURCE_SERVER_IDENTIFIER = {
  pattern:
    /^(?:(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+|https:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:\/[A-Za-z0-9._~-]+)*)$/,
  hint: 'a lowercase domain name such as "api.example.com" or an https URL without a trailing slash',
};

/** Custom scope name (the part after `<identifier>/`). */
export const SCOPE_NAME = { pattern: /^[a-z][a-z0-9._-]{0,62}$/, hint: "^[a-z][a-z0-9._-]*$ (at most 63 characters)" };

/** App client, group and other construct-level names. */
export const CLIENT_NAME = { pattern: /^[a-z][a-z0-9-]{0,62}$/, hint: "^[a-z][a-z0-9-]*$ (at most 63 characters)" };

/** Cognito group name, as scopegate accepts it. */
export const GROUP_NAME = {
  pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
  hint: "letters, digits, '.', '_' and '-', at most 128 characters",
};

/** Cognito username, as scopegate accepts it (it becomes part of a grant's key). */
export const USERNAME = { pattern: /^[A-Za-z0-9._@+-]{1,128}$/, hint: "letters, digits and . _ @ + -, at most 128 characters" };

/** E-mail address, loosely: Cognito checks the rest. */
export const EMAIL = { pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, hint: "an e-mail address" };

/**
 * REST API name. It is also part of CloudWatch log group names (`/aws/apigateway/<name>/<stage>/access`,
 * `[.\-_/#A-Za-z0-9]+`) and of the account logging role's name (`<name>-apigw-logs`, IAM's
 * `[\w+=,.@-]+`), so only the characters both accept.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
 */
export const API_NAME = {
  pattern: /^[A-Za-z0-9._-]{1,128}$/,
  hint: "^[A-Za-z0-9._-]{1,128}$ (letters, digits, '.', '_' and '-': it is part of log group and IAM role names)",
};

/** IAM role names are at most 64 characters; the account logging role is `<api.name>-apigw-logs`. */
export const API_NAME_WITH_LOGGING_ROLE_MAX_LENGTH = 64 - "-apigw-logs".length;

/**
 * Cognito user pool name: Cognito's `[\w\s+=,.@-]+` with the space as the only blank (a line
 * break or tab would pass Cognito's `\s`).
 */
export const USER_POOL_NAME = { pattern: /^[\w +=,.@-]{1,128}$/, hint: "letters, digits, spaces and + = , . @ - _ (at most 128)" };

/** Resource server name: Cognito's `[\w\s+=,.@-]+` with the space as the only blank. */
export const RESOURCE_SERVER_NAME = {
  pattern: /^[\w +=,.@-]{1,256}$/,
  hint: "letters, digits, spaces and + = , . @ - _ (at most 256)",
};

/** API Gateway stage name. */
export const STAGE_NAME = { pattern: /^[A-Za-z0-9_]{1,128}$/, hint: "letters, digits and underscores" };

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** OpenID Connect scopes a user-facing client may ask for besides custom ones. */
export const STANDARD_SCOPES = ["openid", "email", "profile", "phone"] as const;

/** Grants access to the user's own Cognito profile APIs; only on explicit opt-in. */
export const USER_ADMIN_SCOPE = "aws.cognito.signin.user.admin";

/**
 * The ARN of a KMS key (not an alias: DynamoDB's `kms_key_arn` and CloudWatch Logs' `kms_key_id`
 * take a key ARN). The first group is the key's region.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN
 */
export const KMS_KEY_ARN = {
  pattern:
    /^arn:aws(?:-[a-z]+)*:kms:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):\d{12}:key\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
  hint: 'the ARN of an existing KMS key ("arn:aws:kms:<region>:<account id>:key/<key id>"; an alias is not accepted)',
};
