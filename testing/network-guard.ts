/**
 * Tests reach only loopback: the local servers they start on 127.0.0.1 (dynalite, cognito-local,
 * the JWKS server). {@link blockNonLoopbackNetwork} (installed by setup.ts for every test file)
 * refuses any other connection in this process, and any DNS query for a name other than
 * `localhost`, with an error naming the host; the test that tried fails even when the code under test
 * swallows the error (a fetch failure the authorizer turns into a 500, say).
 *
 * Covered: `net` and `tls` sockets, and so `http`, `https`, `http2`, the AWS SDK and `fetch` (undici
 * connects through `net`/`tls`); `dns` lookups and queries, callback and promise forms. Not covered:
 * child processes (the Terraform CLI, Chromium, emulators run as processes), worker threads, UDP.
 */
import dns = require("node:dns");
import { isIP, Socket } from "node:net";

/** The `code` of the error a refused connection or DNS query fails with. */
export const NETWORK_BLOCKED = "ERR_TEST_NETWORK_BLOCKED";

/** One refused attempt. */
export interface BlockedAttempt {
  /** What was tried: `connect` or the `dns` function's name. */
  readonly operation: string;
  /** The host (name or address) it was for. */
  readonly host: string;
}

/** The error of a refused attempt: it names the host and says what tests may reach. */
export class NetworkBlockedError extends Error {
  /** {@link NETWORK_BLOCKED}. */
  readonly code = NETWORK_BLOCKED;

  constructor(readonly attempt: BlockedAttempt) {
    super(
      `${attempt.operation} ${JSON.stringify(attempt.host)}: tests may reach only loopback (127.0.0.1, ::1, localhost); ` +
        "start a local server on 127.0.0.1 and point the code at it",
    );
    this.name = "NetworkBlockedError";
  }
}

/** Is `host` a loopback address, `localhost` or a name below `.localhost` (RFC 6761)? */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  switch (isIP(bare)) {
    case 4:
      return bare.startsWith("127.");
    case 6:
      return bare === "::1" || /^(0{0,4}:){7}0{0,3}1$/.test(bare) || /^::ffff:127\./.test(bare);
    default:
      return false;
  }
}

// Shared by every test file a jest worker runs: the originals are kept once, under global symbols.
const ORIGINAL_CONNECT = Symbol.for("scopegate.network-guard.connect");
const ORIGINAL_DNS = Symbol.for("scopegate.network-guard.dns");

type Connect = (this: Socket, ...args: unknown[]) => Socket;
type AnyFunction = (...args: unknown[]) => unknown;

/** The host a `Socket.prototype.connect` call is for, or undefined for a local (IPC) path. */
function connectHost(args: readonly unknown[]): string | undefined {
  // net.connect passes its arguments already normalized: an array whose first element is the options.
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === "object" && first !== null) {
    const options = first as { path?: unknown; host?: unknown };
    if (typeof options.path === "string") return undefined;
    return typeof options.host === "string" && options.host !== "" ? options.host : "localhost";
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return undefined;
  return typeof args[1] === "string" ? args[1] : "localhost";
}

/** The DNS functions that look up or query: every `lookup*`, `resolve*` and `reverse` of a dns object. */
function queryFunctions(target: object): string[] {
  return Object.getOwnPropertyNames(target).filter(
    (name) =>
      (name.startsWith("lookup") || name.startsWith("resolve") || name === "reverse") && typeof Reflect.get(target, name) === "function",
  );
}

/** Refused attempts not yet reported, of the current {@link blockNonLoopbackNetwork}. */
let unreported: BlockedAttempt[] = [];

/**
 * Returns the attempts refused since the last call, and forgets them: setup.ts fails the test that
 * made any; a test that provokes one on purpose takes it first.
 *
 * @returns the refused attempts, oldest first
 */
export function takeBlockedAttempts(): BlockedAttempt[] {
  return unreported.splice(0);
}

/**
 * Refuses non-loopback connections and DNS queries in this process (again, for a new test file: the
 * originals are wrapped once); the attempts refused are kept for {@link takeBlockedAttempts}.
 */
export function blockNonLoopbackNetwork(): void {
  const attempts: BlockedAttempt[] = [];
  unreported = attempts;
  const refuse = (attempt: BlockedAttempt): NetworkBlockedError => {
    attempts.push(attempt);
    return new NetworkBlockedError(attempt);
  };

  const prototype = Socket.prototype as unknown as Record<symbol, Connect> & { connect: Connect };
  prototype[ORIGINAL_CONNECT] ??= prototype.connect;
  const connect = prototype[ORIGINAL_CONNECT];
  prototype.connect = function (this: Socket, ...args: unknown[]): Socket {
    const host = connectHost(args);
    if (host === undefined || isLoopbackHost(host)) return connect.apply(this, args);
    // Fail the way an unreachable host does (asynchronously, with an error event), so callers run
    // their usual error path.
    const error = refuse({ operation: "connect", host });
    process.nextTick(() => this.destroy(error));
    return this;
  };

  const dnsTargets: Array<readonly [object, boolean]> = [
    [dns, false],
    [dns.promises, true],
    [dns.Resolver.prototype, false],
    [dns.promises.Resolver.prototype, true],
  ];
  for (const [object, promised] of dnsTargets) {
    const target = object as Record<string | symbol, unknown>;
    const originals = (target[ORIGINAL_DNS] ??= {}) as Record<string, AnyFunction>;
    for (const name of queryFunctions(target)) {
      originals[name] ??= target[name] as AnyFunction;
      const original = originals[name];
      target[name] = function (this: unknown, ...args: unknown[]): unknown {
        const host = String(args[0]);
        // A lookup of localhost or of an address (lookup) does not leave the machine; every query does.
        const local = name.startsWith("lookup") && (isLoopbackHost(host) || (name === "lookup" && isIP(host) !== 0));
        if (local) return original.apply(this, args);
        const error = refuse({ operation: `dns.${name}`, host });
        if (promised) return Promise.reject(error);
        const callback = args[args.length - 1];
        if (typeof callback !== "function") throw error;
        process.nextTick(() => callback(error));
        return undefined;
      };
    }
  }
}
