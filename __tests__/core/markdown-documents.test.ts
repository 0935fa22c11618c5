/**
 * The three Markdown documents our tools write — the review comment (`review.md`), the access matrix
 * and `HANDOFF.md` — rendered with hostile values and read back by a real CommonMark/GFM parser:
 * no raw HTML but the documents' own tags, no link or image, no `@mention` in text outside code, no
 * broken table row, and each hostile name readable as itself in a code span. Values reach the
 * renderers through the configuration where its parser lets them, and directly through the
 * renderers' inputs where it would not (a pull request can edit the synth output the review and the
 * hand-off read).
 */
import { evaluateStack } from "../../checks/evaluate";
import { visibleEscape } from "../../core/markdown";
import { synthesizedUsers } from "../../handoff/same-input";
import { renderHandoffMarkdown } from "../../handoff/handoff-md";
import { computeAccessMatrix } from "../../matrix/compute";
import { diffMatrixSets, renderAccessChangesMarkdown } from "../../matrix/diff";
import { renderMatrixMarkdown } from "../../matrix/render-markdown";
import type { ChangeSet, ReviewReport } from "../../review/model";
import { REVIEW_MARKER, renderMarkdown } from "../../review/render-markdown";
import { HOSTILE_VALUES, hostileMatrix, inspectMarkdown, mentionsIn } from "../../testing/markdown";
import { reviewOutputs, synthOutputOf } from "../../testing/review";
import { exampleConfig, synthStack } from "../../testing/synth";

/** The HTML the documents write themselves; nothing else may be raw HTML. */
const OWN_HTML = new Set([
  `${REVIEW_MARKER}\n`,
  "<sub>",
  "</sub>",
  "<br>",
  "<details><summary>Why each call is refused</summary>\n",
  "<details><summary>Line diff</summary>\n",
  "</details>\n",
]);

/** Asserts a document is inert and returns its code spans. */
function expectInert(markdown: string): string[] {
  const inspection = inspectMarkdown(markdown);
  expect(inspection.html.filter((html) => !OWN_HTML.has(html))).toEqual([]);
  expect(inspection.links).toEqual([]);
  expect(mentionsIn(inspection)).toEqual([]);
  expect(inspection.brokenRows).toEqual([]);
  return [...inspection.codeSpans];
}

/** Usernames the configuration accepts that look like mentions, links, list items or emphasis. */
const HOSTILE_USERNAMES = ["@octocat", "www.example.invalid", "user@example.invalid", "_x_", "1.", "-x", "+1"];
const HOSTILE_DESCRIPTION =
  "<img src=x onerror=alert(1)> @octocat | [x](javascript:alert(1)) ![x](https://example.invalid/a.png) www.example.invalid ``` `a` # h &amp; :emoji: <!-- x";

/** The example with hostile usernames (each granted a route), scope, group and suppression texts. */
function hostileConfig() {
  return exampleConfig((doc) => {
    for (const username of HOSTILE_USERNAMES) {
      doc.users.push({ username, email: `${username.replace(/@/g, "")}@example.invalid` });
      doc.authorizationTable.grants.push({ principal: { user: username }, routes: ["GET /resource"] });
    }
    doc.users.push({ username: "mallory", email: "<img_src=x_onerror=alert(1)>@example.invalid" });
    doc.resourceServers[0].name = "@octocat team";
    doc.resourceServers[0].scopes[0].description = HOSTILE_DESCRIPTION;
    doc.checks.suppressions[0].reason = `@octocat ${HOSTILE_DESCRIPTION}\n| x | y |\n# heading`;
  });
}

describe("review.md", () => {
  test("WHEN a pull request adds users, grants and descriptions with hostile names THEN the comment is inert and names them in code", () => {
    const base = synthOutputOf();
    const head = synthOutputOf(hostileConfig());
    const { report } = reviewOutputs(base, head);
    const markdown = renderMarkdown(report);
    const code = expectInert(markdown);
    // the grants of each hostile user are listed by principal, in code
    for (const username of HOSTILE_USERNAMES) expect(code).toContain(`user#${username}`);
  });

  test("WHEN the synth output itself holds hostile names THEN every field of the report renders inert and reads back", () => {
    const hostile = HOSTILE_VALUES;
    const stacks: ChangeSet["stacks"] = hostile.map((value, i) => ({
      name: value,
      changes: [
        {
          stack: value,
          address: `aws_x.${value}`,
          type: "aws_cognito_user_pool_client",
          name: value,
          path: `${value}/path`,
          action: i % 2 === 0 ? "replace" : "change",
          before: {},
          after: {},
          attributes: [
            { path: value, before: value, after: `${value}!`, forcesReplacement: i % 2 === 0, cause: value },
            {
              path: `policy ${value}`,
              before: JSON.stringify({ a: value }),
              after: JSON.stringify({ a: value, b: "```" }),
              forcesReplacement: false,
            },
          ],
          replacedBecause: i % 2 === 0 ? [value] : [],
        },
      ],
    }));
    const report: ReviewReport = {
      changeSet: { source: { kind: "synth-diff", base: hostile[0], head: hostile[2] }, stacks, notes: hostile.map((v) => `note ${v}`) },
      flags: hostile.map((value) => ({
        rule: "scope-added",
        severity: "high",
        stack: value,
        path: value,
        address: `aws_x.${value}`,
        attribute: value,
        summary: `summary ${value}`,
        why: `why ${value}`,
      })),
      grants: hostile.map((value, i) => ({
        kind: i % 2 === 0 ? "added" : "removed",
        stack: value,
        principal: value,
        route: value,
        path: value,
        address: `aws_dynamodb_table_item.${value}`,
      })),
      failOn: "high",
    };
    const markdown = renderMarkdown(report, { maxLength: 10_000_000 });
    const code = expectInert(markdown);
    for (const value of hostile) expect(code).toContain(visibleEscape(value));
  });
});

