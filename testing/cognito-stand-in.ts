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
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";

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
  const target = new URL(cognitoLocal);
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

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const header = String(incoming.headers["x-amz-target"] ?? "");
      const operation = header.slice(header.indexOf(".") + 1);
      operations.push(operation);
      let input: Record<string, unknown>;
      try {
        input = body.length === 0 ? {} : (JSON.parse(body.toString("utf8")) as Record<string, unknown>);
      } catch {
        input = {};
      }
      const local = answer(operation, input);
      if (local !== undefined) {
        outgoing.writeHead(local.status, { "content-type": "application/x-amz-json-1.1" });
        outgoing.end(JSON.stringify(local.body));
        return;
      }
      const forwarded = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: target.host },
        },
        (reply) => {
          if (operation !== "DescribeUserPool" || reply.statusCode !== 200) {
            outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
            reply.pipe(outgoing);
            return;
          }
          const parts: Buffer[] = [];
          reply.on("data", (chunk: Buffer) => parts.push(chunk));
          reply.on("end", () => {
            const described = JSON.parse(Buffer.concat(parts).toString("utf8")) as { UserPool: { Id: string; Arn?: string } };
            described.UserPool.Arn = `arn:aws:cognito-idp:${region}:${ACCOUNT}:userpool/${described.UserPool.Id}`;
            const text = JSON.stringify(described);
            outgoing.writeHead(200, { "content-type": "application/x-amz-json-1.1", "content-length": Buffer.byteLength(text) });
            outgoing.end(text);
          });
        },
      );
      forwarded.on("error", () => outgoing.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    operations,
    addResourceServer: (s) => servers.push(s),
    addDomain: (domain, userPoolId) => domains.set(domain, userPoolId),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
