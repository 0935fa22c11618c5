import { CONFIGURATION_DEFAULTS } from "../../../core/defaults";
import { VerifiedPermissionsConfig } from "../model";
import { Reader } from "../reader";

/** The `verifiedPermissions` section: whether the stack exports its Cedar twin to Amazon Verified Permissions. */
export function readVerifiedPermissions(r: Reader, value: unknown): VerifiedPermissionsConfig {
  const exportByDefault: boolean = CONFIGURATION_DEFAULTS.verifiedPermissions.export;
  if (value === undefined) return { export: exportByDefault };
  const o = r.object(value, "verifiedPermissions", ["export"]) ?? {};
  return { export: r.boolean(o, "export", "verifiedPermissions", { default: exportByDefault }) };
}
