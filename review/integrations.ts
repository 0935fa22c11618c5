/**
 * Where API Gateway sends a route's requests: every integration with a URI (an `HTTP_PROXY` or
 * `HTTP` backend, or an AWS service) that a change adds, changes or replaces, named by its route
 * (`GET /reports`, as `core/routes.ts` formats route keys and the rest of the review names routes). A new backend URL is where callers'
 * requests, with their headers, will go: a reviewer sees each one.
 *
 * @packageDocumentation
 */
import { isJsonObject, type JsonObject } from "../core/json";
import { SynthOutput } from "./load";
import { managedResources, parseReference } from "../core/terraform-json/document";
import { isExpression } from "../core/terraform-json/template";
import { ChangeSet, IntegrationChange, ResourceChange } from "./model";

/** The resource type of integrations. */
export const INTEGRATION_TYPE = "aws_api_gateway_integration";

/**
 * The integrations with a URI that a change set adds, changes or replaces.
 *
 * @param head the head's synth output, where routes are read when a plan's values do not tell
 *   (a new resource's `resource_id` is known only after apply) @default none
 */
export function integrationChanges(changeSet: ChangeSet, head?: SynthOutput): IntegrationChange[] {
  const found: IntegrationChange[] = [];
  for (const stack of changeSet.stacks) {
    const tf = head?.stacks.get(stack.name);
    const resources = tf === undefined ? new Map<string, JsonObject>() : managedResources(tf);
    for (const change of stack.changes) {
      if (change.type !== INTEGRATION_TYPE || change.action === "remove" || change.after === null) continue;
      const after = change.after.uri ?? null;
      const before = change.action === "add" ? null : (change.before?.uri ?? null);
      if (after === null && before === null) continue;
      found.push({
        stack: stack.name,
        route: routeOf(change, resources),
        action: change.action,
        type: change.after.type ?? null,
        before,
        after,
        path: change.path,
        address: change.address,
      });
    }
  }
  return found;
}

/** `GET /reports`: from the head's resources, else the change's own values, else its construct path. */
function routeOf(change: ResourceChange, resources: ReadonlyMap<string, JsonObject>): string {
  const raw = resources.get(change.address);
  const method = literal(raw?.http_method, resources) ?? literal(change.after?.http_method, resources);
  const path = resourcePath(raw?.resource_id ?? change.after?.resource_id, resources);
  if (method !== undefined && path !== undefined) return `${method} ${path}`;
  // The REST API construct names each route's scope `route-<METHOD><path with : for />`.
  const named = /(?:^|\/)route-([A-Z]+)((?::[^/]*)*)(?:\/|$)/.exec(change.path);
  if (named !== null) return `${named[1]} ${named[2] === "" ? "/" : named[2].replace(/:/g, "/")}`;
  return change.path;
}

/** A string value, or the configured value of the one attribute it refers to. */
function literal(value: unknown, resources: ReadonlyMap<string, JsonObject>): string | undefined {
  if (typeof value !== "string") return undefined;
  if (!isExpression(value)) return value;
  const reference = parseReference(value);
  if (reference === undefined || reference.mode !== "managed") return undefined;
  const target = resources.get(`${reference.type}.${reference.name}`)?.[reference.attribute];
  return typeof target === "string" && !isExpression(target) ? target : undefined;
}

/** The resource path `resource_id` stands for, read up the `parent_id` chain to the API's root. */
function resourcePath(resourceId: unknown, resources: ReadonlyMap<string, JsonObject>): string | undefined {
  const parts: string[] = [];
  let current = resourceId;
  for (let depth = 0; depth < 64; depth++) {
    if (typeof current !== "string") return undefined;
    const reference = parseReference(current);
    if (reference === undefined || reference.mode !== "managed") return undefined;
    if (reference.type === "aws_api_gateway_rest_api" && reference.attribute === "root_resource_id") {
      return `/${parts.reverse().join("/")}`;
    }
    const resource = resources.get(`${reference.type}.${reference.name}`);
    if (!isJsonObject(resource) || reference.attribute !== "id" || typeof resource.path_part !== "string") return undefined;
    parts.push(resource.path_part);
    current = resource.parent_id;
  }
  return undefined;
}
