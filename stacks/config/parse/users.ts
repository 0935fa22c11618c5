import { show } from "../errors";
import { GroupConfig, UserConfig, UserPoolConfig } from "../model";
import { Reader, at } from "../reader";
import { EMAIL, GROUP_NAME, USERNAME } from "../rules";
import { list } from "./shared";
import { type JsonObject } from "../../../core/json";
import { CONFIGURATION_DEFAULTS } from "../../../core/defaults";

const GROUP_DEFAULTS = CONFIGURATION_DEFAULTS["groups[]"];
const USER_DEFAULTS = CONFIGURATION_DEFAULTS["users[]"];

/** One of `groups`. */
export function readGroup(r: Reader, value: unknown, path: string): GroupConfig {
  const o = r.object(value, path, ["name", "description", "precedence"]) ?? {};
  const precedence = o.precedence === undefined ? undefined : r.integer(o, "precedence", path, { min: 0, max: 2147483647 });
  return {
    name: r.string(o, "name", path, GROUP_NAME),
    description: r.string(o, "description", path, { default: GROUP_DEFAULTS.description, maxLength: 2048 }),
    ...(precedence === undefined ? {} : { precedence }),
  };
}

/** One of `users`: its username follows `userPool.signInWith`, and each of its groups must be defined. */
export function readUser(
  r: Reader,
  value: unknown,
  path: string,
  groups: readonly GroupConfig[],
  signInWith: UserPoolConfig["signInWith"],
  existingPool: boolean,
): UserConfig {
  const o = r.object(value, path, ["username", "email", "groups", "password", "existing", "sub"]) ?? {};
  const existing = r.boolean(o, "existing", path, { default: USER_DEFAULTS.existing });
  if (o.password !== undefined) {
    r.report(
      at(path, "password"),
      "passwords never go in the configuration; pass them in the sensitive Terraform variable user_passwords (see help)",
    );
  }
  const username = r.string(
    o,
    "username",
    path,
    signInWith === "email" ? { ...EMAIL, hint: 'an e-mail address (userPool.signInWith is "email")' } : USERNAME,
  );
  const email = r.optionalString(o, "email", path, EMAIL);
  if (signInWith === "email" && email !== undefined && email !== username && EMAIL.pattern.test(username)) {
    r.report(at(path, "email"), `must equal username when userPool.signInWith is "email" (or be left out), got ${show(email)}`);
  }
  const names = groups.map((g) => g.name);
  const memberOf = r.strings(o, "groups", path, { default: USER_DEFAULTS.groups });
  memberOf.forEach((group, i) => {
    if (!names.includes(group)) r.report(at(at(path, "groups"), i), `group ${show(group)} is not defined; defined groups: ${list(names)}`);
  });
  if (existing) return readExistingUser(r, o, path, username, signInWith, existingPool);
  if (o.sub !== undefined)
    r.report(at(path, "sub"), `is only for a user marked "existing": true (Cognito generates the sub of a user it creates)`);
  return { username, ...(email !== undefined ? { email } : signInWith === "email" ? { email: username } : {}), groups: memberOf };
}

/** The rest of a `users[]` entry marked `existing`: granted, never created, its groups and attributes left alone. */
function readExistingUser(
  r: Reader,
  o: JsonObject,
  path: string,
  username: string,
  signInWith: UserPoolConfig["signInWith"],
  existingPool: boolean,
): UserConfig {
  if (!existingPool) {
    r.report(
      at(path, "existing"),
      "only a stack attached to an existing pool (userPool.existing) has users it did not create; remove existing or set userPool.existing",
    );
  }
  for (const field of ["email", "groups"] as const) {
    if (o[field] !== undefined) {
      r.report(
        at(path, field),
        `the stack does not change a user it did not create (existing: true), got ${show(o[field])}; remove ${field} and manage it where the user is managed`,
      );
    }
  }
  const sub =
    signInWith === "email"
      ? r.string(o, "sub", path, {
          ...SUB,
          hint: 'the user\'s sub (tokens carry it as their username when userPool.signInWith is "email")',
        })
      : undefined;
  if (signInWith !== "email" && o.sub !== undefined) {
    r.report(at(path, "sub"), 'is only needed when userPool.signInWith is "email" (tokens then carry the sub); remove it');
  }
  return { username, groups: [], existing: true, ...(sub === undefined ? {} : { sub }) };
}

/** A Cognito `sub`: a UUID. */
const SUB = { pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/ };
