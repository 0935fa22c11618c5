import { Construct } from "constructs";
import { Op, TerraformCondition } from "cdktf";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolDomain } from "@cdktf/provider-aws/lib/cognito-user-pool-domain";
import { UserPoolConfig } from "../config/model";

/** Props of {@link UserPool}. */
export interface UserPoolProps {
  /** The validated user pool settings. */
  readonly config: UserPoolConfig;
  /**
   * Region expression of the stack (the `aws_region` variable), used to build the issuer and
   * hosted-UI URLs.
   */
  readonly region: string;
  /**
   * The pool exists already and the stack imports it (`adopt`): the attributes the configuration
   * cannot express ({@link ADOPTED_POOL_IGNORED_ATTRIBUTES}) are left as the pool has them.
   *
   * @default false - a new pool
   */
  readonly adopted?: boolean;
}

/**
 * Arguments of an adopted pool that the configuration cannot express and scopegate never writes:
 * `lifecycle.ignore_changes`, so the first apply after the import leaves them as they are (triggers,
 * custom attributes, SMS and device settings, message texts). Without it Terraform would remove a
 * Lambda trigger or SMS configuration the pool has, and a plan that drops a custom attribute from
 * `schema` fails at apply. Everything else the stack writes is managed from the first apply.
 *
 * @see https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#ignore_changes
 */
export const ADOPTED_POOL_IGNORED_ATTRIBUTES: readonly string[] = [
  "lambda_config",
  "schema",
  "sms_configuration",
  "sms_authentication_message",
  "sms_verification_message",
  "device_configuration",
  "verification_message_template",
  "email_verification_message",
  "email_verification_subject",
];

/**
 * A Cognito user pool with its hosted-UI domain. Every security attribute is set explicitly,
 * so that `terraform plan` shows it and no weak service default applies silently:
 * deletion protection, MFA with TOTP, admin-only sign-up, the password policy, e-mail recovery,
 * case-insensitive usernames, verification before an e-mail address changes, the feature plan
 * and, on Plus, threat protection.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools.html
 */
export class UserPool extends Construct {
  /** The `aws_cognito_user_pool` resource; none when the stack attaches to an existing pool. */
  readonly resource?: CognitoUserPool;
  /** The pool's id: the created pool's, or the part of the existing pool's ARN after `userpool/`. */
  readonly id: string;
  /** The pool's ARN: the created pool's, or the configured existing one. */
  readonly arn: string;
  /** The `aws_cognito_user_pool_domain` resource; none when an attached pool's configuration gives no `domainPrefix`. */
  readonly domain?: CognitoUserPoolDomain;
  /** Token issuer: `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  readonly issuer: string;
  /** The pool's public keys: `<issuer>/.well-known/jwks.json`. */
  readonly jwksUrl: string;
  /** Hosted UI and OAuth endpoints: `https://<prefix>.auth.<region>.amazoncognito.com`, where the stack has a domain. */
  readonly hostedUiBaseUrl?: string;
  /**
   * For an attached pool: the condition that the planned region (`aws_region`) is the pool's, with its
   * message, for a resource every stack has to carry as a precondition.
   */
  readonly regionPrecondition?: TerraformCondition;

  constructor(scope: Construct, id: string, props: UserPoolProps) {
    super(scope, id);
    const { config } = props;
    const existing = config.existing;
    if (existing !== undefined) {
      // Attached: nothing pool-wide is created or changed; every reference uses the ARN's values.
      this.id = existing.id;
      this.arn = existing.arn;
      this.regionPrecondition = {
        condition: Op.eq(props.region, existing.region),
        errorMessage:
          `The user pool ${existing.arn} (userPool.existing.arn) is in region ${existing.region}; ` +
          `plan with aws_region = "${existing.region}" (a stack attaches only to a pool in its own region).`,
      };
      if (config.domainPrefix !== undefined) {
        this.domain = new CognitoUserPoolDomain(this, "domain", { domain: config.domainPrefix, userPoolId: this.id });
        this.hostedUiBaseUrl = `https://${this.domain.domain}.auth.${props.region}.amazoncognito.com`;
      }
      this.issuer = `https://cognito-idp.${existing.region}.amazonaws.com/${existing.id}`;
      this.jwksUrl = `${this.issuer}/.well-known/jwks.json`;
      return;
    }
    const mfaEnabled = config.mfa !== "OFF";

    const pool = new CognitoUserPool(this, "pool", {
      name: config.name,
      userPoolTier: config.tier,
      // Threat protection is a Plus feature (configuration validation refuses it on Essentials).
      ...(config.threatProtection === "off" ? {} : { userPoolAddOns: { advancedSecurityMode: config.threatProtection.toUpperCase() } }),
      deletionProtection: config.deletionProtection ? "ACTIVE" : "INACTIVE",
      mfaConfiguration: config.mfa,
      softwareTokenMfaConfiguration: { enabled: mfaEnabled },
      adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      usernameAttributes: config.signInWith === "email" ? ["email"] : [],
      usernameConfiguration: { caseSensitive: false },
      autoVerifiedAttributes: ["email"],
      userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdate: ["email"] },
      accountRecoverySetting: { recoveryMechanism: [{ name: "verified_email", priority: 1 }] },
      emailConfiguration: { emailSendingAccount: "COGNITO_DEFAULT" },
      passwordPolicy: {
        minimumLength: config.passwordPolicy.minimumLength,
        requireLowercase: config.passwordPolicy.requireLowercase,
        requireUppercase: config.passwordPolicy.requireUppercase,
        requireNumbers: config.passwordPolicy.requireNumbers,
        requireSymbols: config.passwordPolicy.requireSymbols,
        temporaryPasswordValidityDays: config.passwordPolicy.temporaryPasswordValidityDays,
      },
      ...(props.adopted === true ? { lifecycle: { ignoreChanges: [...ADOPTED_POOL_IGNORED_ATTRIBUTES] } } : {}),
    });
    this.resource = pool;
    this.id = pool.id;
    this.arn = pool.arn;

    const domain = new CognitoUserPoolDomain(this, "domain", {
      domain: config.domainPrefix ?? "",
      userPoolId: pool.id,
    });
    this.domain = domain;

    this.issuer = `https://${pool.endpoint}`;
    this.jwksUrl = `${this.issuer}/.well-known/jwks.json`;
    this.hostedUiBaseUrl = `https://${domain.domain}.auth.${props.region}.amazoncognito.com`;
  }
}
