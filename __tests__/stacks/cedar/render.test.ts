/**
 * The Cedar twin as text: configuration strings stay values (one escaping, {@link cedarString}),
 * the files are deterministic, and Cedar's own validator accepts them.
 */
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { cedarTwinProblems } from "../../../stacks/cedar/cedar-wasm";
import { CEDAR_FILES, cedarRequest, cedarTwinFiles, renderCedarTwin } from "../../../stacks/cedar/render";
import { cedarString } from "../../../stacks/cedar/text";
import type { ScopegateConfig } from "../../../stacks/config/model";
import { exampleConfig, variedConfig } from "../../matrix/configs";

/** Every value of a Cedar policy's JSON form (literals and entity ids), at any depth. */
function valuesOf(json: unknown): string[] {
  if (typeof json === "string") return [json];
  if (Array.isArray(json)) return json.flatMap(valuesOf);
  if (json !== null && typeof json === "object") return Object.values(json).flatMap(valuesOf);
  return [];
}

/** Hostile text in every configured string the twin writes into policies (the configuration refuses most of it first). */
const HOSTILE = [
  'x"; permit(principal, action, resource); //',
  "back\\slash\\",
  "line\nbreak\r\ttab\u0000nul",
  "\u2028sep\u0085",
  "ünïcödé ✓ 𝒜",
  '")\nwhen { true };\n@id("',
];

function hostileConfig(value: string): ScopegateConfig {
  const base = exampleConfig();
  return {
    ...base,
    name: value,
    appClients: base.appClients.map((client) => ({ ...client, name: `${client.name}${value}` })),
    api: {
      ...base.api,
      routes: base.api.routes.map((route) => ({
        ...route,
        path: `${route.path}${value}`,
        scopes: route.scopes.map((scope) => `${scope}${value}`),
      })),
    },
  };
}

