import { parseConfig } from "../../../stacks/config/parse";
import { configIssues, exampleDocument } from "../../../testing/config";
import resourceServer from "../../fixtures/aws-cli/resource-server.json";
import webClient from "../../fixtures/aws-cli/client-web.json";
import machineClient from "../../fixtures/aws-cli/client-machine.json";
import legacyClient from "../../fixtures/aws-cli/client-legacy.json";

/** The example with its resource server and clients replaced by AWS CLI input documents. */
function cliDocument(clients: unknown[] = [webClient, machineClient, legacyClient]): Record<string, any> {
  const doc = exampleDocument();
  doc.resourceServers = [{ awsCliInput: resourceServer }];
  // scopegate's own field goes next to the CLI input: the legacy client's designated Basic account.
  doc.appClients = clients.map((c) =>
    (c as { ClientName?: string }).ClientName === "legacy" ? { awsCliInput: c, basicUsers: ["svc-reports"] } : { awsCliInput: c },
  );
  return doc;
}

function issuesOf(doc: unknown): string[] {
  return configIssues(doc).map((i) => `${i.path}: ${i.message}`);
}

describe("AWS CLI input documents", () => {
  test("map onto the same model as the native fields", () => {
    // GIVEN the create-resource-server and create-user-pool-client inputs of the example
    const fromCli = parseConfig(cliDocument(), "cli.json");
    const native = parseConfig(exampleDocument(), "native.json");
    // THEN the resource server is identical, and each client gets its kind from its flows
    expect(fromCli.resourceServers).toEqual(native.resourceServers);
    expect(fromCli.appClients.map((c) => [c.name, c.kind, c.scopes])).toEqual(native.appClients.map((c) => [c.name, c.kind, c.scopes]));
    // AND token validities are converted from the CLI's units
    expect(fromCli.appClients[0]).toMatchObject({
      accessTokenValidityMinutes: 60,
      idTokenValidityMinutes: 60,
      refreshTokenValidityDays: 10,
    });
    expect(fromCli.appClients[1].accessTokenValidityMinutes).toBe(30);
  });

  const broken: [string, Record<string, unknown>, string][] = [
    [
      "fails when client_credentials is mixed with the code flow",
      { ...webClient, AllowedOAuthFlows: ["code", "client_credentials"] },
      "appClients[0].awsCliInput.AllowedOAuthFlows: client_credentials cannot be mixed with user flows",
    ],
    [
      "fails when a code-flow client generates a secret",
      { ...webClient, GenerateSecret: true },
      "appClients[0].awsCliInput.GenerateSecret: must be false for a code-flow client",
    ],
    [
      "fails when a field is not supported",
      { ...webClient, ReadAttributes: ["email"] },
      "appClients[0].awsCliInput.ReadAttributes: is not supported: attribute permissions are not managed by scopegate",
    ],
    [
      "fails when user-existence errors are LEGACY",
      { ...webClient, PreventUserExistenceErrors: "LEGACY" },
      'appClients[0].awsCliInput.PreventUserExistenceErrors: must be "ENABLED"',
    ],
    [
      "fails when token revocation is off",
      { ...webClient, EnableTokenRevocation: false },
      "appClients[0].awsCliInput.EnableTokenRevocation: must be true",
    ],
    [
      "fails when a client-side password flow is asked for",
      { ...legacyClient, ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] },
      'appClients[0].awsCliInput.ExplicitAuthFlows[0]: "ALLOW_USER_PASSWORD_AUTH" lets any holder of the client id try passwords',
    ],
    [
      "fails when the implicit flow stands alone",
      { ...webClient, AllowedOAuthFlows: ["implicit"] },
      'appClients[0].awsCliInput.AllowedOAuthFlows: "implicit" alone is not supported',
    ],
    [
      "fails when a mapped field is invalid, under the CLI's field name",
      { ...webClient, AllowedOAuthScopes: ["api.example.com/nope"] },
      'appClients[0].awsCliInput.AllowedOAuthScopes[0]: scope "api.example.com/nope" is not defined',
    ],
    [
      "fails when the client name is not one scopegate accepts",
      { ...webClient, ClientName: "Web App" },
      'appClients[0].awsCliInput.ClientName: must match ^[a-z][a-z0-9-]*$ (at most 63 characters), got "Web App"',
    ],
    [
      "fails when a validity is not whole minutes",
      { ...webClient, AccessTokenValidity: 90, TokenValidityUnits: { AccessToken: "seconds" } },
      "appClients[0].awsCliInput.AccessTokenValidity: must be a whole number of minutes, got 90 seconds",
    ],
    ["fails when the kind cannot be told", { ClientName: "odd" }, "appClients[0].awsCliInput: cannot tell the client's kind"],
  ];

  test.each(broken)("%s", (_title, client, expected) => {
    // GIVEN one broken client document WHEN parsed THEN the problem names the CLI field
    const doc = cliDocument([client, machineClient]);
    expect(issuesOf(doc)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  test("fails when a resource server scope lacks its description, under the CLI's field names", () => {
    const doc = cliDocument();
    doc.resourceServers[0].awsCliInput = {
      ...resourceServer,
      Scopes: [{ ScopeName: "read" }, { ScopeName: "write", ScopeDescription: "w" }],
    };
    expect(issuesOf(doc)).toEqual(["resourceServers[0].awsCliInput.Scopes[0].ScopeDescription: is required (1-256 printable characters)"]);
  });

  test("fails when native fields and awsCliInput are mixed", () => {
    const doc = cliDocument();
    doc.resourceServers[0].identifier = "api.example.com";
    expect(issuesOf(doc)).toContain("resourceServers[0]: give either awsCliInput (or awsCliInputFile) or the native fields, not both");
  });
});
