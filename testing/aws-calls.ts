/**
 * Counts the calls an authorizer makes to one of its AWS clients (`functions/authorizer/aws/`), by
 * wrapping the client it is given. One call counts once, whatever its retries; count at a local
 * server (aws-json-stub, fault-proxy) to see each HTTP attempt.
 */

/** Calls seen so far. */
export interface CallCounter {
  /** Number of calls of one operation (e.g. `getItem`) or of all. */
  count(operation?: string): number;
  /** Forgets the calls seen. */
  reset(): void;
}

/**
 * Wraps `client` so that every call of one of its methods (but `destroy`) is counted.
 *
 * @returns the wrapped client, to give to the code under test, and its counter
 */
export function countCalls<Client extends object>(client: Client): { readonly client: Client; readonly calls: CallCounter } {
  const seen: string[] = [];
  const wrapped = new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || property === "destroy" || typeof property !== "string") return value;
      return (...args: unknown[]) => {
        seen.push(property);
        return (value as (...callArgs: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    client: wrapped,
    calls: {
      count: (operation) => (operation === undefined ? seen.length : seen.filter((name) => name === operation).length),
      reset: () => {
        seen.length = 0;
      },
    },
  };
}
