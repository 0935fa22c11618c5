import { parseGrantItem, reviewGrants } from "../../review/grants";
import { ResourceChange, KNOWN_AFTER_APPLY } from "../../review/model";

const item = (principal: string, ...routes: string[]) =>
  JSON.stringify({ principal: { S: principal }, routes: { L: routes.map((S) => ({ S })) } });

function change(name: string, action: ResourceChange["action"], before?: string, after?: string): ResourceChange {
  return {
    stack: "app",
    address: `aws_dynamodb_table_item.${name}`,
    type: "aws_dynamodb_table_item",
    name,
    path: `app/${name}`,
    action,
    before: before === undefined ? null : { item: before },
    after: after === undefined ? null : { item: after },
    attributes: [],
    replacedBecause: [],
  };
}

describe("grants", () => {
  test("parses the authorizer's item format, and nothing else", () => {
    expect(parseGrantItem(item("user#alice", "GET /resource"))).toEqual({ principal: "user#alice", routes: ["GET /resource"] });
    expect(parseGrantItem('{"pk":{"S":"x"}}')).toBeUndefined();
    expect(parseGrantItem(KNOWN_AFTER_APPLY)).toBeUndefined();
  });

  test("reads an item as the authorizer does: entries it ignores are no grant", () => {
    const mixed = JSON.stringify({ principal: { S: "user#mallory" }, routes: { L: [{ S: "GET /r" }, { S: "ANY /admin" }, { N: "1" }] } });
    expect(parseGrantItem(mixed)).toEqual({ principal: "user#mallory", routes: ["GET /r"] });
  });

  test("compares routes per principal across items: a moved grant is no change, a renamed key is a loss and a gain", () => {
    const review = reviewGrants({
      name: "app",
      changes: [
        change("a", "remove", item("user#alice", "GET /r", "POST /r")),
        change("b", "add", undefined, item("user#alice", "GET /r", "PUT /r")),
        change("c", "change", item("user#bob", "GET /r"), item("user#robert", "GET /r")),
      ],
    });
    expect(review.changes.map((g) => `${g.principal} ${g.kind} ${g.route} (${g.path})`)).toEqual([
      "user#alice added PUT /r (app/b)",
      "user#alice removed POST /r (app/b)",
      "user#bob removed GET /r (app/c)",
      "user#robert added GET /r (app/c)",
    ]);
  });

  test("an item known only after apply is unreadable, not removed", () => {
    const review = reviewGrants({
      name: "app",
      changes: [change("m", "change", item("client#123", "POST /r"), KNOWN_AFTER_APPLY), change("n", "add", undefined, KNOWN_AFTER_APPLY)],
    });
    expect(review.changes).toEqual([]);
    expect(review.unreadable.map((c) => c.name)).toEqual(["m", "n"]);
  });
});
