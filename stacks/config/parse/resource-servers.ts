import { fromCliResourceServer } from "../aws-cli";
import { ResourceServerConfig } from "../model";
import { Reader, at } from "../reader";
import { RESOURCE_SERVER_IDENTIFIER, RESOURCE_SERVER_NAME, SCOPE_NAME } from "../rules";
import { ResourceServerFieldNames } from "./shared";
import { type JsonObject } from "../../../core/json";

/** One of `resourceServers`: scopegate's own shape, or the input of `aws cognito-idp create-resource-server`. */
export function readResourceServer(r: Reader, value: unknown, path: string): ResourceServerConfig {
  const raw = r.object(value, path, ["identifier", "name", "scopes", "awsCliInput"]) ?? {};
  if (raw.awsCliInput !== undefined) {
    if (Object.keys(raw).length > 1) r.report(path, "give either awsCliInput (or awsCliInputFile) or the native fields, not both");
    return fromCliResourceServer(r, raw.awsCliInput, at(path, "awsCliInput"), readNativeResourceServer);
  }
  return readNativeResourceServer(r, raw, path);
}

/** Reads a resource server in scopegate's own shape (also the target of the AWS CLI mapping). */
export function readNativeResourceServer(
  r: Reader,
  o: JsonObject,
  path: string,
  names: ResourceServerFieldNames = NATIVE_RS_NAMES,
): ResourceServerConfig {
  const identifier = r.string(o, names.identifier, path, RESOURCE_SERVER_IDENTIFIER);
  const name = r.string(o, names.name, path, { ...RESOURCE_SERVER_NAME, default: identifier });
  const scopesPath = at(path, names.scopes);
  const scopes = r.array(o, names.scopes, path).map((item, i) => {
    const scopePath = at(scopesPath, i);
    const s = r.object(item, scopePath, [names.scopeName, names.scopeDescription]) ?? {};
    return {
      name: r.string(s, names.scopeName, scopePath, SCOPE_NAME),
      description: r.string(s, names.scopeDescription, scopePath, { pattern: /^[\x20-\x7e]{1,256}$/, hint: "1-256 printable characters" }),
    };
  });
  if (scopes.length === 0) r.report(scopesPath, "define at least one scope; a resource server without scopes protects nothing");
  r.unique(
    scopes,
    (s) => s.name,
    (i) => at(at(scopesPath, i), names.scopeName),
    "scope name",
  );
  return { identifier, name, scopes };
}

const NATIVE_RS_NAMES: ResourceServerFieldNames = {
  identifier: "identifier",
  name: "name",
  scopes: "scopes",
  scopeName: "name",
  scopeDescription: "description",
};
