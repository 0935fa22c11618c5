/**
 * Configurations for the matrix tests: the built-in example and two varied ones that exercise what
 * the example does not (grants with `*`, a route without scopes, a greedy path, several clients of
 * each kind, Basic refused, e-mail sign-in).
 */
import type { ScopegateConfig } from "../../stacks/config/model";
import { parseConfig } from "../../stacks/config/parse";
import { exampleDocument } from "../../testing/config";

/** The built-in example, validated. */
export function exampleConfig(mutate: (doc: Record<string, any>) => void = () => undefined): ScopegateConfig {
  const doc = exampleDocument();
  mutate(doc);
  return parseConfig(doc, "the built-in example");
}

/** `*` grants, a route without scopes, two browser and two machine clients, Basic enabled. */
export function variedDocument(): Record<string, any> {
  return {
    name: "matrix-varied",
    userPool: { domainPrefix: "matrix-varied" },
    resourceServers: [
      {
        identifier: "items.example.com",
        name: "Items",
        scopes: [
          { name: "read", description: "Read items" },
          { name: "write", description: "Change items" },
          { name: "admin", description: "Administer items" },
        ],
      },
    ],
    appClients: [
      {
        name: "web",
        kind: "browser",
        scopes: ["openid", "email", "items.example.com/read", "items.example.com/write"],
        callbackUrls: ["https://app.example.com/cb"],
      },
      { name: "mobile", kind: "browser", scopes: ["items.example.com/read"], callbackUrls: ["com.example.app://cb"] },
      { name: "etl", kind: "machine", scopes: ["items.example.com/write"] },
      { name: "ops", kind: "machine", scopes: ["items.example.com/admin", "items.example.com/read"] },
      { name: "legacy", kind: "legacy", basicUsers: ["carol"] },
    ],
    users: [{ username: "carol" }, { username: "dave" }, { username: "erin" }],
    api: {
      routes: [
        { method: "GET", path: "/items", guard: "lambda", scopes: ["items.example.com/read"] },
        { method: "PUT", path: "/items/{id}", guard: "lambda", scopes: ["items.example.com/write", "items.example.com/admin"] },
        { method: "DELETE", path: "/items/{id}", guard: "lambda", scopes: ["items.example.com/admin"] },
        { method: "GET", path: "/health", guard: "lambda", scopes: [] },
        { method: "GET", path: "/stats", guard: "cognito", scopes: ["items.example.com/read"] },
      ],
    },
    authorizationTable: {
      grants: [
        { principal: { user: "carol" }, routes: ["* /items/{id}", "GET /items"] },
        { principal: { user: "dave" }, routes: ["GET /health"] },
        { principal: { client: "etl" }, routes: ["* /items/{id}"] },
        { principal: { client: "ops" }, routes: ["DELETE /items/{id}", "GET /health"] },
      ],
    },
  };
}

/** E-mail sign-in, no legacy client (Basic refused), no `openid`, a greedy path, a `*` grant on a route without scopes. */
export function emailDocument(): Record<string, any> {
  return {
    name: "matrix-email",
    userPool: { domainPrefix: "matrix-email", signInWith: "email" },
    resourceServers: [{ identifier: "api.example.org", name: "Org", scopes: [{ name: "read", description: "Read" }] }],
    appClients: [
      { name: "spa", kind: "browser", scopes: ["api.example.org/read"], callbackUrls: ["https://spa.example.org/cb"] },
      { name: "batch", kind: "machine", scopes: ["api.example.org/read"] },
    ],
    users: [{ username: "frank@example.org" }, { username: "grace@example.org" }],
    api: {
      routes: [
        { method: "GET", path: "/docs/{path+}", guard: "lambda", scopes: ["api.example.org/read"] },
        { method: "POST", path: "/ping", guard: "lambda", scopes: [] },
      ],
    },
    authorizationTable: {
      grants: [
        { principal: { user: "frank@example.org" }, routes: ["GET /docs/{path+}"] },
        { principal: { client: "batch" }, routes: ["* /ping"] },
      ],
    },
  };
}

/** {@link variedDocument}, validated. */
export function variedConfig(): ScopegateConfig {
  return parseConfig(variedDocument(), "the varied test configuration");
}

/** {@link emailDocument}, validated. */
export function emailConfig(): ScopegateConfig {
  return parseConfig(emailDocument(), "the e-mail sign-in test configuration");
}
