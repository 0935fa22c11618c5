import { show } from "../errors";
import { AppClientConfig, GrantConfig, RouteConfig, ScopegateConfig, UserConfig } from "../model";
import { Reader, at } from "../reader";
import { formatRouteKey, grantCovers, parseRouteKey } from "../../../core/routes";
import { list } from "./shared";
import { CONFIGURATION_DEFAULTS } from "../../../core/defaults";

const DEFAULTS = CONFIGURATION_DEFAULTS.authorizationTable;

/** The `authorizationTable` section: each grant names a configured user or machine client, and routes on the lambda guard. */
export function readAuthorizationTable(
  r: Reader,
  value: unknown,
  users: readonly UserConfig[],
  clients: readonly AppClientConfig[],
  routes: readonly RouteConfig[],
  /** Whether `routes` holds every configured route (false when one was refused): only then is "matches no route" reported. */
  routesComplete: boolean,
): ScopegateConfig["authorizationTable"] {
  const path = "authorizationTable";
  if (value === undefined) return { grants: DEFAULTS.grants };
  const o = r.object(value, path, ["grants"]) ?? {};
  const lambdaRoutes = routes
    .filter((route) => route.guard === "lambda")
    .map((route) => formatRouteKey({ method: route.method, resourcePath: route.path }));
  const usernames = users.map((u) => u.username);
  const machineClients = clients.filter((c) => c.kind === "machine").map((c) => c.name);

  const grants: GrantConfig[] = r.array(o, "grants", path, { default: DEFAULTS.grants }).map((item, i) => {
    const grantPath = at(at(path, "grants"), i);
    const g = r.object(item, grantPath, ["principal", "routes"]) ?? {};
    const principalPath = at(grantPath, "principal");
    const p = r.object(g.principal, principalPath, ["user", "client"]) ?? {};
    let principal: GrantConfig["principal"] = { user: "" };
    if ((p.user === undefined) === (p.client === undefined)) {
      r.report(
        principalPath,
        `must name exactly one of "user" (a configured username) or "client" (a machine client's name), got ${show(g.principal)}`,
      );
    } else if (p.user !== undefined) {
      const user = r.string(p, "user", principalPath);
      if (user !== "" && !usernames.includes(user))
        r.report(at(principalPath, "user"), `user ${show(user)} is not configured; configured users: ${list(usernames)}`);
      principal = { user };
    } else {
      const client = r.string(p, "client", principalPath);
      if (client !== "" && !machineClients.includes(client)) {
        r.report(
          at(principalPath, "client"),
          `client ${show(client)} is not a machine client; only client_credentials tokens name a client as principal; machine clients: ${list(machineClients)}`,
        );
      }
      principal = { client };
    }
    const routeKeys = r.strings(g, "routes", grantPath);
    routeKeys.forEach((key, j) => {
      const routePath = at(at(grantPath, "routes"), j);
      const parsed = parseRouteKey(key, { allowAnyMethod: true });
      if (!parsed.ok) {
        r.report(routePath, parsed.problem);
      } else if (routesComplete && !lambdaRoutes.some((route) => grantCovers(key, route))) {
        r.report(
          routePath,
          `${show(key)} matches no route on the lambda guard, so it would grant nothing; lambda routes: ${list(lambdaRoutes)}`,
        );
      }
    });
    return { principal, routes: routeKeys };
  });
  r.unique(
    grants,
    (g) => ("user" in g.principal ? `user ${g.principal.user}` : `client ${g.principal.client}`),
    (i) => `${path}.grants[${i}].principal`,
    "principal",
  );
  return { grants };
}
