import { BackendConfig } from "../model";
import { Reader, at } from "../reader";
import { REGION } from "../rules";
import { CONFIGURATION_DEFAULTS } from "../../../core/defaults";

const DEFAULTS = CONFIGURATION_DEFAULTS.backend;

/** The `backend` section: a local state file (relative path only) or S3 with locking. */
export function readBackend(r: Reader, value: unknown, region: string): BackendConfig {
  if (value === undefined) return { type: DEFAULTS.type, path: DEFAULTS.path };
  const o = r.object(value, "backend", ["type", "path", "bucket", "key", "region", "useLockfile", "dynamodbTable"]) ?? {};
  const type = r.oneOf(o, "type", "backend", ["local", "s3"] as const);
  if (type === "local") {
    for (const key of ["bucket", "key", "region", "useLockfile", "dynamodbTable"]) {
      if (o[key] !== undefined) r.report(at("backend", key), `applies only to "type": "s3"; remove it or switch the backend type`);
    }
    const path = r.string(o, "path", "backend", {
      default: DEFAULTS.path,
      pattern: /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]+$/,
      hint: 'a relative path inside the stack folder, without ".." (an absolute path would tie the output to one machine)',
    });
    return { type, path };
  }
  const bucket = r.string(o, "bucket", "backend", { pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, hint: "an S3 bucket name" });
  const key = r.string(o, "key", "backend", { pattern: /^[^/][\x21-\x7e]*$/, hint: 'an object key such as "scopegate/terraform.tfstate"' });
  const backendRegion = r.string(o, "region", "backend", { ...REGION, default: region });
  const useLockfile = r.boolean(o, "useLockfile", "backend", { default: DEFAULTS.useLockfile });
  const dynamodbTable = r.optionalString(o, "dynamodbTable", "backend", {
    pattern: /^[A-Za-z0-9_.-]{3,255}$/,
    hint: "a DynamoDB table name",
  });
  if (!useLockfile && dynamodbTable === undefined) {
    r.report("backend.useLockfile", "state without locking lets two applies corrupt it; keep useLockfile true or name a dynamodbTable");
  }
  return { type, bucket, key, region: backendRegion, useLockfile, ...(dynamodbTable ? { dynamodbTable } : {}) };
}