/** Every name of a matrix hostile, not its enums (the Markdown writes enums as they are). */
const NAMES_ONLY = new Set(["kind", "guard", "method", "reason", "httpStatus", "allowed"]);

describe("the access matrix in Markdown", () => {
  test("WHEN the configuration has hostile usernames and the source a hostile file name THEN the document is inert", () => {
    const matrix = computeAccessMatrix(hostileConfig(), { source: "<img src=x onerror=alert(1)>@octocat.json" });
    const code = expectInert(renderMatrixMarkdown([matrix]));
    // Callers that answer alike share a row, so the usernames show in labels: each one GitHub could
    // read as a mention, link or emphasis is code there.
    for (const username of ["@octocat", "www.example.invalid", "user@example.invalid", "_x_", "-x", "+1"]) expect(code).toContain(username);
  });

  test.each(HOSTILE_VALUES.map((value) => [JSON.stringify(value), value]))(
    "WHEN every name in the matrix ends with %s THEN the document is inert and the stack name reads back",
    (_, value) => {
      const matrix = hostileMatrix(computeAccessMatrix(exampleConfig()), value, NAMES_ONLY);
      const code = expectInert(renderMatrixMarkdown([matrix]));
      expect(code).toContain(visibleEscape(matrix.stack));
      expect(code).toContain(visibleEscape(matrix.profiles[0].principal));
    },
  );
});

describe("the access changes in review.md", () => {
  test("WHEN a pull request lets hostile usernames call routes THEN the section is inert and names them in code", () => {
    const base = computeAccessMatrix(exampleConfig());
    const head = computeAccessMatrix(hostileConfig());
    const markdown = renderAccessChangesMarkdown(diffMatrixSets([base], [head]));
    expect(markdown).toContain("may now call");
    const code = expectInert(markdown);
    expect(code.some((span) => span.includes("@octocat"))).toBe(true);
  });

  test.each(HOSTILE_VALUES.map((value) => [JSON.stringify(value), value]))(
    "WHEN every name of the head matrix ends with %s THEN the section is inert",
    (_, value) => {
      const base = computeAccessMatrix(exampleConfig());
      const head = hostileMatrix(base, value, NAMES_ONLY);
      expectInert(renderAccessChangesMarkdown(diffMatrixSets([base], [{ ...head, stack: base.stack }]), { maxRows: 1000 }));
    },
  );
});

describe("HANDOFF.md", () => {
  function handoff(config = hostileConfig(), edit: (tf: any) => void = () => undefined): string {
    const { tf } = synthStack(config);
    edit(tf);
    const matrix = computeAccessMatrix(config, { source: "test.json" });
    const checks = evaluateStack({ name: config.name, template: tf, suppressions: config.checks.suppressions, checksFile: true });
    return renderHandoffMarkdown({
      config,
      source: "<b>@octocat</b>.json",
      tf,
      checks,
      matrix,
      requiredTerraform: ">= 1.5.0",
      users: synthesizedUsers(tf),
      origin: { commit: "0123456789abcdef0123456789abcdef01234567", uncommittedChanges: true, configEnv: "<b>@octocat</b>`x`.json" },
    });
  }

  test("WHEN the configuration has hostile usernames, descriptions and a suppression reason THEN the document is inert", () => {
    const code = expectInert(handoff());
    for (const username of HOSTILE_USERNAMES) expect(code).toContain(username);
  });

  test("WHEN the synth output's variable and output descriptions are hostile THEN the document is inert", () => {
    const markdown = handoff(exampleConfig(), (tf) => {
      for (const variable of Object.values(tf.variable ?? {}) as any[]) variable.description = HOSTILE_VALUES.join(" ");
      for (const output of Object.values(tf.output ?? {}) as any[]) output.description = HOSTILE_VALUES.join("\n");
    });
    expectInert(markdown);
  });
});
