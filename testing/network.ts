/** Loopback helpers for tests that need an endpoint nothing listens on. */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * An `http://127.0.0.1:<port>` URL whose port was just free (bound then released): connections to it
 * are refused, which is how a down dependency looks.
 */
export async function closedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
