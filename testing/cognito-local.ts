/**
 * cognito-local 5.x as a child process on 127.0.0.1 and a random port, with its data in a fresh
 * temporary directory (it writes `.cognito/` under its working directory: never the repository).
 *
 * Quirks handled here: its default pool settings make usernames emails (`UsernameAttributes:
 * ["email"]`), so the config written below clears that; it answers a wrong password with
 * `InvalidPasswordException` and an unknown user with `NotAuthorizedException`; its
 * `ADMIN_USER_PASSWORD_AUTH` does not challenge users that only have a temporary password.
 */
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createCognitoClient as createAuthorizerCognitoClient, type CognitoApi } from "../functions/authorizer/aws/cognito";
import { authorizerClientOptions, sdkClientConfig, type LocalClientOptions } from "./local-aws";

/** A running cognito-local. */
export interface CognitoLocal {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Stops the process and deletes its data directory. */
  close(): Promise<void>;
}

const STARTED = /running on http:\/\/127\.0\.0\.1:(\d+)/;
// ANSI colour codes emitted by cognito-local's pretty logger.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** Starts cognito-local; resolves once it listens. */
export async function startCognitoLocal(options: { startTimeoutMs?: number } = {}): Promise<CognitoLocal> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "scopegate-cognito-local-"));
  mkdirSync(path.join(dataDir, ".cognito"));
  writeFileSync(path.join(dataDir, ".cognito", "config.json"), JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }));
  const entry = require.resolve("cognito-local/lib/bin/start.js");
  const child: ChildProcess = spawn(process.execPath, [entry], {
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  let output = "";
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`cognito-local did not start:\n${output}`)), options.startTimeoutMs ?? 15_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString("utf8").replace(ANSI, "");
        const match = STARTED.exec(output);
        if (match !== null) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`cognito-local exited with ${code}:\n${output}`));
      });
    });
    child.stdout!.resume();
    child.stderr!.resume();
    return { endpoint: `http://127.0.0.1:${port}`, close: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A Cognito client (the SDK's) for `endpoint`, for setting up pools and users. */
export function createCognitoClient(endpoint: string, options: LocalClientOptions = {}): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient(sdkClientConfig(endpoint, options));
}

/**
 * The authorizer's own Cognito client (`functions/authorizer/aws/cognito.ts`) for `endpoint`. Use
 * {@link createCognitoClient} (the SDK) to set up pools and users.
 */
export function createSignInCognito(endpoint: string, options: LocalClientOptions = {}): CognitoApi {
  return createAuthorizerCognitoClient(authorizerClientOptions(endpoint, options));
}

/** A user pool and an app client allowed to use `ADMIN_USER_PASSWORD_AUTH`. */
export interface BasicSignInPool {
  readonly userPoolId: string;
  readonly clientId: string;
}

/** Creates a user pool and its Basic sign-in app client. */
export async function createBasicSignInPool(client: CognitoIdentityProviderClient): Promise<BasicSignInPool> {
  const pool = await client.send(new CreateUserPoolCommand({ PoolName: "scopegate-test" }));
  const userPoolId = pool.UserPool!.Id!;
  const appClient = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: "basic-sign-in",
      ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      GenerateSecret: false,
    }),
  );
  return { userPoolId, clientId: appClient.UserPoolClient!.ClientId! };
}

/** Creates a user; with `permanentPassword` it is CONFIRMED, else it only has a temporary password. */
export async function createUser(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
  password: { permanentPassword: string } | { temporaryPassword: string },
): Promise<void> {
  const temporary = "temporaryPassword" in password ? password.temporaryPassword : "Temporary-Pass-1";
  await client.send(
    new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, TemporaryPassword: temporary, MessageAction: "SUPPRESS" }),
  );
  if ("permanentPassword" in password) {
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: username,
        Password: password.permanentPassword,
        Permanent: true,
      }),
    );
  }
}
