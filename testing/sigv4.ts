/**
 * An independent SigV4 check for tests, written from AWS's description of the algorithm with
 * node:crypto only (not `@smithy/signature-v4`, which the transport uses): recomputes the signature
 * of a request as it arrived at a local server and says whether the `Authorization` header matches.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
import { createHash, createHmac } from "node:crypto";
import type { RawRequest } from "./aws-json-stub";

/** What the `Authorization` header says. */
export interface ParsedAuthorization {
  readonly accessKeyId: string;
  /** `<yyyymmdd>/<region>/<service>/aws4_request`. */
  readonly scope: string;
  readonly region: string;
  readonly service: string;
  /** Lower-case names, in the header's order. */
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8}\/([^/]+)\/([^/]+)\/aws4_request), SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/** Parses a SigV4 `Authorization` header; throws when it is not one. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization {
  const match = AUTHORIZATION.exec(header ?? "");
  if (match === null) throw new Error(`not a SigV4 Authorization header: ${JSON.stringify(header)}`);
  const [, accessKeyId, scope, region, service, signedHeaders, signature] = match as unknown as string[];
  return {
    accessKeyId: accessKeyId!,
    scope: scope!,
    region: region!,
    service: service!,
    signedHeaders: signedHeaders!.split(";"),
    signature: signature!,
  };
}

const sha256Hex = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

/**
 * The signature the request should carry, recomputed from what arrived (a POST to a path without
 * query string, as AWS JSON services use).
 */
export function expectedSignature(request: RawRequest, secretAccessKey: string): string {
  const authorization = parseAuthorization(request.headers.authorization);
  const canonicalHeaders = authorization.signedHeaders
    .map((name) => {
      const value = request.headers[name];
      if (value === undefined) throw new Error(`signed header ${name} did not arrive`);
      return `${name}:${String(value).trim().replace(/\s+/g, " ")}\n`;
    })
    .join("");
  const payloadHash = sha256Hex(request.rawBody);
  const canonicalRequest = [request.method, request.path, "", canonicalHeaders, authorization.signedHeaders.join(";"), payloadHash].join(
    "\n",
  );
  const amzDate = String(request.headers["x-amz-date"]);
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, authorization.scope, sha256Hex(canonicalRequest)].join("\n");
  const day = authorization.scope.slice(0, 8);
  let key = hmac(`AWS4${secretAccessKey}`, day);
  for (const part of [authorization.region, authorization.service, "aws4_request"]) key = hmac(key, part);
  return createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
}
