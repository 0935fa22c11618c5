import { SynthOutput } from "../../review/load";
import { reviewOutputs, synthOutputOf } from "../../testing/review";
import { exampleConfig } from "../../testing/synth";

const STACK = "scopegate-example";
let example: SynthOutput;

beforeAll(() => {
  example = synthOutputOf();
});

const withConfig = (mutate: (doc: Record<string, any>) => void) => synthOutputOf(exampleConfig(mutate));

describe("integrations: where the routes a change adds or changes send their requests", () => {
  test("an added http_proxy route shows its method, path and URL in review.md and review.json", () => {
    // GIVEN a head with a new route proxied to a backend, with a path parameter
    const head = withConfig((doc) =>
      doc.api.routes.push({
        method: "GET",
        path: "/items/{id}",
        guard: "lambda",
        scopes: ["api.example.com/read"],
        integration: { type: "http_proxy", url: "https://backend.example.com/items/{id}" },
      }),
    );
    // WHEN reviewed against the example
    const review = reviewOutputs(example, head);
    // THEN the route and its URL are listed in both reports
    expect(review.summary.integrations).toEqual([
      {
        stack: STACK,
        route: "GET /items/{id}",
        action: "add",
        type: "HTTP_PROXY",
        before: null,
        after: "https://backend.example.com/items/{id}",
        path: `${STACK}/rest-api/route-GET:items:{id}/integration`,
        address: expect.stringMatching(/^aws_api_gateway_integration\./),
      },
    ]);
    expect(review.markdown).toContain(
      `### Integrations\n\n- + \`GET /items/{id}\`: \`https://backend.example.com/items/{id}\` (\`${STACK}/rest-api/route-GET:items:{id}/integration\`)\n`,
    );
  });

  test("a changed URL is shown old → new; a mock route shows nothing", () => {
    // GIVEN GET /reports proxied to one backend, then to another
    const proxied = (url: string) =>
      withConfig((doc) => {
        doc.api.routes[2].integration = { type: "http_proxy", url };
      });
    const base = proxied("https://reports.example.com/v1");
    const head = proxied("https://attacker.example.net/collect");
    // WHEN reviewed
    const review = reviewOutputs(base, head);
    // THEN the one integration shows its route and both URLs
    expect(review.summary.integrations.map((i) => [i.route, i.action, i.before, i.after])).toEqual([
      ["GET /reports", "change", "https://reports.example.com/v1", "https://attacker.example.net/collect"],
    ]);
    expect(review.markdown).toContain(
      "- ~ `GET /reports`: `https://reports.example.com/v1` → `https://attacker.example.net/collect` (`scopegate-example/rest-api/route-GET:reports/integration`)",
    );
    // AND an unchanged example lists no integration
    expect(reviewOutputs(example, example).summary.integrations).toEqual([]);
  });
});

test("a long URL is shown whole: the end of a host name is where another domain would hide", () => {
  const url = `https://api.example.com.${"a".repeat(200)}.attacker.example.net/collect`;
  const head = synthOutputOf(
    exampleConfig((doc) => {
      doc.api.routes[3].integration = { type: "http_proxy", url };
    }),
  );
  // (a mock route becoming a proxy is replaced: it had no URL before)
  expect(reviewOutputs(example, head).markdown).toContain(`- ± \`POST /reports\`: _(unset)_ → \`${url}\` (`);
});