describe("cedarString", () => {
  test("escapes quotes, backslashes and control characters, and keeps other text", () => {
    expect(cedarString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(cedarString("a\nb\r\t\0")).toBe('"a\\nb\\r\\t\\0"');
    expect(cedarString("\u0001\u007f\u2028")).toBe('"\\u{1}\\u{7f}\\u{2028}"');
    expect(cedarString("ünï ✓ 𝒜")).toBe('"ünï ✓ 𝒜"');
    expect(() => cedarString("\ud800")).toThrow(/lone surrogate/);
  });

  test.each(HOSTILE)("Cedar reads back exactly the text written: %j", (value) => {
    const parsed = cedar.policyToJson(`permit (principal, action, resource) when { context.x == ${cedarString(value)} };`);
    expect(parsed.type).toBe("success");
    expect(valuesOf((parsed as { json: unknown }).json)).toContain(value);
  });
});

describe("the twin of hostile configuration text", () => {
  test.each(HOSTILE)("every policy parses back with its values intact and nothing else: %j", (value) => {
    const config = hostileConfig(value);
    const twin = renderCedarTwin(config);
    const files = cedarTwinFiles(twin);
    const parts = cedar.policySetTextToParts(files.get(CEDAR_FILES.policies)!);
    expect(parts).toMatchObject({ type: "success", policy_templates: [] });
    // One parsed policy per rendered policy: no text became another policy.
    expect((parts as { policies: string[] }).policies).toHaveLength(twin.policies.length);
    for (const route of config.api.routes) {
      const routeKey = `${route.method} ${route.path}`;
      const policies = twin.policies.filter((policy) => policy.id.startsWith(`${routeKey} `));
      expect(policies.length).toBeGreaterThan(0);
      for (const policy of policies) {
        const json = cedar.policyToJson(policy.text);
        expect(json.type).toBe("success");
        const { json: policyJson } = json as { json: cedar.PolicyJson };
        expect(policyJson.annotations).toEqual({ id: policy.id });
        expect(policyJson.action).toEqual({ op: "==", entity: { type: "Scopegate::Action", id: routeKey } });
        expect(policyJson.resource).toEqual({ op: "==", entity: { type: "Scopegate::Api", id: value } });
        const values = valuesOf(policyJson.conditions);
        // Basic carries no custom scope: only the token policies name the route's scopes.
        if (!policy.id.endsWith(" basic")) for (const scope of route.scopes) expect(values).toContain(scope);
        if (route.guard === "lambda") expect(values).toEqual(expect.arrayContaining([routeKey, `* ${route.path}`]));
      }
    }
    // The client names, hostile too, are values of the lambda policies.
    const all = twin.policies.flatMap((policy) => valuesOf((cedar.policyToJson(policy.text) as { json: unknown }).json));
    for (const client of config.appClients) expect(all).toContain(client.name);
    expect(cedarTwinProblems(files)).toEqual([]);
  });
});

describe("the twin's files", () => {
  test("are the same bytes for the same configuration, and Cedar validates them (strict)", () => {
    for (const config of [exampleConfig(), variedConfig()]) {
      const first = cedarTwinFiles(renderCedarTwin(config));
      expect(cedarTwinFiles(renderCedarTwin(structuredClone(config)))).toEqual(first);
      expect([...first.keys()]).toEqual([CEDAR_FILES.schema, CEDAR_FILES.policies, CEDAR_FILES.entities]);
      expect(cedarTwinProblems(first)).toEqual([]);
    }
  });

  test("a policy that does not fit the schema is a validation problem naming the file", () => {
    const files = new Map(cedarTwinFiles(renderCedarTwin(exampleConfig())));
    files.set(
      CEDAR_FILES.policies,
      `${files.get(CEDAR_FILES.policies)}\npermit (principal, action, resource) when { principal.isAdmin };\n`,
    );
    expect(cedarTwinProblems(files).join("\n")).toMatch(/^policies\.cedar: policy .*isAdmin/m);
    const unparsable = new Map(files);
    unparsable.set(CEDAR_FILES.policies, "permit (principal, action, resource");
    expect(cedarTwinProblems(unparsable)[0]).toMatch(/^policies\.cedar: /);
    const noEntities = new Map(files);
    noEntities.delete(CEDAR_FILES.entities);
    expect(cedarTwinProblems(noEntities)).toEqual(["entities.json: missing"]);
  });

  test("states the example's access as the docs show it", () => {
    const twin = renderCedarTwin(exampleConfig());
    expect(twin.policies.map((policy) => policy.id)).toEqual([
      "GET /resource lambda access-token",
      "GET /resource lambda basic",
      "POST /resource lambda access-token",
      "POST /resource lambda basic",
      "GET /reports cognito access-token",
      "POST /reports cognito access-token",
    ]);
    expect(twin.entities.map((entity) => [entity.uid.type, entity.uid.id, entity.attrs])).toEqual([
      ["Scopegate::User", "alice", { grants: ["GET /resource"], designatedBasic: false }],
      ["Scopegate::User", "bob", { grants: [], designatedBasic: false }],
      ["Scopegate::User", "svc-reports", { grants: ["GET /resource"], designatedBasic: true }],
      ["Scopegate::Client", "machine", { grants: ["POST /resource"] }],
      ["Scopegate::Api", "scopegate-example", {}],
    ]);
  });
});

describe("cedarRequest", () => {
  test("asks in the four shapes of docs/cedar.md's request table", () => {
    const ask = (caller: Parameters<typeof cedarRequest>[2]) => cedarRequest("stack", "GET /items/{id}", caller);
    const common = { action: { type: "Scopegate::Action", id: "GET /items/{id}" }, resource: { type: "Scopegate::Api", id: "stack" } };
    expect(ask({ kind: "access-token", username: "alice", client: "web", scopes: ["api/read"] })).toEqual({
      principal: { type: "Scopegate::User", id: "alice" },
      ...common,
      context: { credential: "access-token", client: "web", scopes: ["api/read"] },
    });
    expect(ask({ kind: "id-token", username: "alice", client: "web" })).toEqual({
      principal: { type: "Scopegate::User", id: "alice" },
      ...common,
      context: { credential: "id-token", client: "web", scopes: [] },
    });
    expect(ask({ kind: "machine", client: "machine", scopes: ["api/write"] })).toEqual({
      principal: { type: "Scopegate::Client", id: "machine" },
      ...common,
      context: { credential: "access-token", client: "machine", scopes: ["api/write"] },
    });
    expect(ask({ kind: "basic", username: "svc", client: "legacy" })).toEqual({
      principal: { type: "Scopegate::User", id: "svc" },
      ...common,
      context: { credential: "basic", client: "legacy", scopes: [] },
    });
  });
});
