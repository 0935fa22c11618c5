/**
 * RSA signing keys and Cognito-shaped tokens for tests: real RS256 signatures (node:crypto), verified
 * by the real jose. Tokens are assembled by hand so that attack tokens (odd headers, tampered parts)
 * can be built with the same helpers.
 */
import { createHmac, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

/** A public JWK as published in a JWKS. */
export interface PublicJwk {
  readonly kty: string;
  readonly kid: string;
  readonly alg: string;
  readonly use: string;
  readonly n: string;
  readonly e: string;
  readonly [member: string]: unknown;
}

/** An RSA key pair with a kid. */
export interface TestSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicJwk: PublicJwk;
}

/**
 * Generates an RSA-2048 key pair. Costs ~50-200 ms: create keys once per test file.
 *
 * @param kid - the key id published with the public key
 */
export function createSigningKey(kid: string): TestSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const { n, e } = publicKey.export({ format: "jwk" }) as { n: string; e: string };
  return { kid, privateKey, publicKey, publicJwk: { kty: "RSA", kid, alg: "RS256", use: "sig", n, e } };
}

/** A JWKS holding the public keys of `keys`. */
export function jwksOf(...keys: readonly TestSigningKey[]): { keys: PublicJwk[] } {
  return { keys: keys.map((key) => key.publicJwk) };
}

/** base64url of a string, bytes or JSON value. */
export function base64url(value: string | Buffer | object): string {
  if (Buffer.isBuffer(value)) return value.toString("base64url");
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8").toString("base64url");
}

/**
 * Signs `<header>.<payload>` with RS256 (RSASSA-PKCS1-v1_5 SHA-256). The payload is JSON-encoded
 * unless it is a string, which is base64url-encoded as is (or used raw with `rawPayload`).
 */
export function signCompact(
  key: TestSigningKey,
  header: Record<string, unknown>,
  payload: object | string,
  options: { rawPayload?: boolean } = {},
): string {
  const encodedPayload = options.rawPayload === true && typeof payload === "string" ? payload : base64url(payload);
  const signingInput = `${base64url(header)}.${encodedPayload}`;
  return `${signingInput}.${sign("sha256", Buffer.from(signingInput), key.privateKey).toString("base64url")}`;
}

/** Signs `<header>.<payload>` with HS256 under `secret` (for algorithm-confusion attacks). */
export function signHs256(secret: Buffer | string, header: Record<string, unknown>, payload: object): string {
  const signingInput = `${base64url(header)}.${base64url(payload)}`;
  return `${signingInput}.${createHmac("sha256", secret).update(signingInput).digest("base64url")}`;
}

/** What every token helper accepts. */
export interface TokenOptions {
  /** `iss`. */
  readonly issuer: string;
  /** `client_id` (access) or `aud` (ID). */
  readonly clientId: string;
  /** Issue time, seconds since the epoch. @default now */
  readonly nowSeconds?: number;
  /** `exp - iat`. @default 3600 */
  readonly lifetimeSeconds?: number;
  /** Claims to add or replace; a claim set to `undefined` is removed. */
  readonly claims?: Record<string, unknown>;
  /** Header parameters to add or replace; one set to `undefined` is removed. */
  readonly header?: Record<string, unknown>;
}

/** Options of a user access token. */
export interface UserTokenOptions extends TokenOptions {
  /** `username`. */
  readonly username: string;
  /** `scope`, space-separated. @default "aws.cognito.signin.user.admin" */
  readonly scope?: string;
}

/** Options of a client_credentials access token. */
export interface MachineTokenOptions extends TokenOptions {
  /** `scope`, space-separated. */
  readonly scope: string;
}

let sequence = 0;
const nextId = (): string => `00000000-0000-4000-8000-${(++sequence).toString(16).padStart(12, "0")}`;

function finish(key: TestSigningKey, options: TokenOptions, payload: Record<string, unknown>): string {
  const header = { kid: key.kid, alg: "RS256", ...options.header };
  return signCompact(key, header, { ...payload, ...options.claims });
}

function times(options: TokenOptions): { iat: number; exp: number; auth_time: number } {
  const iat = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  return { auth_time: iat, iat, exp: iat + (options.lifetimeSeconds ?? 3600) };
}

/** A Cognito access token of a user (authorization code or password flows). */
export function signUserAccessToken(key: TestSigningKey, options: UserTokenOptions): string {
  return finish(key, options, {
    sub: `sub-${options.username}`,
    iss: options.issuer,
    version: 2,
    client_id: options.clientId,
    origin_jti: nextId(),
    event_id: nextId(),
    token_use: "access",
    scope: options.scope ?? "aws.cognito.signin.user.admin",
    ...times(options),
    jti: nextId(),
    username: options.username,
  });
}

/** A Cognito client_credentials access token: `sub` is the client id, no `username`. */
export function signMachineAccessToken(key: TestSigningKey, options: MachineTokenOptions): string {
  return finish(key, options, {
    sub: options.clientId,
    token_use: "access",
    scope: options.scope,
    ...times(options),
    iss: options.issuer,
    version: 2,
    jti: nextId(),
    client_id: options.clientId,
  });
}

/** A Cognito ID token: `token_use` id, `aud` the client id, no `client_id`. */
export function signIdToken(key: TestSigningKey, options: TokenOptions & { readonly username: string }): string {
  return finish(key, options, {
    sub: `sub-${options.username}`,
    aud: options.clientId,
    email_verified: true,
    token_use: "id",
    ...times(options),
    iss: options.issuer,
    "cognito:username": options.username,
    email: `${options.username}@example.com`,
    jti: nextId(),
    origin_jti: nextId(),
    event_id: nextId(),
  });
}

/** Splits a compact token into its decoded header and payload and its raw parts. */
export function decodeParts(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; parts: string[] } {
  const parts = token.split(".");
  return {
    header: JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as Record<string, unknown>,
    parts,
  };
}
