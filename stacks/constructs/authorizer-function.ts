import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Construct } from "constructs";
import { AssetType, Fn, TerraformAsset } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AuthorizerFunctionConfig } from "../config/model";
import { deterministicZip } from "../assets/deterministic-zip";
import { ConfigError } from "../config/errors";
import { encodePackagedSettings, PACKAGED_SETTINGS_FILE, type PackagedVariable } from "../../contracts/packaged-settings";
import { AUTHORIZER_VARIABLES, estimateEnvironmentSize, LAMBDA_ENVIRONMENT_LIMIT_BYTES } from "../../contracts/authorizer-environment";
import { KmsKeyUse } from "./encryption-key";
import { SIGN_IN_LIMIT_KEY_PREFIX } from "../../core/grant-item";
import { TerraformData } from "../terraform-data";

/**
 * The one write the authorizer's role may make: `UpdateItem` of its failed Basic sign-in counters,
 * only on keys that start with {@link SIGN_IN_LIMIT_KEY_PREFIX} (the `dynamodb:LeadingKeys`
 * condition), so it can never write a grant. Only with Basic sign-in.
 *
 * @param tableArn - the grants table
 * @returns the policy statement
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 */
export function signInCounterStatement(tableArn: string): Record<string, unknown> {
  return {
    Sid: "CountFailedSignIns",
    Effect: "Allow",
    Action: ["dynamodb:UpdateItem"],
    Resource: [tableArn],
    Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${SIGN_IN_LIMIT_KEY_PREFIX}*`] } },
  };
}

/**
 * Lambda's Node.js 22 runtime: Node.js 20 reached its end of life in April 2026 and Lambda
 * deprecates runtimes then. The bundle targets Node.js 20 syntax, which 22 runs unchanged.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 */
export const LAMBDA_RUNTIME = "nodejs22.x";

/** Props of {@link AuthorizerFunction}. */
export interface AuthorizerFunctionProps {
  readonly config: AuthorizerFunctionConfig;
  /** Function name; also names its log group and role. */
  readonly functionName: string;
  /** The bundled handler (`index.js` exporting `handler`), built at synth. */
  readonly bundleFile: string;
  /** The function's environment: the authorizer's configuration contract. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Settings too bulky for the environment (the route table, the JWKS snapshot), written to
   * `authorizer-settings.json` in the package and recorded in a `terraform_data` resource so that a
   * plan shows their changes.
   */
  readonly packagedSettings: Readonly<Partial<Record<PackagedVariable, string>>>;
  /** The grants table's ARN: the only table the function may read. */
  readonly tableArn: string;
  /** The user pool's ARN, when Basic sign-in is enabled: the only pool it may sign in to. */
  readonly basicSignInUserPoolArn?: string;
  /**
   * A customer managed KMS key for the function's environment and its log group; the role may
   * decrypt with it. @default the AWS managed key `aws/lambda` and CloudWatch Logs' own encryption
   */
  readonly kmsKey?: KmsKeyUse;
}

/**
 * The scopegate Lambda authorizer: the bundled handler, its own log group with retention, and a
 * role allowed exactly `dynamodb:GetItem` on the grants table, `cognito-idp:AdminInitiateAuth`
 * on the pool and `dynamodb:UpdateItem` of the table's `lockout#` counter items (both only with Basic
 * sign-in; {@link signInCounterStatement}), its own log stream writes, and X-Ray segments.
 *
 * The deployment package is a zip with fixed timestamps, so the same commit always yields the
 * same `source_code_hash`; it holds the bundle and `authorizer-settings.json`. The environment is
 * checked against Lambda's 4 KB limit at synth (a larger one would plan cleanly and fail at apply).
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 */
export class AuthorizerFunction extends Construct {
  /** The `aws_lambda_function` resource. */
  readonly function: LambdaFunction;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: AuthorizerFunctionProps) {
    super(scope, id);
    const { config } = props;

    checkEnvironmentSize(props.environment);
    const asset = new TerraformAsset(this, "bundle", { path: writeDeploymentPackage(props), type: AssetType.FILE });
    // What the package's settings hold, where a plan and the review can see it.
    // (`TerraformData`, not cdktf's `DataResource`: that one runs `terraform version` at synth.)
    new TerraformData(
      this,
      "settings",
      Object.fromEntries(Object.entries(props.packagedSettings).map(([name, value]) => [name, JSON.parse(value as string)])),
    );

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: config.logRetentionDays,
      ...(props.kmsKey ? { kmsKeyId: props.kmsKey.arn, dependsOn: [...props.kmsKey.dependsOn] } : {}),
    });

    this.role = new IamRole(this, "role", {
      name: `${props.functionName}-role`,
      description: "scopegate authorizer: read grants, sign legacy users in, write its own logs",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });

    const policy = new IamRolePolicy(this, "policy", {
      name: "authorizer",
      role: this.role.id,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: rolePolicyStatements(props, this.logGroup.arn) }),
    });

    this.function = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: "scopegate authorizer: Cognito access tokens, Basic sign-in and DynamoDB grants",
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      filename: asset.path,
      sourceCodeHash: Fn.filebase64sha256(asset.path),
      memorySize: config.memorySizeMb,
      timeout: config.timeoutSeconds,
      reservedConcurrentExecutions: config.reservedConcurrency ?? -1,
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
      environment: { variables: { ...props.environment } },
      ...(props.kmsKey ? { kmsKeyArn: props.kmsKey.arn } : {}),
      dependsOn: [this.logGroup, policy],
    });
  }
}

