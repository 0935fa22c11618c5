/**
 * Container-scoped caches: a size-bounded, least-recently-used map whose entries expire at a given
 * instant, and single-flight sharing of in-progress lookups.
 *
 * @packageDocumentation
 */

interface Entry<V> {
  readonly value: V;
  readonly expiresAtMs: number;
}

/**
 * A map of at most `maxEntries` entries, each with its own expiry instant. Reading an entry at or
 * after its expiry removes it and returns `undefined`; adding an entry beyond the bound evicts the
 * least recently used one. With `maxEntries` 0 nothing is stored.
 */
export class BoundedTtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  /**
   * @param maxEntries - the bound; 0 disables the cache
   */
  constructor(private readonly maxEntries: number) {}

  /** Number of entries held (expired ones included until read or evicted). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The value stored for `key` if it has not expired.
   *
   * @param key - the key
   * @param nowMs - current time, milliseconds since the epoch
   * @returns the value, or `undefined` when absent or expired
   */
  get(key: string, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (nowMs >= entry.expiresAtMs) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  /**
   * Stores `value` until `expiresAtMs` (exclusive). Does nothing when that instant has passed.
   *
   * @param key - the key
   * @param value - the value
   * @param expiresAtMs - first instant at which the entry is no longer served
   * @param nowMs - current time, milliseconds since the epoch
   */
  set(key: string, value: V, expiresAtMs: number, nowMs: number): void {
    if (this.maxEntries <= 0 || expiresAtMs <= nowMs) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAtMs });
  }

  /** Removes every entry. */
  clear(): void {
    this.entries.clear();
  }
}

/**
 * Shares one in-progress lookup among concurrent callers asking for the same key, so a burst of
 * identical requests makes one call to the dependency. The result is not kept once settled.
 */
export class SingleFlight<V> {
  private readonly inFlight = new Map<string, Promise<V>>();

  /**
   * Runs `work` for `key` unless a run for `key` is in progress, in which case its result is shared.
   *
   * @param key - what identifies identical lookups
   * @param work - the lookup
   * @returns the lookup's result (or rejection), shared by every concurrent caller
   */
  run(key: string, work: () => Promise<V>): Promise<V> {
    const existing = this.inFlight.get(key);
    if (existing !== undefined) return existing;
    const started = (async () => work())().finally(() => {
      this.inFlight.delete(key);
    });
    this.inFlight.set(key, started);
    return started;
  }
}
