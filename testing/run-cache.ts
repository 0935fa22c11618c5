/**
 * Work shared by the suites of one jest run: the first worker that needs a result (a synth output,
 * a Terraform plan) computes it, the others wait for it and read it. Entries live in the run's own
 * folder, made by `testing/global-setup.ts` and removed by `testing/global-teardown.ts`, so nothing
 * outlives the run and a source edited between two runs is never served stale. A key is a digest of
 * everything the result depends on; a lock file per key makes parallel workers compute it once.
 *
 * Without the run folder (a jest configuration without the global setup), nothing is shared: each
 * call computes.
 */
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";

/** Environment variable naming the run's folder (set by the global setup, inherited by the workers). */
export const RUN_DIR_ENV = "SCOPEGATE_TEST_RUN_DIR";

/** The run's folder, or undefined outside a run with the global setup. */
export function runDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env[RUN_DIR_ENV];
  return dir !== undefined && dir !== "" && existsSync(dir) ? dir : undefined;
}

/** SHA-256 (hex) of the parts, each delimited so that ["ab", "c"] and ["a", "bc"] differ. */
export function digestOf(...parts: readonly (string | Buffer)[]): string {
  const hash = createHash("sha256");
  for (const part of parts) {
    const bytes = typeof part === "string" ? Buffer.from(part, "utf8") : part;
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  }
  return hash.digest("hex");
}

/**
 * Digest of every file below `dir` (relative path and content, symbolic links followed), leaving out
 * what `skip` matches (a relative path).
 */
export function folderDigest(dir: string, skip: (path: string) => boolean = () => false): string {
  const parts: (string | Buffer)[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const rel = relative(dir, path);
      if (skip(rel)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else parts.push(rel, readFileSync(path));
    }
  };
  walk(dir);
  return digestOf(...parts);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** How long a worker waits for another to finish an entry before it computes the entry itself. */
const WAIT_MS = 15 * 60 * 1000;

interface Slot {
  readonly value: string;
  readonly lock: string;
}

function slotOf(dir: string, key: string): Slot {
  const folder = join(dir, "cache");
  mkdirSync(folder, { recursive: true });
  return { value: join(folder, `${key}.json`), lock: join(folder, `${key}.lock`) };
}

/** Takes the lock (true), or finds it held (false). A lock whose holder is gone is taken over. */
function tryLock(slot: Slot): boolean {
  try {
    closeSync(openSync(slot.lock, "wx"));
    writeFileSync(slot.lock, String(process.pid));
    return true;
  } catch {
    const holder = Number(readFileSync(slot.lock, "utf8") || "NaN");
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
      rmSync(slot.lock, { force: true });
      return tryLock(slot);
    }
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function store<T>(slot: Slot, value: T): void {
  const partial = `${slot.value}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(value));
  renameSync(partial, slot.value);
}

function read<T>(slot: Slot): T | undefined {
  return existsSync(slot.value) ? (JSON.parse(readFileSync(slot.value, "utf8")) as T) : undefined;
}

/**
 * What the lock loop asks of the code that drives it: to wait a moment and ask again, or to compute
 * the value and hand it back (`next(value)`; a failure is handed back with `throw(error)`).
 */
type Need = "wait" | "compute";

/** How long a waiting worker sleeps before it looks again. */
const POLL_MS = 100;

/**
 * The lock loop of {@link sharedInRun} and {@link sharedInRunAsync}, written once. Outside a run (no
 * run folder) it asks for the value and keeps nothing. In a run, a kept value is read; else whoever
 * takes the key's lock asks for the value, keeps it and lets go of the lock (also when the computation
 * failed: nothing is kept then, and the error goes on to the caller); the others wait and look again,
 * and past {@link WAIT_MS} compute the value themselves without keeping it. The drivers only wait and
 * compute, each in its own way: blocking, or on the event loop.
 */
function* lockLoop<T>(key: string): Generator<Need, T, T> {
  const dir = runDir();
  if (dir === undefined) return yield "compute";
  const slot = slotOf(dir, key);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const done = read<T>(slot);
    if (done !== undefined) return done;
    if (tryLock(slot)) {
      try {
        const again = read<T>(slot);
        if (again !== undefined) return again;
        const value = yield "compute";
        store(slot, value);
        return value;
      } finally {
        rmSync(slot.lock, { force: true });
      }
    }
    if (Date.now() > deadline) return yield "compute";
    yield "wait";
  }
}

/**
 * The value of `key` in this run: read if a worker computed it, else computed here by `compute`
 * (once across workers: the others wait) and kept. The value must survive JSON. A failed
 * computation is not kept: the next caller tries again, and fails the same way.
 */
export function sharedInRun<T>(key: string, compute: () => T): T {
  const loop = lockLoop<T>(key);
  let step = loop.next();
  while (!step.done) {
    if (step.value === "wait") {
      sleepSync(POLL_MS);
      step = loop.next();
      continue;
    }
    try {
      step = loop.next(compute());
    } catch (error) {
      step = loop.throw(error); // the loop lets go of its lock and throws the error on
    }
  }
  return step.value;
}

/** {@link sharedInRun} for a computation that must not block the event loop (Terraform talking to a server in the test process). */
export async function sharedInRunAsync<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const loop = lockLoop<T>(key);
  let step = loop.next();
  while (!step.done) {
    if (step.value === "wait") {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      step = loop.next();
      continue;
    }
    try {
      step = loop.next(await compute());
    } catch (error) {
      step = loop.throw(error); // the loop lets go of its lock and throws the error on
    }
  }
  return step.value;
}
