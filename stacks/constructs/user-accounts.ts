import { Construct } from "constructs";
import { TerraformVariable } from "cdktf";
import { CognitoUser } from "@cdktf/provider-aws/lib/cognito-user";
import { CognitoUserGroup } from "@cdktf/provider-aws/lib/cognito-user-group";
import { CognitoUserInGroup } from "@cdktf/provider-aws/lib/cognito-user-in-group";
import { GroupConfig, SignInWith, UserConfig } from "../config/model";

/** Name of the sensitive Terraform variable that carries initial passwords by username. */
export const USER_PASSWORDS_VARIABLE = "user_passwords";

/** Props of {@link UserAccounts}. */
export interface UserAccountsProps {
  readonly userPoolId: string;
  readonly groups: readonly GroupConfig[];
  readonly users: readonly UserConfig[];
  readonly signInWith: SignInWith;
  /**
   * Usernames of configured users that exist already and are imported (`adopt.users`): they keep
   * the attributes, password and state they have ({@link ADOPTED_USER_IGNORED_ATTRIBUTES}).
   *
   * @default [] - every configured user is new
   */
  readonly adoptedUsers?: readonly string[];
}

/**
 * Arguments of an adopted user that the stack leaves as the user has them
 * (`lifecycle.ignore_changes`): its attributes (no e-mail address or `email_verified` is forced),
 * whether it is enabled, and its password (none is written, and none would be sent). The arguments
 * that only matter when Cognito creates a user (`desired_delivery_mediums`, `message_action`) are
 * not written either.
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/cognito_user
 */
export const ADOPTED_USER_IGNORED_ATTRIBUTES: readonly string[] = [
  "attributes",
  "enabled",
  "password",
  "temporary_password",
  "desired_delivery_mediums",
  "message_action",
];

/**
 * Application users and groups. Passwords never appear in the configuration or the synthesized
 * JSON: each comes from the sensitive map variable `user_passwords` (by username) at plan time;
 * a user without one is invited by e-mail with a temporary password when it has an e-mail address,
 * and otherwise (an account for HTTP Basic sign-in) needs a password set by the operator there.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-create-user-accounts.html
 */
export class UserAccounts extends Construct {
  /** Users the stack creates or imports, by configured username. */
  readonly users: ReadonlyMap<string, CognitoUser>;
  /** Groups, by name. */
  readonly groups: ReadonlyMap<string, CognitoUserGroup>;
  /** Users already in an attached pool (granted, never created), by configured username. */
  private readonly existing: ReadonlyMap<string, UserConfig>;
  private readonly signInWith: SignInWith;

  constructor(scope: Construct, id: string, props: UserAccountsProps) {
    super(scope, id);
    this.signInWith = props.signInWith;
    this.existing = new Map(props.users.filter((user) => user.existing).map((user) => [user.username, user]));
    const created = props.users.filter((user) => !user.existing);
    const adopted = new Set(props.adoptedUsers ?? []);
    const groups = new Map<string, CognitoUserGroup>();
    for (const group of props.groups) {
      groups.set(
        group.name,
        new CognitoUserGroup(this, `group-${group.name}`, {
          userPoolId: props.userPoolId,
          name: group.name,
          description: group.description,
          ...(group.precedence === undefined ? {} : { precedence: group.precedence }),
        }),
      );
    }

    this.groups = groups;

    const users = new Map<string, CognitoUser>();
    // Passwords are a new user's only: the variable exists when the stack creates a user.
    const passwords = created.some((user) => !adopted.has(user.username))
      ? new TerraformVariable(scope, USER_PASSWORDS_VARIABLE, {
          type: "map(string)",
          sensitive: true,
          nullable: false,
          default: {},
          description:
            "Permanent passwords of configured users, by username. A user left out is invited by e-mail when it has an address, and needs an entry here when it has none.",
        })
      : undefined;
    for (const user of created) {
      const resource =
        passwords === undefined || adopted.has(user.username)
          ? // An adopted user: only what identifies it; everything else stays as the user has it.
            new CognitoUser(this, `user-${user.username}`, {
              userPoolId: props.userPoolId,
              username: user.username,
              lifecycle: { ignoreChanges: [...ADOPTED_USER_IGNORED_ATTRIBUTES] },
            })
          : new CognitoUser(this, `user-${user.username}`, {
              userPoolId: props.userPoolId,
              username: user.username,
              enabled: true,
              // A raw expression: cdktf renders Fn.lookup with a null default as a plain index,
              // which fails for users without a password.
              password: `\${lookup(var.${passwords.friendlyUniqueId}, ${JSON.stringify(user.username)}, null)}`,
              desiredDeliveryMediums: user.email === undefined ? [] : ["EMAIL"],
              attributes: user.email === undefined ? {} : { email: user.email, email_verified: "true" },
            });
      users.set(user.username, resource);
      for (const groupName of user.groups) {
        const group = groups.get(groupName);
        if (group === undefined) throw new Error(`user "${user.username}" names undefined group "${groupName}"`);
        new CognitoUserInGroup(this, `member-${user.username}-${groupName}`, {
          userPoolId: props.userPoolId,
          username: resource.username,
          groupName: group.name,
        });
      }
    }
    this.users = users;
  }

  /**
   * The Cognito username of a configured user, as access tokens carry it in `username`: the
   * configured name, or (when users sign in with their e-mail) the `sub` Cognito generates.
   */
  tokenUsername(username: string): string {
    const existing = this.existing.get(username);
    if (existing !== undefined) {
      if (this.signInWith !== "email") return username;
      if (existing.sub === undefined)
        throw new Error(`existing user "${username}" has no sub; configuration validation should have required it`);
      return existing.sub;
    }
    const user = this.users.get(username);
    if (user === undefined) throw new Error(`user "${username}" is not configured`);
    return this.signInWith === "email" ? user.sub : username;
  }
}
