/**
 * Reads the folder of AWS CLI outputs `npm run adopt` starts from: one command's unmodified JSON
 * output per file, recognised by its top-level keys whatever the file is called, checked to belong
 * to one pool. Nothing here decides what the stack makes of the pool (`map.ts` does).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_Operations.html
 * @packageDocumentation
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type JsonObject, isJsonObject } from "../core/json";
import { locateJsonSyntaxError } from "../stacks/config/json-location";
import { AdoptError } from "./errors";

/** One file of the folder: its name (as listed in messages) and its parsed content. */
export interface DescribeFile<T = JsonObject> {
  /** The file's name in the folder. */
  readonly file: string;
  readonly body: T;
}

/** The AWS CLI commands adopt reads, each recognised by its output's top-level keys. */
export const DESCRIBE_COMMANDS = [
  { command: "describe-user-pool", required: ["UserPool"], optional: [] },
  {
    command: "get-user-pool-mfa-config",
    required: ["MfaConfiguration"],
    optional: ["SmsMfaConfiguration", "SoftwareTokenMfaConfiguration", "EmailMfaConfiguration", "WebAuthnConfiguration"],
  },
  { command: "describe-user-pool-client", required: ["UserPoolClient"], optional: [] },
  { command: "describe-resource-server", required: ["ResourceServer"], optional: [] },
  { command: "describe-user-pool-domain", required: ["DomainDescription"], optional: [] },
  // A token means the CLI printed one page only (--max-items): refused below, never read as the whole list.
  { command: "list-groups", required: ["Groups"], optional: ["NextToken"] },
  { command: "list-users", required: ["Users"], optional: ["PaginationToken"] },
] as const;

/** One of {@link DESCRIBE_COMMANDS}. */
export type DescribeCommand = (typeof DESCRIBE_COMMANDS)[number]["command"];

/** The described pool: what each command printed, by command. */
export interface DescribedPool {
  /** `describe-user-pool`: its `UserPool` (required). */
  readonly pool: DescribeFile;
  /** `get-user-pool-mfa-config`: the whole output. */
  readonly mfa?: DescribeFile;
  /** `describe-user-pool-domain`: its `DomainDescription` (empty when the domain does not exist). */
  readonly domain?: DescribeFile;
  /** `describe-user-pool-client`, one per file: each `UserPoolClient`. */
  readonly clients: readonly DescribeFile[];
  /** `describe-resource-server`, one per file: each `ResourceServer`. */
  readonly resourceServers: readonly DescribeFile[];
  /** `list-groups`: its `Groups`. */
  readonly groups?: DescribeFile<readonly unknown[]>;
  /** `list-users`: its `Users`. */
  readonly users?: DescribeFile<readonly unknown[]>;
}

