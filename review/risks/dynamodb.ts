/**
 * Risk checks of the grants table.
 *
 * @packageDocumentation
 */
import { PRINCIPAL_ATTRIBUTE } from "../../core/grant-item";
import { Check, before, destroyed } from "./check";

/** The authorization table (keyed by principal) replaced or removed. */
export const grantsTableDestroyed: Check = (change, report) => {
  const hashKey = before(change, "hash_key");
  if (hashKey === PRINCIPAL_ATTRIBUTE || change.path.includes("authorization-table")) destroyed("grants-table-destroyed")(change, report);
};
