import { Construct } from "constructs";
import { CognitoResourceServer } from "@cdktf/provider-aws/lib/cognito-resource-server";
import { ResourceServerConfig } from "../config/model";
import { scopeIdentifier } from "../../core/scopes";

/** Props of {@link ResourceServer}. */
export interface ResourceServerProps {
  readonly config: ResourceServerConfig;
  /** The user pool the server belongs to. */
  readonly userPoolId: string;
}

/**
 * A Cognito resource server: an identifier and the custom scopes `<identifier>/<scope>` that
 * app clients may be allowed and API methods may require.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html
 */
export class ResourceServer extends Construct {
  /** The `aws_cognito_resource_server` resource. */
  readonly resource: CognitoResourceServer;
  /** The configured identifier, e.g. `api.example.com`. */
  readonly identifier: string;
  private readonly scopeNames: readonly string[];

  constructor(scope: Construct, id: string, props: ResourceServerProps) {
    super(scope, id);
    this.identifier = props.config.identifier;
    this.scopeNames = props.config.scopes.map((s) => s.name);
    this.resource = new CognitoResourceServer(this, "server", {
      userPoolId: props.userPoolId,
      identifier: props.config.identifier,
      name: props.config.name,
      scope: props.config.scopes.map((s) => ({ scopeName: s.name, scopeDescription: s.description })),
    });
  }

  /** Whether this server defines the full scope name `<identifier>/<scope>`. */
  defines(fullScope: string): boolean {
    return this.scopeNames.some((name) => scopeIdentifier(this.identifier, name) === fullScope);
  }

  /**
   * A full scope name as a Terraform expression on this server's `identifier` attribute: the
   * value is known at plan time (so a review shows it), and Terraform creates or updates the
   * server before anything that uses the scope.
   *
   * @throws Error if the server does not define the scope (configuration validation prevents it)
   */
  scopeReference(name: string): string {
    if (!this.scopeNames.includes(name)) {
      throw new Error(`resource server "${this.identifier}" defines no scope "${name}"; defined: ${this.scopeNames.join(", ")}`);
    }
    return scopeIdentifier(this.resource.identifier, name);
  }
}
