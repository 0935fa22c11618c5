/**
 * The designated Basic accounts: the one contract for "may this username use HTTP Basic", shared by
 * the stack (which writes `BASIC_USERS` with {@link encodeBasicUsers}), the authorizer (which reads it
 * with {@link decodeBasicUsers} and refuses everyone else before asking Cognito), the access matrix and
 * the review. Free of imports, so the stack and the function's bundle both carry it.
 *
 * @packageDocumentation
 */

/**
 * The form of a username under which Cognito treats two names as one account. scopegate's user pool
 * sets `username_configuration.case_sensitive = false` (stacks/constructs/user-pool.ts), so `Svc-Reports`
 * and `svc-reports` sign in to the same account: names are compared in lower case.
 *
 * @param username - a username as configured, sent in Basic credentials, or carried in a token
 * @returns the comparison key
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-case-sensitivity.html
 */
export function basicUsernameKey(username: string): string {
  return username.toLowerCase();
}

/**
 * The designated names as comparison keys ({@link basicUsernameKey}), built once.
 *
 * @param names - the designated names (configured usernames; for e-mail sign-in also the `sub`
 *   Cognito puts in tokens)
 * @returns the set to pass to {@link isDesignatedBasicUser}
 */
export function designatedBasicUsers(names: Iterable<string>): ReadonlySet<string> {
  return new Set([...names].map(basicUsernameKey));
}

/**
 * Whether `username` names one of the designated Basic accounts, compared as Cognito compares
 * usernames ({@link basicUsernameKey}).
 *
 * @param designated - from {@link designatedBasicUsers}
 * @param username - the name to test: the Basic user-id, or the `username` claim of the token
 *   Cognito returned
 * @returns true when designated
 */
export function isDesignatedBasicUser(designated: ReadonlySet<string>, username: string): boolean {
  return designated.has(basicUsernameKey(username));
}

/**
 * The value of `BASIC_USERS`: the names, comma-separated (usernames cannot contain a comma).
 *
 * @param names - the designated names
 * @returns the variable's value
 */
export function encodeBasicUsers(names: readonly string[]): string {
  return names.join(",");
}

/**
 * Reads a `BASIC_USERS` value.
 *
 * @param text - the value (comma-separated names, blanks around each ignored)
 * @returns the names, or `undefined` when empty or when a name is empty
 */
export function decodeBasicUsers(text: string): string[] | undefined {
  const names = text.split(",").map((name) => name.trim());
  return names.length === 0 || names.some((name) => name === "") ? undefined : names;
}
