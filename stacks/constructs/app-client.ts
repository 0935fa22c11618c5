import { Construct } from "constructs";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { AppClientConfig, AppClientKind } from "../config/model";
import { splitScopeIdentifier } from "../../core/scopes";
import { ResourceServer } from "./resource-server";

/** Props of {@link AppClient}. */
export interface AppClientProps {
  readonly config: AppClientConfig;
  readonly userPoolId: string;
  /** Name prefix of the stack, so client names stay unique across environments. */
  readonly namePrefix: string;
  /** Resource servers whose scopes the client may ask for. */
  readonly resourceServers: readonly ResourceServer[];
  /**
   * The client exists already and the stack imports it (`adopt.clients`): `generate_secret` is left
   * as the client has it ({@link ADOPTED_CLIENT_IGNORED_ATTRIBUTES}).
   *
   * @default false - a new client
   */
  readonly adopted?: boolean;
}

/**
 * Arguments of an adopted client that the stack leaves as they are. Provider 5.100 does not read
 * `generate_secret` when it imports a client, so a configured value differs from the imported
 * (null) one and forces replacement: a new client id and secret for every application (measured:
 * the plan against the emulator replaced every imported client). Whether an existing client has a
 * secret cannot change anyway; adoption checks it matches the client's kind.
 */
export const ADOPTED_CLIENT_IGNORED_ATTRIBUTES: readonly string[] = ["generate_secret"];

/** What each kind of client may do, in one table. */
const FLOWS: Readonly<Record<AppClientKind, { oauthFlows: string[]; authFlows: string[]; secret: boolean }>> = {
  // Hosted UI with authorization code + PKCE. Only refresh is allowed outside the hosted UI.
  browser: { oauthFlows: ["code"], authFlows: ["ALLOW_REFRESH_TOKEN_AUTH"], secret: false },
  // Service to service; Cognito issues no refresh token for client_credentials.
  machine: { oauthFlows: ["client_credentials"], authFlows: ["ALLOW_REFRESH_TOKEN_AUTH"], secret: true },
  // Signed in by the Lambda authorizer with IAM credentials (ADMIN_USER_PASSWORD_AUTH).
  legacy: { oauthFlows: [], authFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], secret: false },
};

/**
 * A Cognito app client of one of three kinds (browser, machine, legacy). Flows, token
 * validities, user-existence errors and token revocation are always set explicitly: an empty
 * `explicit_auth_flows` would let Cognito enable SRP and custom auth, and the provider's default
 * for user-existence errors is `LEGACY`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html
 */
export class AppClient extends Construct {
  /** The `aws_cognito_user_pool_client` resource. */
  readonly resource: CognitoUserPoolClient;
  /** The client's configured name (not the Cognito client id). */
  readonly name: string;
  readonly kind: AppClientKind;

  constructor(scope: Construct, id: string, props: AppClientProps) {
    super(scope, id);
    const { config } = props;
    const flows = FLOWS[config.kind];
    const oauthFlows = config.allowImplicitFlow ? [...flows.oauthFlows, "implicit"] : flows.oauthFlows;
    this.name = config.name;
    this.kind = config.kind;

    this.resource = new CognitoUserPoolClient(this, "client", {
      name: `${props.namePrefix}-${config.name}`,
      userPoolId: props.userPoolId,
      generateSecret: flows.secret,
      allowedOauthFlowsUserPoolClient: oauthFlows.length > 0,
      allowedOauthFlows: oauthFlows,
      allowedOauthScopes: config.scopes.map((s) => scopeReference(s, props.resourceServers)),
      explicitAuthFlows: flows.authFlows,
      // The user pool itself; a legacy client never uses the OAuth endpoints.
      supportedIdentityProviders: config.kind === "legacy" ? [] : ["COGNITO"],
      callbackUrls: [...config.callbackUrls],
      logoutUrls: [...config.logoutUrls],
      preventUserExistenceErrors: "ENABLED",
      enableTokenRevocation: true,
      enablePropagateAdditionalUserContextData: false,
      authSessionValidity: 3,
      accessTokenValidity: config.accessTokenValidityMinutes,
      idTokenValidity: config.idTokenValidityMinutes,
      refreshTokenValidity: config.refreshTokenValidityDays,
      tokenValidityUnits: [{ accessToken: "minutes", idToken: "minutes", refreshToken: "days" }],
      ...(props.adopted === true ? { lifecycle: { ignoreChanges: [...ADOPTED_CLIENT_IGNORED_ATTRIBUTES] } } : {}),
    });
  }
}

/**
 * A custom scope becomes a reference to its resource server (so Terraform orders creation);
 * standard scopes stay literal.
 */
function scopeReference(scope: string, servers: readonly ResourceServer[]): string {
  const parts = splitScopeIdentifier(scope);
  if (parts === undefined) return scope;
  const server = servers.find((s) => s.identifier === parts.identifier && s.defines(scope));
  if (server === undefined) {
    throw new Error(`scope "${scope}" is defined by no resource server; configuration validation should have refused it`);
  }
  return server.scopeReference(parts.name);
}
