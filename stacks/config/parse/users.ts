import { show } from "../errors";
import { GroupConfig, UserConfig, UserPoolConfig } from "../model";
import { Reader, at } from "../reader";
import { EMAIL, GROUP_NAME, USERNAME } from "../rules";
import { list } from "./shared";

/** One of `groups`. */
export function readGroup(r: Reader, value: unknown, path: string): GroupConfig {
  const o = r.object(value, path, ["name", "description", "precedence"]) ?? {};
  const precedence = o.precedence === undefined ? undefined : r.integer(o, "precedence", path, { min: 0, max: 2147483647 });
  return {
    name: r.string(o, "name", path, GROUP_NAME),
    description: r.string(o, "description", path, { default: "", maxLength: 2048 }),
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
): UserConfig {
  const o = r.object(value, path, ["username", "email", "groups", "password"]) ?? {};
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
  const memberOf = r.strings(o, "groups", path, { default: [] });
  memberOf.forEach((group, i) => {
    if (!names.includes(group)) r.report(at(at(path, "groups"), i), `group ${show(group)} is not defined; defined groups: ${list(names)}`);
  });
  return { username, ...(email !== undefined ? { email } : signInWith === "email" ? { email: username } : {}), groups: memberOf };
}
