import { show } from "../errors";
import { CLI_CLIENT_FIELD, fromCliClient } from "../aws-cli";
import { AppClientConfig, AppClientKind } from "../model";
import { Reader, at } from "../reader";
import { CLIENT_NAME, STANDARD_SCOPES, USER_ADMIN_SCOPE } from "../rules";
import { list } from "./shared";
import { CONFIGURATION_DEFAULTS } from "../../../core/defaults";
import { type JsonObject } from "../../../core/json";

const DEFAULTS = CONFIGURATION_DEFAULTS["appClients[]"];

const CLIENT_FIELDS = [
  "name",
  "kind",
  "scopes",
  "callbackUrls",
  "logoutUrls",
  "allowImplicitFlow",
  "allowUserAdminScope",
  "accessTokenValidityMinutes",
  "idTokenValidityMinutes",
  "refreshTokenValidityDays",
  "basicUsers",
  "awsCliInput",
] as const;

/** One of `appClients`: scopegate's own shape, or the input of `aws cognito-idp create-user-pool-client`, with its Basic accounts. */
export function readAppClient(r: Reader, value: unknown, path: string, customScopes: readonly string[]): AppClientConfig {
  const raw = r.object(value, path, CLIENT_FIELDS) ?? {};
  if (raw.awsCliInput !== undefined) {
    if (Object.keys(raw).some((key) => key !== "awsCliInput" && key !== "basicUsers")) {
      r.report(path, "give either awsCliInput (or awsCliInputFile) or the native fields, not both (basicUsers goes with either)");
    }
    const cliPath = at(path, "awsCliInput");
    const native = fromCliClient(r, raw.awsCliInput, cliPath);
    const before = r.issues.length;
    const client = readNativeAppClient(r, native, cliPath, customScopes);
    // Problems found in the mapped fields are reported under the AWS CLI's own field names.
    for (let i = before; i < r.issues.length; i++) {
      const issue = r.issues[i];
      const field = /^\.([A-Za-z]+)/.exec(issue.path.slice(cliPath.length))?.[1];
      if (issue.path.startsWith(cliPath) && field && CLI_CLIENT_FIELD[field]) {
        r.issues[i] = { ...issue, path: cliPath + "." + CLI_CLIENT_FIELD[field] + issue.path.slice(cliPath.length + 1 + field.length) };
      }
    }
    return { ...client, basicUsers: readBasicUsers(r, raw, path, client.kind) };
  }
  const client = readNativeAppClient(r, raw, path, customScopes);
  return { ...client, basicUsers: readBasicUsers(r, raw, path, client.kind) };
}

/**
 * The legacy client's designated Basic accounts. Only a legacy client has them, and it needs at
 * least one: nobody else may send a password as Basic. Each is checked against the configured
 * users by `parseConfig` (`index.ts`).
 */
function readBasicUsers(r: Reader, o: JsonObject, path: string, kind: AppClientKind): readonly string[] {
  if (kind !== "legacy") {
    if (o.basicUsers !== undefined) r.report(at(path, "basicUsers"), `applies only to kind "legacy" (the Basic sign-in client); remove it`);
    return DEFAULTS.basicUsers;
  }
  const basicUsers = r.strings(o, "basicUsers", path, { default: DEFAULTS.basicUsers });
  if (basicUsers.length === 0 && r.issues.every((issue) => issue.path !== at(path, "basicUsers"))) {
    r.report(
      at(path, "basicUsers"),
      `a legacy client must designate the application accounts that may use Basic, e.g. ["svc-reports"], got ${show(o.basicUsers ?? DEFAULTS.basicUsers)}; ` +
        "people sign in through a browser client instead",
    );
  }
  return basicUsers;
}

