/** Counts the commands an AWS SDK v3 client sends (each attempt of a command counts once). */

/** The part of an SDK client this helper needs. */
interface ClientWithMiddleware {
  readonly middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: "initialize"; name: string },
    ): void;
  };
}

/** Calls seen so far. */
export interface CommandCounter {
  /** Number of commands sent, of one name (e.g. `GetItemCommand`) or of all. */
  count(commandName?: string): number;
  /** Forgets the calls seen. */
  reset(): void;
}

/** Adds a counting middleware to `client`. */
export function countCommands(client: unknown): CommandCounter {
  const seen: string[] = [];
  (client as ClientWithMiddleware).middlewareStack.add(
    (next, context) => async (args) => {
      seen.push(context.commandName ?? "unknown");
      return next(args);
    },
    { step: "initialize", name: "scopegateTestCommandCounter" },
  );
  return {
    count: (commandName) => (commandName === undefined ? seen.length : seen.filter((name) => name === commandName).length),
    reset: () => {
      seen.length = 0;
    },
  };
}
