import { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ScopegateConfig } from "./config/model";
import { ChecksFileSynthesizer } from "./checks-file";
import { BundleRecordSynthesizer } from "./bundle-record-file";
import { readBundleRecord } from "./authorizer-bundle";
import { AppClient } from "./constructs/app-client";
import { AuthorizationTable, SeededGrantItem } from "./constructs/authorization-table";
import { AuthorizerFunction } from "./constructs/authorizer-function";
import { EncryptionKey, KmsKeyUse } from "./constructs/encryption-key";
import { ResourceServer } from "./constructs/resource-server";
import { LambdaGuard, RestApi } from "./constructs/rest-api";
import { UserAccounts } from "./constructs/user-accounts";
import { UserPool } from "./constructs/user-pool";
import { BasicRateLimitAcl } from "./constructs/web-acl";
import { VerifiedPermissionsExport } from "./constructs/verified-permissions";
import { renderCedarTwin } from "./cedar/render";
import { importAdopted } from "./adopted-resources";
import { basicUsernameKey } from "../contracts/basic-users";
import { encodeAuthorizerEnvironment, type AuthorizerDeployment } from "../contracts/authorizer-environment";
import { encodePackagedVariables, type PackagedVariable } from "../contracts/packaged-settings";
import { clientPrincipal, userPrincipal } from "../core/grant-item";
import { routeScopeTable } from "../core/routes";

/** Props of {@link ScopegateStack}. */
export interface ScopegateStackProps {
  readonly config: ScopegateConfig;
  /**
   * Builds the authorizer bundle and returns the path of its `index.js`. Called only when a
   * route uses the `lambda` guard.
   */
  readonly buildAuthorizer: () => string;
}

/**
 * The composition root of one scopegate environment: connects the constructs' typed attributes
 * and declares the outputs. No logic of its own beyond wiring.
 */
export class ScopegateStack extends TerraformStack {
  readonly userPool: UserPool;
  readonly clients: ReadonlyMap<string, AppClient>;
  readonly table: AuthorizationTable;
  readonly api: RestApi;
  readonly authorizer?: AuthorizerFunction;

  constructor(scope: Construct, id: string, props: ScopegateStackProps) {
    super(scope, id);
    const { config } = props;
    // The configuration's check suppressions travel next to cdk.tf.json, for `npm run check`.
    this.synthesizer = new ChecksFileSynthesizer(this, this.synthesizer, config.checks);
    declareBackend(this, config.backend);
    const region = declareAwsProvider(this, config);
    const kmsKey = encryptionKeyUse(this, config);

    this.userPool = new UserPool(this, "user-pool", { config: config.userPool, region, adopted: config.adopt !== undefined });
    const userPoolId = this.userPool.id;
    const servers = config.resourceServers.map(
      (server) => new ResourceServer(this, `resource-server-${server.identifier}`, { config: server, userPoolId }),
    );
    this.clients = new Map(
      config.appClients.map((client) => [
        client.name,
        new AppClient(this, `client-${client.name}`, {
          config: client,
          userPoolId,
          namePrefix: config.name,
          resourceServers: servers,
          adopted: config.adopt?.clients[client.name] !== undefined,
        }),
      ]),
    );
    const accounts = new UserAccounts(this, "users", {
      userPoolId,
      groups: config.groups,
      users: config.users,
      signInWith: config.userPool.signInWith,
      adoptedUsers: config.adopt?.users ?? [],
    });
    // Existing Cognito resources the configuration adopts: the first plan imports them.
    if (config.adopt !== undefined) {
      importAdopted(config.adopt, { userPool: this.userPool, resourceServers: servers, clients: this.clients, accounts });
    }

    this.table = new AuthorizationTable(this, "authorization-table", {
      tableName: `${config.name}-grants`,
      grants: seededGrants(config, accounts, this.clients),
      ...(kmsKey ? { kmsKeyArn: kmsKey.arn } : {}),
      // An attached pool's region is checked at plan time on a resource every stack has.
      ...(this.userPool.regionPrecondition ? { preconditions: [this.userPool.regionPrecondition] } : {}),
    });

    if (config.api.routes.some((route) => route.guard === "lambda")) {
      this.authorizer = this.createAuthorizer(config, props.buildAuthorizer, accounts, kmsKey);
    }
    this.api = new RestApi(this, "rest-api", {
      config: config.api,
      userPoolArn: this.userPool.arn,
      ...(kmsKey ? { logsKmsKey: kmsKey } : {}),
      ...(this.authorizer ? { lambdaGuard: lambdaGuardOf(this.authorizer, config, this.clients) } : {}),
    });

    if (config.api.basicRateLimit.enabled) {
      new BasicRateLimitAcl(this, "basic-rate-limit", {
        name: `${config.name}-basic-rate-limit`,
        stageArn: this.api.stage.arn,
        requestsPer5MinutesPerIp: config.api.basicRateLimit.requestsPer5MinutesPerIp,
      });
    }
    if (config.verifiedPermissions.export) {
      new VerifiedPermissionsExport(this, "verified-permissions", {
        twin: renderCedarTwin(config),
        userPoolArn: this.userPool.arn,
        clientIds: tokenClientIds(this.clients.values()),
      });
    }

    this.declareOutputs(config);
  }

