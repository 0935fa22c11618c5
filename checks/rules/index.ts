import { Rule } from "../rule";
import { API_GATEWAY_RULES } from "./api-gateway";
import { COGNITO_RULES } from "./cognito";
import { DYNAMODB_RULES } from "./dynamodb";
import { IAM_RULES } from "./iam";
import { LAMBDA_RULES } from "./lambda";
import { LOGS_RULES } from "./logs";
import { TERRAFORM_RULES } from "./terraform";

/** Every rule, in the order of `RULE_IDS` (grouped by service). */
export const RULES: readonly Rule[] = [
  ...API_GATEWAY_RULES,
  ...COGNITO_RULES,
  ...DYNAMODB_RULES,
  ...LAMBDA_RULES,
  ...LOGS_RULES,
  ...IAM_RULES,
  ...TERRAFORM_RULES,
];
