/**
 * A stand-in for the two Cognito calls cognito-local does not answer (it answers 500 "Unsupported"):
 * `DescribeResourceServer` and `DescribeUserPoolDomain`. An HTTP server on 127.0.0.1 that answers
 * those two from what the test registered and forwards every other request to cognito-local, so the
 * Terraform provider can read (import) every Cognito resource a stack adopts. It records each
 * operation it sees.
 *
 * One more emulator quirk is mended here: cognito-local's pool ARNs read `arn:aws:cognito-idp:local:local:userpool/…`,
 * which the provider refuses where an ARN is validated (the REST API's Cognito authorizer); the
 * stand-in answers `DescribeUserPool` with the ARN Cognito would give, in `region` and account
 * 123456789012.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeResourceServer.html
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPoolDomain.html
 */
import { startForwardingServer } from "./forwarding-server";

/** A resource server as `DescribeResourceServer` returns it. */
export interface StandInResourceServer {
  readonly UserPoolId: string;
  readonly Identifier: string;
  readonly Name: string;
  readonly Scopes: readonly { readonly ScopeName: string; readonly ScopeDescription: string }[];
}

/** A running stand-in. */
export interface CognitoStandIn {
  /** `http://127.0.0.1:<port>`: the endpoint to give the provider. */
  readonly endpoint: string;
  /** Every operation seen (from `X-Amz-Target`), in order. */
  readonly operations: readonly string[];
  /** Registers a resource server that exists in the pool. */
  addResourceServer(server: StandInResourceServer): void;
  /** Registers a Cognito (prefix) domain of a pool. */
  addDomain(domain: string, userPoolId: string): void;
  close(): Promise<void>;
}

const ACCOUNT = "123456789012";

/** Starts the stand-in in front of cognito-local at `cognitoLocal`. */
export async function startCognitoStandIn(cognitoLocal: string, region = "us-east-1"): Promise<CognitoStandIn> {
  const operations: string[] = [];
  const servers: StandInResourceServer[] = [];
  const domains = new Map<string, string>();

  const answer = (operation: string, input: Record<string, unknown>): { status: number; body: unknown } | undefined => {
    if (operation === "DescribeResourceServer") {
      const server = servers.find((s) => s.UserPoolId === input.UserPoolId && s.Identifier === input.Identifier);
      return server === undefined
        ? { status: 400, body: { __type: "ResourceNotFoundException", message: `No resource server ${String(input.Identifier)}` } }
        : { status: 200, body: { ResourceServer: server } };
    }
    if (operation === "DescribeUserPoolDomain") {
      const userPoolId = domains.get(String(input.Domain));
      // Cognito answers an unknown domain with an empty description, not an error.
      if (userPoolId === undefined) return { status: 200, body: { DomainDescription: {} } };
      return {
        status: 200,
        body: {
          DomainDescription: {
            UserPoolId: userPoolId,
            AWSAccountId: ACCOUNT,
            Domain: input.Domain,
            S3Bucket: "aws-cognito-prod-iad-assets",
            CloudFrontDistribution: "d111111abcdef8.cloudfront.net",
            Version: "20261207000000",
            Status: "ACTIVE",
            ManagedLoginVersion: 1,
          },
        },
      };
    }
    return undefined;
  };

  // cognito-local's ARN, replaced by the one Cognito would give.
  const withRealArn = (described: unknown) => {
    const pool = (described as { UserPool: { Id: string; Arn?: string } }).UserPool;
    pool.Arn = `arn:aws:cognito-idp:${region}:${ACCOUNT}:userpool/${pool.Id}`;
    return described;
  };

  const server = await startForwardingServer({
    target: cognitoLocal,
    handle: ({ operation, body }, reply) => {
      operations.push(operation);
      const input = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
      const local = answer(operation, input);
      if (local !== undefined) reply.json(local.status, local.body);
      else reply.forward(operation === "DescribeUserPool" ? withRealArn : undefined);
    },
  });
  return {
    endpoint: server.endpoint,
    operations,
    addResourceServer: (s) => servers.push(s),
    addDomain: (domain, userPoolId) => domains.set(domain, userPoolId),
    close: () => server.close(),
  };
}