  /**
   * The Lambda authorizer, deployed with this stack's pool, table and clients, from the bundle
   * `buildAuthorizer` builds (once per synth).
   */
  private createAuthorizer(
    config: ScopegateConfig,
    buildAuthorizer: () => string,
    accounts: UserAccounts,
    kmsKey: KmsKeyUse | undefined,
  ): AuthorizerFunction {
    const bundleFile = buildAuthorizer();
    // What the bundle was built from travels next to cdk.tf.json, for `npm run handoff`.
    const record = readBundleRecord(bundleFile);
    if (record !== undefined) this.synthesizer = new BundleRecordSynthesizer(this, this.synthesizer, record);
    const clients = [...this.clients.values()];
    const acceptsBasic = clients.some((client) => client.kind === "legacy");
    return new AuthorizerFunction(this, "authorizer", {
      config: config.authorizer,
      functionName: `${config.name}-authorizer`,
      bundleFile,
      tableArn: this.table.table.arn,
      ...(acceptsBasic ? { basicSignInUserPoolArn: this.userPool.arn } : {}),
      ...(kmsKey ? { kmsKey } : {}),
      environment: encodeAuthorizerEnvironment(
        authorizerDeployment(config, {
          userPool: this.userPool,
          table: this.table,
          clients,
          basicUserNames: designatedBasicNames(config, accounts),
        }),
      ),
      packagedSettings: authorizerPackagedSettings(config),
    });
  }

  private declareOutputs(config: ScopegateConfig): void {
    const pool = this.userPool;
    const output = (id: string, value: string, description: string, sensitive = false) =>
      new TerraformOutput(this, id, { value, description, sensitive });
    output("user_pool_id", pool.id, "Cognito user pool id");
    output("user_pool_arn", pool.arn, "Cognito user pool ARN");
    output("issuer", pool.issuer, "Issuer (iss) of the pool's tokens");
    output("jwks_url", pool.jwksUrl, "The pool's public signing keys");
    // An attached pool without a configured domain keeps its own: its endpoints are not the stack's to state.
    if (pool.hostedUiBaseUrl !== undefined) {
      output("hosted_ui_base_url", pool.hostedUiBaseUrl, "Hosted UI and OAuth 2.0 endpoints");
      output("token_endpoint", `${pool.hostedUiBaseUrl}/oauth2/token`, "OAuth 2.0 token endpoint");
      output("authorize_endpoint", `${pool.hostedUiBaseUrl}/oauth2/authorize`, "OAuth 2.0 authorization endpoint (hosted UI)");
    }
    for (const [name, client] of this.clients) {
      const key = name.replace(/-/g, "_");
      output(`client_id_${key}`, client.resource.id, `App client id of "${name}" (${client.kind})`);
      if (client.kind === "machine") {
        output(`client_secret_${key}`, client.resource.clientSecret, `App client secret of "${name}"`, true);
      }
    }
    output("invoke_url", this.api.invokeUrl, `Base URL of the API's "${config.api.stageName}" stage`);
    output("rest_api_id", this.api.api.id, "REST API id (for example to flush the stage's authorizer cache)");
    output("stage_name", this.api.stage.stageName, "The API's stage name");
    output("authorization_table_name", this.table.table.name, "DynamoDB table of grants read by the authorizer");
  }
}

/** The stack's Terraform state: a local file, or an S3 bucket with encryption and locking. */
function declareBackend(stack: TerraformStack, backend: ScopegateConfig["backend"]): void {
  if (backend.type === "local") {
    new LocalBackend(stack, { path: backend.path });
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key: backend.key,
    region: backend.region,
    encrypt: true,
    ...(backend.dynamodbTable ? { dynamodbTable: backend.dynamodbTable } : {}),
  });
  // S3-native locking (Terraform 1.10+) postdates cdktf 0.21's S3Backend props.
  s3.addOverride("use_lockfile", backend.useLockfile);
}

/**
 * The `aws_region` variable (defaulting to the configured region) and the AWS provider in it, which
 * tags every resource with the stack's name.
 *
 * @returns the region as a Terraform reference
 */
function declareAwsProvider(stack: TerraformStack, config: ScopegateConfig): string {
  const region = new TerraformVariable(stack, "aws_region", {
    type: "string",
    default: config.region,
    description: "AWS region of every resource in this stack.",
  });
  new AwsProvider(stack, "aws", {
    region: region.stringValue,
    defaultTags: [{ tags: { "managed-by": "scopegate", "scopegate-stack": config.name } }],
  });
  return region.stringValue;
}

