import { describePermission, isWildcard, permissionsOf, widening, wildcardMatches } from "../../review/policy";

const policy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const wider = (before: string, after: string) => widening(permissionsOf(before) ?? [], permissionsOf(after) ?? []).map(describePermission);

describe("IAM policy widening", () => {
  const read = { Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: ["arn:aws:dynamodb:*:*:table/grants"] };

  test("a new action or resource widens; the same permission reordered does not", () => {
    expect(wider(policy(read), policy({ ...read, Action: ["dynamodb:GetItem", "dynamodb:PutItem"] }))).toEqual([
      "dynamodb:PutItem on arn:aws:dynamodb:*:*:table/grants",
    ]);
    expect(wider(policy(read), policy({ ...read, Resource: "*" }))).toEqual(["dynamodb:GetItem on *"]);
    expect(
      wider(
        policy(read, { Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }),
        policy({ Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }, read),
      ),
    ).toEqual([]);
  });

  test("a permission an old wildcard already covered is not a widening; actions match case-insensitively", () => {
    const broad = { Effect: "Allow", Action: "dynamodb:Get*", Resource: "arn:aws:dynamodb:*:*:table/*" };
    expect(wider(policy(broad), policy(broad, { ...read, Action: "DynamoDB:GetItem" }))).toEqual([]);
  });

  test("dropping a condition or a Deny widens", () => {
    const conditioned = { ...read, Condition: { Bool: { "aws:SecureTransport": "true" } } };
    expect(wider(policy(conditioned), policy(read))).toEqual(["dynamodb:GetItem on arn:aws:dynamodb:*:*:table/grants"]);
    const deny = { Effect: "Deny", Action: "dynamodb:DeleteItem", Resource: "*" };
    expect(wider(policy(read, deny), policy(read))).toEqual(["no longer denied: dynamodb:DeleteItem on *"]);
  });

  test("GIVEN the same condition written as a string, then as a list of one, or with its operators, keys and values reordered WHEN compared THEN no widening (the IAM grammar's condition values are a string or a list, and a condition block is unordered; the review compared the JSON as written)", () => {
    const before = {
      ...read,
      Condition: { StringEquals: { "aws:SourceAccount": "1", "aws:SourceArn": ["a", "b"] }, Bool: { "aws:SecureTransport": "true" } },
    };
    const after = {
      ...read,
      Condition: { Bool: { "aws:SecureTransport": ["true"] }, StringEquals: { "aws:SourceArn": ["b", "a"], "aws:SourceAccount": ["1"] } },
    };
    expect(wider(policy(before), policy(after))).toEqual([]);
    const loosened = {
      ...read,
      Condition: { Bool: { "aws:SecureTransport": ["true", "false"] }, StringEquals: before.Condition.StringEquals },
    };
    expect(wider(policy(before), policy(loosened))).toEqual(["dynamodb:GetItem on arn:aws:dynamodb:*:*:table/grants (with condition)"]);
  });

  test("GIVEN resources that are references WHEN compared THEN they compare as written", () => {
    const referring = { ...read, Resource: "${aws_dynamodb_table.grants.arn}" };
    expect(wider(policy(referring), policy({ ...referring, Resource: ["${aws_dynamodb_table.grants.arn}"] }))).toEqual([]);
    expect(wider(policy(referring), policy({ ...referring, Resource: "${aws_dynamodb_table.other.arn}" }))).toEqual([
      "dynamodb:GetItem on ${aws_dynamodb_table.other.arn}",
    ]);
  });

  test("wildcards and negations are recognized", () => {
    const [all] = permissionsOf(policy({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })) ?? [];
    expect(all).toEqual({ effect: "Allow", action: "NOT(iam:*)", resource: "*", condition: "" });
    expect(isWildcard(all)).toBe(true);
    expect(isWildcard({ effect: "Allow", action: "s3:GetObject", resource: "arn:aws:s3:::b/k", condition: "" })).toBe(false);
  });

  test("a value that is not a policy (unknown, malformed) yields nothing to compare", () => {
    expect(permissionsOf("(known after apply)")).toBeUndefined();
    expect(permissionsOf('{"Statement": 3}')).toBeUndefined();
    expect(permissionsOf('{"Statement": [3, {"Effect": "Allow", "Action": "*", "Resource": "*"}]}')).toBeUndefined();
    expect(permissionsOf('{"Version": "2012-10-17"}')).toBeUndefined();
  });
});

describe("wildcardMatches", () => {
  test.each([
    ["arn:aws:execute-api:eu-west-1:1:abc/*", "arn:aws:execute-api:eu-west-1:1:abc/authorizers/x", true],
    ["arn:aws:execute-api:eu-west-1:1:abc/authorizers/?", "arn:aws:execute-api:eu-west-1:1:abc/authorizers/x", true],
    ["arn:aws:execute-api:eu-west-1:1:abc/authorizers/x", "arn:aws:execute-api:eu-west-1:1:abc/*", false],
    ["table/grants.v1", "table/grantsXv1", false],
  ])("%s matches %s: %s", (pattern, value, expected) => {
    expect(wildcardMatches(pattern, value)).toBe(expected);
  });

  test("compares actions case-insensitively only when asked", () => {
    expect(wildcardMatches("dynamodb:get*", "dynamodb:GetItem", { ignoreCase: true })).toBe(true);
    expect(wildcardMatches("dynamodb:get*", "dynamodb:GetItem")).toBe(false);
  });
});