/** A problem with one file, at a JSON path inside it (empty for the whole file). */
export interface FileProblem {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/** `file at path: message`, the one way problems are shown. */
export function showProblem(problem: FileProblem): string {
  return `${problem.file}${problem.path === "" ? "" : ` at ${problem.path}`}: ${problem.message}`;
}

/** Every problem as one coded error, one line each. */
export function problemsError(
  code: "ERR_ADOPT_INPUT" | "ERR_ADOPT_REFUSED",
  headline: string,
  problems: readonly FileProblem[],
): AdoptError {
  return new AdoptError(code, `${headline}:\n${problems.map((p) => `  - ${showProblem(p)}`).join("\n")}`);
}

/**
 * Reads every file of `folder` (files whose name starts with a dot and subfolders are left out).
 *
 * @param folder - the folder (absolute)
 * @param label - how messages name the folder (as the user gave it)
 * @throws AdoptError `ERR_ADOPT_USAGE` when the folder cannot be listed; `ERR_ADOPT_INPUT` listing
 *   every file that is not JSON, not a known output, repeated, of another pool, or when
 *   `describe-user-pool` is missing
 */
export function readDescribeFolder(folder: string, label: string): DescribedPool {
  const names = listFiles(folder, label);
  const problems: FileProblem[] = [];
  const byCommand = recogniseOutputs(folder, names, problems);
  const single = (command: DescribeCommand): DescribeFile | undefined => singleOutput(byCommand, command, problems);
  const poolFile = single("describe-user-pool");
  const mfa = single("get-user-pool-mfa-config");
  const domainFile = single("describe-user-pool-domain");
  const groupsFile = single("list-groups");
  const usersFile = single("list-users");

  const pool = readPool(poolFile, mfa, label, problems);
  const samePool = samePoolCheck(pool, problems);
  const clients = readEach(byCommand.get("describe-user-pool-client"), "UserPoolClient", samePool, problems);
  duplicates(clients, "UserPoolClient.ClientId", (c) => c.body.ClientId, "client", problems);
  const resourceServers = readEach(byCommand.get("describe-resource-server"), "ResourceServer", samePool, problems);
  duplicates(resourceServers, "ResourceServer.Identifier", (s) => s.body.Identifier, "resource server", problems);
  const domain = domainFile === undefined ? undefined : readDomain(domainFile, pool, samePool, problems);
  checkMfaAgrees(pool, mfa, problems);
  const groups = groupsFile === undefined ? undefined : readGroups(groupsFile, samePool, problems);
  const users = usersFile === undefined ? undefined : readUsers(usersFile, problems);

  if (problems.length > 0 || pool === undefined) {
    throw problemsError("ERR_ADOPT_INPUT", `the folder ${JSON.stringify(label)} cannot be adopted from`, problems);
  }
  return {
    pool,
    ...(mfa === undefined ? {} : { mfa }),
    ...(domain === undefined ? {} : { domain }),
    clients,
    resourceServers,
    ...(groups === undefined ? {} : { groups }),
    ...(users === undefined ? {} : { users }),
  };
}

/**
 * The names of the folder's files, in code-point order (dot files and subfolders left out).
 *
 * @throws AdoptError `ERR_ADOPT_USAGE` when the folder cannot be listed
 */
function listFiles(folder: string, label: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => !name.startsWith(".") && statSync(join(folder, name)).isFile())
      .sort();
  } catch (error) {
    throw new AdoptError(
      "ERR_ADOPT_USAGE",
      `--from ${JSON.stringify(label)} cannot be read as a folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ` +
        "pass the folder that holds the AWS CLI outputs",
    );
  }
}

/** Each file parsed and recognised by its top-level keys as the output of one command; a file that is neither JSON nor a known output is a problem. */
function recogniseOutputs(folder: string, names: readonly string[], problems: FileProblem[]): Map<DescribeCommand, DescribeFile[]> {
  const byCommand = new Map<DescribeCommand, DescribeFile[]>();
  for (const file of names) {
    const text = readFileSync(join(folder, file), "utf8");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      const at = locateJsonSyntaxError(text, error as Error);
      problems.push({ file, path: "", message: `is not JSON: ${at.reason} at line ${at.line}, column ${at.column}` });
      continue;
    }
    const command = isJsonObject(body) ? commandOf(body) : undefined;
    if (command === undefined) {
      const keys = isJsonObject(body)
        ? `top-level keys ${JSON.stringify(Object.keys(body))}`
        : `a JSON ${Array.isArray(body) ? "array" : typeof body}`;
      problems.push({
        file,
        path: "",
        message:
          `holds ${keys}, the output of none of the commands adopt reads (${DESCRIBE_COMMANDS.map((c) => c.command).join(", ")}); ` +
          "save each command's unmodified JSON output (--output json), or remove the file",
      });
      continue;
    }
    byCommand.set(command, [...(byCommand.get(command) ?? []), { file, body: body as JsonObject }]);
  }
  return byCommand;
}