/** A customer managed key only where the configuration chooses one (`encryption.kmsKey`): created, or an existing one. */
function encryptionKeyUse(stack: TerraformStack, config: ScopegateConfig): KmsKeyUse | undefined {
  const choice = config.encryption.kmsKey;
  if (choice.type === "create") return new EncryptionKey(stack, "encryption-key", { name: config.name }).use;
  if (choice.type === "existing") return { arn: choice.arn, dependsOn: [] };
  return undefined;
}

/** The configured grants as table items, each principal as the authorizer sees it (a token's username, a client's id). */
function seededGrants(config: ScopegateConfig, accounts: UserAccounts, clients: ReadonlyMap<string, AppClient>): SeededGrantItem[] {
  return config.authorizationTable.grants.map((grant) =>
    "user" in grant.principal
      ? {
          id: `user-${grant.principal.user}`,
          principal: userPrincipal(accounts.tokenUsername(grant.principal.user)),
          routes: grant.routes,
        }
      : {
          id: `client-${grant.principal.client}`,
          principal: clientPrincipal(clientOf(clients, grant.principal.client).resource.id),
          routes: grant.routes,
        },
  );
}

/** The ids of the clients whose access tokens the API accepts: every client but the legacy one. */
function tokenClientIds(clients: Iterable<AppClient>): string[] {
  return [...clients].filter((client) => client.kind !== "legacy").map((client) => client.resource.id);
}

/** The Lambda authorizer as the REST API sees it. */
function lambdaGuardOf(authorizer: AuthorizerFunction, config: ScopegateConfig, clients: ReadonlyMap<string, AppClient>): LambdaGuard {
  return {
    invokeArn: authorizer.function.invokeArn,
    functionName: authorizer.function.functionName,
    resultTtlSeconds: config.authorizer.resultTtlSeconds,
    acceptsBasic: [...clients.values()].some((client) => client.kind === "legacy"),
    sourceIpInCacheKey: config.userPool.threatProtection !== "off",
  };
}

/** The authorizer's bulky settings, which travel in its package, not in the 4 KB environment. */
function authorizerPackagedSettings(config: ScopegateConfig): Partial<Record<PackagedVariable, string>> {
  const lambdaRoutes = config.api.routes.filter((route) => route.guard === "lambda");
  return encodePackagedVariables({
    routeScopes: routeScopeTable(lambdaRoutes),
    ...(config.authorizer.jwksSnapshot ? { jwksSnapshot: config.authorizer.jwksSnapshot } : {}),
  });
}

/**
 * The names a designated Basic account is known by: as configured (sent in Basic credentials) and, for
 * e-mail sign-in, the sub Cognito puts in its tokens' username claim.
 */
function designatedBasicNames(config: ScopegateConfig, accounts: UserAccounts): string[] {
  const legacyConfig = config.appClients.find((client) => client.kind === "legacy");
  return [
    ...new Set(
      (legacyConfig?.basicUsers ?? []).flatMap((name) => {
        // Validation matched each designated name to a configured user, case-insensitively as Cognito does.
        const user = config.users.find((candidate) => basicUsernameKey(candidate.username) === basicUsernameKey(name));
        if (user === undefined) throw new Error(`basicUsers names unknown user "${name}"; configuration validation should have refused it`);
        return [user.username, accounts.tokenUsername(user.username)];
      }),
    ),
  ];
}

/** The typed side of the authorizer's environment contract: what this stack deploys it with. */
function authorizerDeployment(
  config: ScopegateConfig,
  parts: { userPool: UserPool; table: AuthorizationTable; clients: readonly AppClient[]; basicUserNames: readonly string[] },
): AuthorizerDeployment {
  const legacy = parts.clients.find((client) => client.kind === "legacy");
  return {
    userPoolId: parts.userPool.id,
    issuer: parts.userPool.issuer,
    appClientIds: tokenClientIds(parts.clients),
    tableName: parts.table.table.name,
    ...(legacy
      ? {
          basic: {
            clientId: legacy.resource.id,
            users: parts.basicUserNames,
            signInFailureLimit: config.authorizer.basicSignInFailureLimit,
            signInFailureWindowSeconds: config.authorizer.basicSignInFailureWindowSeconds,
          },
        }
      : {}),
    threatProtection: config.userPool.threatProtection,
    grantCacheTtlSeconds: config.authorizer.grantCacheTtlSeconds,
    basicAuthCacheTtlSeconds: config.authorizer.basicAuthCacheTtlSeconds,
    // The longest access-token validity of the clients whose tokens it accepts.
    maxTokenLifetimeSeconds:
      60 * Math.max(...config.appClients.filter((c) => c.kind !== "legacy").map((c) => c.accessTokenValidityMinutes)),
  };
}

function clientOf(clients: ReadonlyMap<string, AppClient>, name: string): AppClient {
  const client = clients.get(name);
  if (client === undefined) throw new Error(`grant names unknown client "${name}"; configuration validation should have refused it`);
  return client;
}