/** Reads an app client in scopegate's own shape. */
function readNativeAppClient(r: Reader, o: JsonObject, path: string, customScopes: readonly string[]): AppClientConfig {
  const name = r.string(o, "name", path, CLIENT_NAME);
  const kind: AppClientKind = r.oneOf(o, "kind", path, ["browser", "machine", "legacy"] as const);
  const scopes = r.strings(o, "scopes", path, { default: DEFAULTS.scopes });
  const callbackUrls = r.strings(o, "callbackUrls", path, { default: DEFAULTS.callbackUrls });
  const logoutUrls = r.strings(o, "logoutUrls", path, { default: DEFAULTS.logoutUrls });
  const allowImplicitFlow = r.boolean(o, "allowImplicitFlow", path, { default: DEFAULTS.allowImplicitFlow });
  const allowUserAdminScope = r.boolean(o, "allowUserAdminScope", path, { default: DEFAULTS.allowUserAdminScope });

  const defined = [...STANDARD_SCOPES, ...customScopes, ...(allowUserAdminScope ? [USER_ADMIN_SCOPE] : [])];
  scopes.forEach((scope, i) => {
    const scopePath = at(at(path, "scopes"), i);
    if (scope === USER_ADMIN_SCOPE && !allowUserAdminScope) {
      r.report(
        scopePath,
        `"${USER_ADMIN_SCOPE}" lets tokens change the user's own Cognito profile; set allowUserAdminScope: true to ask for it on purpose`,
      );
    } else if (!defined.includes(scope)) {
      const kindScopes = kind === "machine" ? `defined custom scopes: ${list(customScopes)}` : `defined scopes: ${list(defined)}`;
      r.report(scopePath, `scope ${show(scope)} is not defined; ${kindScopes}`);
    } else if (kind === "machine" && !customScopes.includes(scope)) {
      r.report(
        scopePath,
        `a machine client may only ask for custom scopes (client_credentials carries no user), got ${show(scope)}; defined custom scopes: ${list(customScopes)}`,
      );
    }
  });

  if (kind === "browser") {
    if (scopes.length === 0) r.report(at(path, "scopes"), "a browser client needs at least one scope");
    if (callbackUrls.length === 0) r.report(at(path, "callbackUrls"), "a browser client needs at least one callback URL");
    callbackUrls.forEach((url, i) => checkRedirectUrl(r, url, at(at(path, "callbackUrls"), i)));
    logoutUrls.forEach((url, i) => checkRedirectUrl(r, url, at(at(path, "logoutUrls"), i)));
  } else {
    const reason = kind === "machine" ? "client_credentials has no browser redirect" : "a legacy client never uses the hosted UI";
    if (callbackUrls.length > 0) r.report(at(path, "callbackUrls"), `must be empty for kind "${kind}" (${reason})`);
    if (logoutUrls.length > 0) r.report(at(path, "logoutUrls"), `must be empty for kind "${kind}" (${reason})`);
    if (allowImplicitFlow) r.report(at(path, "allowImplicitFlow"), `applies only to kind "browser"; remove it`);
    if (kind === "machine" && scopes.length === 0) r.report(at(path, "scopes"), "a machine client needs at least one custom scope");
    if (kind === "legacy" && scopes.length > 0) {
      r.report(
        at(path, "scopes"),
        'must be empty for kind "legacy": password sign-in tokens carry no custom scopes; grant routes in authorizationTable instead',
      );
    }
  }

  return {
    name,
    kind,
    scopes,
    basicUsers: [],
    callbackUrls,
    logoutUrls,
    allowImplicitFlow,
    accessTokenValidityMinutes: r.integer(o, "accessTokenValidityMinutes", path, {
      default: DEFAULTS.accessTokenValidityMinutes,
      min: 5,
      max: 1440,
      unit: "minutes",
    }),
    idTokenValidityMinutes: r.integer(o, "idTokenValidityMinutes", path, {
      default: DEFAULTS.idTokenValidityMinutes,
      min: 5,
      max: 1440,
      unit: "minutes",
    }),
    refreshTokenValidityDays: r.integer(o, "refreshTokenValidityDays", path, {
      default: DEFAULTS.refreshTokenValidityDays,
      min: 1,
      max: 3650,
      unit: "days",
    }),
  };
}

/** Redirect targets: https, a loopback http URL for development, or an app's own scheme. */
function checkRedirectUrl(r: Reader, value: string, path: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    r.report(path, `must be an absolute URL, got ${show(value)}`);
    return;
  }
  const loopback = url.hostname === "localhost" || url.hostname === "127.0.0.1";
  if (url.hash !== "" || value.includes("#")) {
    r.report(path, `must not contain a fragment (#), got ${show(value)}`);
  } else if (url.protocol === "http:" && !loopback) {
    r.report(path, `must use https (plain http only for localhost), got ${show(value)}`);
  } else if (["javascript:", "data:", "file:", "vbscript:"].includes(url.protocol)) {
    r.report(path, `must not use the ${url.protocol} scheme, got ${show(value)}`);
  }
}