/**
 * Writes the deployment package: the bundle and `authorizer-settings.json`, zipped with fixed
 * timestamps so that the same commit always yields the same `source_code_hash`.
 *
 * @returns the zip file's path
 */
function writeDeploymentPackage(props: AuthorizerFunctionProps): string {
  // One folder per function: stacks of several environments share the bundle, not the settings.
  const zipFile = join(dirname(props.bundleFile), props.functionName, "authorizer.zip");
  mkdirSync(dirname(zipFile), { recursive: true });
  writeFileSync(
    zipFile,
    deterministicZip([
      { name: "index.js", content: readFileSync(props.bundleFile) },
      { name: PACKAGED_SETTINGS_FILE, content: Buffer.from(encodePackagedSettings(props.packagedSettings)) },
    ]),
  );
  return zipFile;
}

/**
 * What the role may do, and no more: read grants, write its own log streams, send X-Ray segments; with
 * Basic sign-in, sign legacy users in to the pool and count their failures; with a customer managed
 * key, decrypt the environment.
 */
function rolePolicyStatements(props: AuthorizerFunctionProps, logGroupArn: string): Record<string, unknown>[] {
  const statements: Record<string, unknown>[] = [
    { Sid: "ReadGrants", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: [props.tableArn] },
    { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${logGroupArn}:*`] },
    // X-Ray has no resource-level permissions: "*" is the only resource these actions accept.
    { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: ["*"] },
  ];
  if (props.basicSignInUserPoolArn !== undefined) {
    statements.push({
      Sid: "SignInLegacyUsers",
      Effect: "Allow",
      Action: ["cognito-idp:AdminInitiateAuth"],
      Resource: [props.basicSignInUserPoolArn],
    });
    statements.push(signInCounterStatement(props.tableArn));
  }
  if (props.kmsKey !== undefined) {
    statements.push({ Sid: "DecryptEnvironment", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [props.kmsKey.arn] });
  }
  return statements;
}

/**
 * Fails synth when the environment would pass Lambda's limit: a stack that plans cleanly and fails
 * at apply. Values Terraform fills in later are estimated.
 */
function checkEnvironmentSize(environment: Readonly<Record<string, string>>): void {
  const { totalBytes: size, byVariable } = estimateEnvironmentSize(environment, /\$\{TfToken\[[^\]]+\]\}/g);
  if (size <= LAMBDA_ENVIRONMENT_LIMIT_BYTES) return;
  const largest = byVariable
    .slice(0, 3)
    .map(([name, bytes]) => `${name} ${bytes} bytes`)
    .join(", ");
  throw new ConfigError("the configuration", [
    {
      path: "appClients",
      message:
        `the authorizer's environment needs about ${size} bytes, over Lambda's limit of ${LAMBDA_ENVIRONMENT_LIMIT_BYTES} bytes for all ` +
        `variables together (largest: ${largest}); ${AUTHORIZER_VARIABLES.appClientIds} grows with the browser and machine clients: split the API ` +
        "into several configurations or use fewer app clients",
    },
  ]);
}
