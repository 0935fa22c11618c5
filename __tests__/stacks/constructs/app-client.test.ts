import { resourceAt, synthStack, exampleConfig } from "../../../testing/synth";

const CLIENT = "aws_cognito_user_pool_client";
const SERVER = "aws_cognito_resource_server";

describe("AppClient", () => {
  const { tf } = synthStack();
  const serverRef = (scope: string) => {
    const [logicalId] = Object.keys(tf.resource[SERVER]);
    return `\${${SERVER}.${logicalId}.identifier}/${scope}`;
  };

  test("a browser client uses the code flow without a secret, and only on the hosted UI", () => {
    expect(resourceAt(tf, CLIENT, "client-web/client")).toMatchObject({
      name: "scopegate-example-web",
      generate_secret: false,
      allowed_oauth_flows_user_pool_client: true,
      allowed_oauth_flows: ["code"],
      allowed_oauth_scopes: ["openid", serverRef("read")],
      explicit_auth_flows: ["ALLOW_REFRESH_TOKEN_AUTH"],
      supported_identity_providers: ["COGNITO"],
      callback_urls: ["https://app.example.com/callback", "http://localhost:3000/callback"],
      logout_urls: ["https://app.example.com/signed-out"],
    });
  });

  test("a machine client uses client_credentials with a secret and its custom scope", () => {
    expect(resourceAt(tf, CLIENT, "client-machine/client")).toMatchObject({
      generate_secret: true,
      allowed_oauth_flows: ["client_credentials"],
      allowed_oauth_scopes: [serverRef("write")],
      explicit_auth_flows: ["ALLOW_REFRESH_TOKEN_AUTH"],
      supported_identity_providers: ["COGNITO"],
    });
  });

  test("a legacy client has no OAuth flow and only the admin password flow", () => {
    expect(resourceAt(tf, CLIENT, "client-legacy/client")).toMatchObject({
      generate_secret: false,
      allowed_oauth_flows_user_pool_client: false,
      allowed_oauth_flows: [],
      allowed_oauth_scopes: [],
      explicit_auth_flows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      supported_identity_providers: [],
    });
  });

  test("every client hides user existence, revokes tokens and states its token validities", () => {
    for (const client of Object.values<any>(tf.resource[CLIENT])) {
      expect(client).toMatchObject({
        prevent_user_existence_errors: "ENABLED",
        enable_token_revocation: true,
        access_token_validity: 60,
        id_token_validity: 60,
        refresh_token_validity: 10,
        token_validity_units: [{ access_token: "minutes", id_token: "minutes", refresh_token: "days" }],
      });
    }
  });

  test("the implicit flow appears only when a browser client opts in", () => {
    const { tf: optedIn } = synthStack(exampleConfig((d) => (d.appClients[0].allowImplicitFlow = true)));
    expect(resourceAt(optedIn, CLIENT, "client-web/client").allowed_oauth_flows).toEqual(["code", "implicit"]);
    expect(Object.values<any>(tf.resource[CLIENT]).some((c) => c.allowed_oauth_flows.includes("implicit"))).toBe(false);
  });
});
