import { ConfigError } from "../../../stacks/config/errors";
import { parseConfig } from "../../../stacks/config/parse";
import { configIssues, exampleDocument } from "../../../testing/config";

describe("parseConfig", () => {
  test("the built-in example is valid and gets secure defaults", () => {
    // GIVEN the example WHEN parsed
    const config = parseConfig(exampleDocument(), "example");
    // THEN every security default is on
    expect(config.userPool).toMatchObject({ deletionProtection: true, mfa: "OPTIONAL", signInWith: "username" });
    expect(config.userPool.passwordPolicy).toEqual({
      minimumLength: 14,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
      temporaryPasswordValidityDays: 3,
    });
    expect(config.appClients.map((c) => [c.name, c.kind, c.allowImplicitFlow, c.refreshTokenValidityDays])).toEqual([
      ["web", "browser", false, 10],
      ["machine", "machine", false, 10],
      ["legacy", "legacy", false, 10],
    ]);
    expect(config.backend).toEqual({ type: "local", path: "terraform.tfstate" });
    expect(config.authorizer).toMatchObject({ resultTtlSeconds: 300, grantCacheTtlSeconds: 30, reservedConcurrency: null });
  });

  test("reports every problem together, each with its path, value and what is allowed", () => {
    // GIVEN three independent mistakes
    const doc = exampleDocument();
    doc.resourceServers[0].scopes.push({ name: "Read", description: "unused" });
    doc.appClients[0].scopes.push("api.example.com/delete");
    doc.api.routes[0].method = "FETCH";
    // WHEN parsed THEN all three are reported, in document order
    const error = (() => {
      try {
        parseConfig(doc, "my.json");
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error("not refused");
    })();
    expect(error.code).toBe("ERR_CONFIG_INVALID");
    expect(error.issues.map((i) => i.path)).toEqual([
      "resourceServers[0].scopes[2].name",
      "appClients[0].scopes[2]",
      "api.routes[0].method",
    ]);
    expect(error.message).toContain("my.json is not a valid scopegate configuration (3 problems)");
    expect(error.message).toContain(
      'resourceServers[0].scopes[2].name: must match ^[a-z][a-z0-9._-]*$ (at most 63 characters), got "Read"',
    );
    expect(error.message).toContain(
      'appClients[0].scopes[2]: scope "api.example.com/delete" is not defined; defined scopes: openid, email, profile, phone, api.example.com/read',
    );
    expect(error.message).toContain(
      'api.routes[0].method: must be one of "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", got "FETCH"',
    );
  });

  // The corpus of broken configurations: each mutation of the valid example, and the problem it must produce.
  const corpus: [string, (doc: Record<string, any>) => void, string, string][] = [
    [
      "fails when a client asks for an undefined scope",
      (d) => (d.appClients[1].scopes = ["api.example.com/admin"]),
      "appClients[1].scopes[0]",
      'scope "api.example.com/admin" is not defined; defined custom scopes: api.example.com/read, api.example.com/write',
    ],
    [
      "fails when a machine client asks for openid",
      (d) => (d.appClients[1].scopes = ["openid"]),
      "appClients[1].scopes[0]",
      "a machine client may only ask for custom scopes",
    ],
    [
      "fails when a route requires an undefined scope",
      (d) => (d.api.routes[2].scopes = ["api.example.com/root"]),
      "api.routes[2].scopes[0]",
      'scope "api.example.com/root" is not defined; defined scopes: api.example.com/read, api.example.com/write, openid',
    ],
    [
      "fails when a cognito route has no scope (ID tokens would pass)",
      (d) => (d.api.routes[2].scopes = []),
      "api.routes[2].scopes",
      "without scopes the native authorizer also accepts ID tokens",
    ],
    [
      "fails when two clients share a name",
      (d) => (d.appClients[1].name = "web"),
      "appClients[1].name",
      'duplicate client name "web" (also at index 0)',
    ],
    [
      "fails when two resource servers share an identifier",
      (d) => d.resourceServers.push(JSON.parse(JSON.stringify(d.resourceServers[0]))),
      "resourceServers[1].identifier",
      'duplicate identifier "api.example.com"',
    ],
    [
      "fails when a scope is defined twice",
      (d) => (d.resourceServers[0].scopes[1].name = "read"),
      "resourceServers[0].scopes[1].name",
      'duplicate scope name "read"',
    ],
    [
      "fails when two routes are the same",
      (d) => d.api.routes.push({ ...d.api.routes[0] }),
      "api.routes[4]",
      'duplicate route "GET /resource"',
    ],
    [
      "fails when a resource server identifier is not a domain",
      (d) => (d.resourceServers[0].identifier = "My API"),
      "resourceServers[0].identifier",
      'a lowercase domain name such as "api.example.com" or an https URL without a trailing slash, got "My API"',
    ],
    [
      "fails when the domain prefix contains cognito",
      (d) => (d.userPool.domainPrefix = "my-cognito-login"),
      "userPool.domainPrefix",
      'without \\"aws\\", \\"amazon\\" or \\"cognito\\"'.replace(/\\"/g, '"'),
    ],
    ["fails when the name has capitals", (d) => (d.name = "ScopeGate"), "name", 'got "ScopeGate"'],
    [
      "fails when a field is misspelt",
      (d) => (d.userPool.deletionProtecion = false),
      "userPool.deletionProtecion",
      "unknown field; allowed fields here: name, domainPrefix, deletionProtection",
    ],
    [
      "fails when a route path has a trailing slash",
      (d) => (d.api.routes[0].path = "/resource/"),
      "api.routes[0].path",
      'got "/resource/"',
    ],
    [
      "fails when a callback URL is plain http",
      (d) => (d.appClients[0].callbackUrls = ["http://app.example.com/cb"]),
      "appClients[0].callbackUrls[0]",
      "must use https (plain http only for localhost)",
    ],
    [
      "fails when a callback URL has a fragment",
      (d) => (d.appClients[0].callbackUrls = ["https://app.example.com/cb#x"]),
      "appClients[0].callbackUrls[0]",
      "must not contain a fragment",
    ],
    [
      "fails when a browser client has no callback URL",
      (d) => (d.appClients[0].callbackUrls = []),
      "appClients[0].callbackUrls",
      "a browser client needs at least one callback URL",
    ],
    [
      "fails when a machine client opts into the implicit flow",
      (d) => (d.appClients[1].allowImplicitFlow = true),
      "appClients[1].allowImplicitFlow",
      'applies only to kind "browser"',
    ],
    [
      "fails when a legacy client asks for scopes",
      (d) => (d.appClients[2].scopes = ["api.example.com/read"]),
      "appClients[2].scopes",
      "password sign-in tokens carry no custom scopes",
    ],
    [
      "fails when the admin scope is asked for without opting in",
      (d) => d.appClients[0].scopes.push("aws.cognito.signin.user.admin"),
      "appClients[0].scopes[2]",
      "set allowUserAdminScope: true",
    ],
    [
      "fails when two legacy clients exist",
      (d) => d.appClients.push({ name: "legacy2", kind: "legacy" }),
      "appClients",
      'at most one client of kind "legacy"',
    ],
    [
      "fails when the legacy client designates no Basic account",
      (d) => delete d.appClients[2].basicUsers,
      "appClients[2].basicUsers",
      "a legacy client must designate the application accounts that may use Basic",
    ],
    [
      "fails when a designated Basic account is not a configured user",
      (d) => (d.appClients[2].basicUsers = ["mallory"]),
      "appClients[2].basicUsers[0]",
      'user "mallory" is not configured; configured users: alice, bob, svc-reports',
    ],
    [
      "fails when a designated Basic account is listed twice in another case",
      (d) => (d.appClients[2].basicUsers = ["svc-reports", "SVC-Reports"]),
      "appClients[2].basicUsers[1]",
      "duplicate username (case-insensitive)",
    ],
    [
      "fails when a browser client names Basic accounts",
      (d) => (d.appClients[0].basicUsers = ["alice"]),
      "appClients[0].basicUsers",
      'applies only to kind "legacy"',
    ],
    [
      "fails when the pool requires MFA of every user and a Basic account is designated",
      (d) => (d.userPool.mfa = "ON"),
      "appClients[2].basicUsers[0]",
      "a Basic account cannot answer an MFA challenge",
    ],
    [
      "fails when threat protection is asked for on the Essentials tier",
      (d) => (d.userPool.threatProtection = "enforced"),
      "userPool.threatProtection",
      'needs userPool.tier "PLUS" (threat protection is a feature of the Plus tier), got "enforced" with tier "ESSENTIALS"',
    ],
    [
      "fails when the Basic rate limit is below WAF's minimum",
      (d) => (d.api.basicRateLimit = { requestsPer5MinutesPerIp: 5 }),
      "api.basicRateLimit.requestsPer5MinutesPerIp",
      "must be a whole number from 10 to 2000000000",
    ],
    [
      "fails when the Basic rate limit is turned on where the stage accepts no Basic",
      (d) => {
        d.appClients.pop();
        d.api.basicRateLimit = { enabled: true };
      },
      "api.basicRateLimit.enabled",
      "the stage accepts no Basic credentials",
    ],
    [
      "fails when a token validity is out of range",
      (d) => (d.appClients[0].accessTokenValidityMinutes = 2000),
      "appClients[0].accessTokenValidityMinutes",
      "must be a whole number from 5 to 1440 minutes, got 2000",
    ],
    [
      "fails when a grant names an unknown user",
      (d) => (d.authorizationTable.grants[0].principal = { user: "mallory" }),
      "authorizationTable.grants[0].principal.user",
      'user "mallory" is not configured; configured users: alice, bob, svc-reports',
    ],
    [
      "fails when a grant names a browser client",
      (d) => (d.authorizationTable.grants[1].principal = { client: "web" }),
      "authorizationTable.grants[1].principal.client",
      'client "web" is not a machine client',
    ],
    [
      "fails when a grant names both a user and a client",
      (d) => (d.authorizationTable.grants[0].principal = { user: "alice", client: "machine" }),
      "authorizationTable.grants[0].principal",
      'must name exactly one of "user"',
    ],
    [
      "fails when a grant's route is malformed",
      (d) => (d.authorizationTable.grants[0].routes = ["get /resource"]),
      "authorizationTable.grants[0].routes[0]",
      'must be "<METHOD> <resource path>"',
    ],
    [
      "fails when a grant covers no lambda route",
      (d) => (d.authorizationTable.grants[0].routes = ["GET /reports"]),
      "authorizationTable.grants[0].routes[0]",
      '"GET /reports" matches no route on the lambda guard, so it would grant nothing; lambda routes: GET /resource, POST /resource',
    ],
    [
      "fails when two grants name one principal",
      (d) => d.authorizationTable.grants.push({ principal: { user: "alice" }, routes: ["POST /resource"] }),
      "authorizationTable.grants[3].principal",
      'duplicate principal "user alice"',
    ],
    [
      "fails when a user names an undefined group",
      (d) => (d.users[0].groups = ["admins"]),
      "users[0].groups[0]",
      'group "admins" is not defined; defined groups: readers, writers',
    ],
    [
      "fails when a password is put in the configuration",
      (d) => (d.users[0].password = "hunter2"),
      "users[0].password",
      "passwords never go in the configuration",
    ],
    [
      "fails when the log retention is not one CloudWatch accepts",
      (d) => (d.api.logRetentionDays = 42),
      "api.logRetentionDays",
      "must be one of CloudWatch's retention periods",
    ],
    [
      "fails when the local state path is absolute",
      (d) => (d.backend = { type: "local", path: "/var/state.tfstate" }),
      "backend.path",
      "a relative path inside the stack folder",
    ],
    [
      "fails when S3 state has no locking",
      (d) => (d.backend = { type: "s3", bucket: "my-state", key: "sg.tfstate", useLockfile: false }),
      "backend.useLockfile",
      "keep useLockfile true or name a dynamodbTable",
    ],
    [
      "fails when the authorizer timeout exceeds API Gateway's",
      (d) => (d.authorizer = { timeoutSeconds: 30 }),
      "authorizer.timeoutSeconds",
      "must be a whole number from 1 to 29 seconds",
    ],
    [
      "fails when a JWKS snapshot key is not RSA",
      (d) => (d.authorizer = { jwksSnapshot: { keys: [{ kty: "EC", kid: "k" }] } }),
      "authorizer.jwksSnapshot",
      "public RSA keys of at least 2048 bits",
    ],
    [
      "fails when a JWKS snapshot is empty",
      (d) => (d.authorizer = { jwksSnapshot: { keys: [] } }),
      "authorizer.jwksSnapshot",
      'got {"keys":[]}',
    ],
    [
      "fails when the Basic sign-in failure limit reaches Cognito's own lock-out (5 failures)",
      (d) => (d.authorizer = { basicSignInFailureLimit: 5 }),
      "authorizer.basicSignInFailureLimit",
      "below Cognito's lock-out",
    ],
    [
      "fails when the Basic sign-in failure window is beyond a day",
      (d) => (d.authorizer = { basicSignInFailureWindowSeconds: 86_401 }),
      "authorizer.basicSignInFailureWindowSeconds",
      "86401",
    ],
    ["fails when the root is not an object", (d) => Object.keys(d).forEach((k) => delete d[k]), "name", "is required"],
  ];

  test.each(corpus)("%s", (_title, mutate, path, message) => {
    // GIVEN the example with one mistake
    const doc = exampleDocument();
    mutate(doc);
    // WHEN parsed THEN exactly that mistake is reported at its path
    const issues = configIssues(doc);
    const match = issues.find((issue) => issue.path === path);
    expect({ issues, match: match !== undefined }).toEqual(expect.objectContaining({ match: true }));
    expect(match?.message).toContain(message);
  });

  test("GIVEN the example THEN the legacy client designates svc-reports, the pool is Essentials without threat protection, and Basic is rate-limited at 2000 requests per 5 minutes per IP", () => {
    const config = parseConfig(exampleDocument(), "t");
    expect(config.appClients.map((c) => [c.name, c.basicUsers])).toEqual([
      ["web", []],
      ["machine", []],
      ["legacy", ["svc-reports"]],
    ]);
    expect(config.userPool).toMatchObject({ tier: "ESSENTIALS", threatProtection: "off" });
    expect(config.api.basicRateLimit).toEqual({ enabled: true, requestsPer5MinutesPerIp: 2000 });
  });

  test("GIVEN the Basic rate limit turned off on purpose THEN it is off; GIVEN Plus with threat protection THEN both are kept", () => {
    const doc = exampleDocument();
    doc.api.basicRateLimit = { enabled: false };
    doc.userPool.tier = "PLUS";
    doc.userPool.threatProtection = "audit";
    const config = parseConfig(doc, "t");
    expect(config.api.basicRateLimit.enabled).toBe(false);
    expect(config.userPool).toMatchObject({ tier: "PLUS", threatProtection: "audit" });
  });

  test("fails when the document is not an object", () => {
    expect(configIssues([1, 2])[0]).toEqual({ path: "(root)", message: "must be an object, got [1,2]" });
  });

  test("signInWith email requires e-mail usernames", () => {
    const doc = exampleDocument();
    doc.userPool.signInWith = "email";
    const issues = configIssues(doc);
    expect(issues.map((i) => i.path)).toEqual(["users[0].username", "users[1].username", "users[2].username"]);
    doc.users = [{ username: "alice@example.com", groups: ["readers"] }, { username: "svc-reports@example.com" }];
    doc.authorizationTable.grants[0].principal.user = "alice@example.com";
    doc.authorizationTable.grants[1].principal.user = "svc-reports@example.com";
    doc.appClients[2].basicUsers = ["SVC-reports@example.com"];
    expect(parseConfig(doc, "t").users[0]).toEqual({ username: "alice@example.com", email: "alice@example.com", groups: ["readers"] });
  });

  test("an S3 backend defaults to the configured region and S3-native locking", () => {
    const doc = exampleDocument();
    doc.region = "eu-west-1";
    doc.backend = { type: "s3", bucket: "team-state", key: "scopegate/prod.tfstate" };
    expect(parseConfig(doc, "t").backend).toEqual({
      type: "s3",
      bucket: "team-state",
      key: "scopegate/prod.tfstate",
      region: "eu-west-1",
      useLockfile: true,
    });
  });
});