/** The one output of a command the folder holds at most once; a second one is a problem. */
function singleOutput(
  byCommand: ReadonlyMap<DescribeCommand, readonly DescribeFile[]>,
  command: DescribeCommand,
  problems: FileProblem[],
): DescribeFile | undefined {
  const files = byCommand.get(command) ?? [];
  if (files.length > 1) {
    problems.push({
      file: files[1].file,
      path: "",
      message: `is a second output of ${command} (${files.map((f) => f.file).join(", ")}); the folder holds one; remove the others`,
    });
  }
  return files[0];
}

/** The pool's `UserPool`, which every other output must belong to; it and the MFA configuration are required. */
function readPool(
  poolFile: DescribeFile | undefined,
  mfa: DescribeFile | undefined,
  label: string,
  problems: FileProblem[],
): DescribeFile | undefined {
  const pool = poolFile === undefined ? undefined : section(poolFile, "UserPool", problems);
  if (poolFile === undefined) {
    problems.push({
      file: label,
      path: "",
      message: "holds no output of describe-user-pool; add it: aws cognito-idp describe-user-pool --user-pool-id <id> > user-pool.json",
    });
  } else if (mfa === undefined) {
    problems.push({
      file: label,
      path: "",
      message:
        "holds no output of get-user-pool-mfa-config (which MFA factors are on); add it: aws cognito-idp get-user-pool-mfa-config --user-pool-id <id> > mfa.json",
    });
  }
  if (pool !== undefined && typeof pool.body.Id !== "string") {
    problems.push({ file: pool.file, path: "UserPool.Id", message: `must be the pool's id, got ${JSON.stringify(pool.body.Id)}` });
  }
  return pool;
}

/** Records a problem when a described object's pool id (`value`, at `path` of `file`) is not the adopted pool's. */
type SamePool = (file: string, path: string, value: unknown) => void;

/** The check that an output belongs to the pool; none when the pool has no id to compare with. */
function samePoolCheck(pool: DescribeFile | undefined, problems: FileProblem[]): SamePool {
  const poolId = typeof pool?.body.Id === "string" ? pool.body.Id : undefined;
  return (file, path, value) => {
    if (poolId !== undefined && value !== poolId) {
      problems.push({
        file,
        path,
        message: `belongs to pool ${JSON.stringify(value)}, not ${JSON.stringify(poolId)} (${pool?.file}); describe it in the pool you adopt, or remove the file`,
      });
    }
  };
}

/** The `key` object (`UserPoolClient`, `ResourceServer`) of each output of a command with one per file, each of the pool. */
function readEach(
  files: readonly DescribeFile[] | undefined,
  key: "UserPoolClient" | "ResourceServer",
  samePool: SamePool,
  problems: FileProblem[],
): DescribeFile[] {
  return (files ?? []).flatMap((f) => {
    const described = section(f, key, problems);
    if (described === undefined) return [];
    samePool(f.file, `${key}.UserPoolId`, described.body.UserPoolId);
    return [described];
  });
}

/** The domain's `DomainDescription` (empty when there is no domain): of the pool, and a domain the pool names. */
function readDomain(
  domainFile: DescribeFile,
  pool: DescribeFile | undefined,
  samePool: SamePool,
  problems: FileProblem[],
): DescribeFile | undefined {
  const domain = section(domainFile, "DomainDescription", problems);
  if (domain !== undefined && Object.keys(domain.body).length > 0) {
    samePool(domain.file, "DomainDescription.UserPoolId", domain.body.UserPoolId);
    const named = [pool?.body.Domain, pool?.body.CustomDomain].filter((d) => typeof d === "string" && d !== "");
    if (pool !== undefined && !named.includes(domain.body.Domain)) {
      problems.push({
        file: domain.file,
        path: "DomainDescription.Domain",
        message: `is ${JSON.stringify(domain.body.Domain)}, which ${pool.file} does not name (UserPool.Domain and CustomDomain: ${JSON.stringify(named)}); describe the pool's own domain`,
      });
    }
  }
  return domain;
}

