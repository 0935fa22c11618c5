/**
 * Which attribute changes make Terraform replace (destroy and re-create) a resource, for the
 * resource types scopegate synthesizes. A plan says so itself (`replace_paths`); this table is
 * what lets a diff of two synthesized outputs say it without a plan.
 *
 * Measured, not guessed: each entry was confirmed with `terraform plan` (provider
 * hashicorp/aws 5.100.0, offline, over a state of the synthesized example) changing one attribute
 * at a time. Notable results of that measurement:
 * - `aws_cognito_user_pool.name` forces replacement (renaming the stack replaces the pool);
 *   adding a `schema` attribute does not (removing or changing one fails at apply instead);
 * - changing a grant item's key value (`item.principal`) is an in-place update;
 * - `aws_api_gateway_resource.parent_id` / `path_part`, `aws_api_gateway_authorizer.type` and the
 *   `status_code` of method and integration responses are in-place updates;
 * - every argument of `aws_lambda_permission` forces replacement;
 * - Verified Permissions (the Cedar twin's export): `policy_store_id` replaces a policy or an
 *   identity source but updates a schema in place; a policy's `statement` replaces it when the
 *   statement's effect or scope changes and updates it when only its conditions do (a path cannot
 *   say which, so the table leaves it out: scopegate names each policy's construct by its route,
 *   guard and credential, so under one name only the conditions change, except when the stack is
 *   renamed, which replaces the pool too); the identity source's pool, clients and principal type
 *   update in place.
 *
 * @see https://developer.hashicorp.com/terraform/internals/json-format#change-representation
 * @packageDocumentation
 */
import { PathSegment, pathKeys } from "./values";

/** Every attribute forces replacement. */
const ALL = "*";

/**
 * Force-new attribute paths by resource type (keys only, list indices left out:
 * `username_configuration.case_sensitive`).
 */
export const FORCE_NEW_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_cognito_user_pool: ["name", "alias_attributes", "username_attributes", "username_configuration.case_sensitive"],
  aws_cognito_user_pool_client: ["user_pool_id", "generate_secret"],
  aws_cognito_resource_server: ["user_pool_id", "identifier"],
  aws_cognito_user_pool_domain: ["user_pool_id", "domain"],
  aws_cognito_user: ["user_pool_id", "username"],
  aws_cognito_user_group: ["user_pool_id", "name"],
  aws_cognito_user_in_group: ["user_pool_id", "group_name", "username"],
  aws_dynamodb_table: ["name", "hash_key", "range_key"],
  aws_dynamodb_table_item: ["table_name", "hash_key", "range_key"],
  aws_lambda_function: ["function_name"],
  aws_lambda_permission: [ALL],
  aws_iam_role: ["name", "name_prefix", "path"],
  aws_iam_role_policy: ["name", "name_prefix", "role"],
  aws_iam_role_policy_attachment: ["role", "policy_arn"],
  aws_cloudwatch_log_group: ["name", "name_prefix"],
  aws_api_gateway_rest_api: [],
  aws_api_gateway_account: [],
  aws_api_gateway_resource: ["rest_api_id"],
  aws_api_gateway_authorizer: ["rest_api_id"],
  aws_api_gateway_method: ["rest_api_id", "resource_id", "http_method"],
  aws_api_gateway_method_response: ["rest_api_id", "resource_id", "http_method"],
  aws_api_gateway_integration: ["rest_api_id", "resource_id", "http_method", "type", "integration_http_method"],
  aws_api_gateway_integration_response: ["rest_api_id", "resource_id", "http_method"],
  aws_api_gateway_gateway_response: ["rest_api_id", "response_type"],
  aws_api_gateway_deployment: ["rest_api_id", "triggers"],
  aws_api_gateway_stage: ["rest_api_id", "stage_name"],
  aws_api_gateway_method_settings: ["rest_api_id", "stage_name", "method_path"],
  aws_verifiedpermissions_policy_store: [],
  aws_verifiedpermissions_schema: [],
  aws_verifiedpermissions_policy: ["policy_store_id"],
  aws_verifiedpermissions_identity_source: ["policy_store_id"],
};

/**
 * Whether changing the attribute at `segments` replaces a resource of `type`. A change of a
 * whole block counts when the block holds a force-new attribute. Types outside the table never
 * count (the review then says it cannot tell: see {@link knowsForceNew}).
 */
export function forcesReplacement(type: string, segments: readonly PathSegment[]): boolean {
  const entries = FORCE_NEW_ATTRIBUTES[type];
  if (entries === undefined) return false;
  if (entries.includes(ALL)) return true;
  const keys = pathKeys(segments);
  if (keys.length === 0) return false;
  return entries.some((entry) => {
    const forced = entry.split(".");
    const shorter = Math.min(forced.length, keys.length);
    return forced.slice(0, shorter).every((key, i) => key === keys[i]);
  });
}

/** Whether the table knows the force-new attributes of `type`. */
export function knowsForceNew(type: string): boolean {
  return type in FORCE_NEW_ATTRIBUTES;
}
