import { computeAccessMatrix } from "../../matrix/compute";
import { parseConfig } from "../../stacks/config/parse";
import { emailDocument } from "./configs";

const SUB = "0f1e2d3c-4b5a-4697-8877-665544332211";

describe("GIVEN a stack attached to an existing e-mail pool with a person already in it", () => {
  const doc = emailDocument();
  doc.userPool = {
    existing: { arn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyZ" },
    domainPrefix: "matrix-email",
    signInWith: "email",
  };
  doc.users = [{ username: "frank@example.org", existing: true, sub: SUB }, { username: "grace@example.org" }];
  const matrix = computeAccessMatrix(parseConfig(doc, "test"));

  test("THEN the existing person's principal is its declared sub, and a created user's stays symbolic", () => {
    expect(matrix.callers.find((caller) => caller.id === "user:frank@example.org@spa")?.principal).toBe(`user#${SUB}`);
    expect(matrix.callers.find((caller) => caller.id === "user:grace@example.org@spa")?.principal).toBe("user#<sub of grace@example.org>");
  });
});