/** The MFA configuration and the pool must say the same of MFA: else they were described at different times. */
function checkMfaAgrees(pool: DescribeFile | undefined, mfa: DescribeFile | undefined, problems: FileProblem[]): void {
  if (pool !== undefined && mfa !== undefined && mfa.body.MfaConfiguration !== pool.body.MfaConfiguration) {
    problems.push({
      file: mfa.file,
      path: "MfaConfiguration",
      message: `is ${JSON.stringify(mfa.body.MfaConfiguration)} but ${pool.file} says ${JSON.stringify(pool.body.MfaConfiguration)} (UserPool.MfaConfiguration): the outputs were taken at different times; describe the pool again`,
    });
  }
}

/** The list-groups output's `Groups`, whole (not one page), each a group object of the pool. */
function readGroups(groupsFile: DescribeFile, samePool: SamePool, problems: FileProblem[]): DescribeFile<readonly unknown[]> | undefined {
  const groups = list(groupsFile, "Groups", "NextToken", problems);
  groups?.body.forEach((group, i) => {
    if (!isJsonObject(group))
      problems.push({ file: groups.file, path: `Groups[${i}]`, message: `must be a group object, got ${JSON.stringify(group)}` });
    else samePool(groups.file, `Groups[${i}].UserPoolId`, group.UserPoolId);
  });
  return groups;
}

/** The list-users output's `Users`, whole (not one page), each a user object. */
function readUsers(usersFile: DescribeFile, problems: FileProblem[]): DescribeFile<readonly unknown[]> | undefined {
  const users = list(usersFile, "Users", "PaginationToken", problems);
  users?.body.forEach((user, i) => {
    if (!isJsonObject(user))
      problems.push({ file: users.file, path: `Users[${i}]`, message: `must be a user object, got ${JSON.stringify(user)}` });
  });
  return users;
}

/** The command whose output has exactly these top-level keys (its required ones, some optional ones). */
function commandOf(body: JsonObject): DescribeCommand | undefined {
  const keys = Object.keys(body);
  const found = DESCRIBE_COMMANDS.find(
    (c) =>
      c.required.every((key) => keys.includes(key)) &&
      keys.every((key) => (c.required as readonly string[]).includes(key) || (c.optional as readonly string[]).includes(key)),
  );
  return found?.command;
}

function section(file: DescribeFile, key: string, problems: FileProblem[]): DescribeFile | undefined {
  const value = file.body[key];
  if (!isJsonObject(value)) {
    problems.push({ file: file.file, path: key, message: `must be an object, got ${JSON.stringify(value)}` });
    return undefined;
  }
  return { file: file.file, body: value };
}

function list(file: DescribeFile, key: string, token: string, problems: FileProblem[]): DescribeFile<readonly unknown[]> | undefined {
  const value = file.body[key];
  if (file.body[token] !== undefined) {
    problems.push({
      file: file.file,
      path: token,
      message: `is set: the file holds one page of the list only; run the command without --max-items (the CLI then reads every page)`,
    });
  }
  if (!Array.isArray(value)) {
    problems.push({ file: file.file, path: key, message: `must be a list, got ${JSON.stringify(value)}` });
    return undefined;
  }
  return { file: file.file, body: value };
}

function duplicates(
  files: readonly DescribeFile[],
  path: string,
  key: (f: DescribeFile) => unknown,
  what: string,
  problems: FileProblem[],
): void {
  const seen = new Map<unknown, string>();
  for (const f of files) {
    const value = key(f);
    const first = seen.get(value);
    if (first !== undefined) {
      problems.push({
        file: f.file,
        path,
        message: `${what} ${JSON.stringify(value)} is described twice (also in ${first}); keep one file per ${what}`,
      });
    } else seen.set(value, f.file);
  }
}
