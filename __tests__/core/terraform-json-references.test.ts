import { configuredValue, humanizeReferences, referencesIn, substituteReferences } from "../../core/terraform-json/references";

const POOL = "aws_cognito_user_pool.user-pool_54D4728B";

describe("references between resources, found by the shared template scanner", () => {
  test("GIVEN interpolations WHEN scanned THEN each managed-resource reference is found with its address, attribute and text", () => {
    expect(referencesIn(`arn:\${${POOL}.arn}/\${ aws_iam_role.r.name }`)).toEqual([
      { address: POOL, attribute: "arn", text: `${POOL}.arn` },
      { address: "aws_iam_role.r", attribute: "name", text: "aws_iam_role.r.name" },
    ]);
  });

  test.each([
    ["a data source", "${data.aws_iam_policy_document.p.json}"],
    ["a module output", "${module.m.aws_x.y.z}"],
    ["an escaped interpolation", `$\${${POOL}.arn}`],
    // The old regex read every word of the interpolation, quoted strings included.
    ["a string literal inside an interpolation", `\${lookup(var.m, "${POOL}.arn")}`],
    ["an index before the attribute", `\${${POOL}[0].arn}`],
  ])("GIVEN %s WHEN scanned THEN it is no reference to a managed resource", (_title, text) => {
    expect(referencesIn(text)).toEqual([]);
  });

  test("GIVEN a reference in a directive or a nested template WHEN scanned THEN it is found", () => {
    expect(referencesIn(`%{ if ${POOL}.id != "" }x%{ endif }`).map((r) => r.attribute)).toEqual(["id"]);
    expect(referencesIn(`\${"a-\${${POOL}.name}"}`).map((r) => r.attribute)).toEqual(["name"]);
  });

  test("GIVEN a text WHEN humanized THEN each reference is named by its construct path, the same reference twice included", () => {
    const text = `\${${POOL}.id}:\${${POOL}.id} \${aws_x.unknown.id} \${"}"} \${${POOL}.arn}`;
    expect(humanizeReferences(text, (address) => (address === POOL ? "user-pool/pool" : undefined))).toBe(
      '${user-pool/pool.id}:${user-pool/pool.id} ${aws_x.unknown.id} ${"}"} ${user-pool/pool.arn}',
    );
  });

  test("GIVEN interpolations WHEN substituted THEN only those that are exactly one reference are replaced", () => {
    const text = `\${${POOL}.id}/\${upper(${POOL}.id)}/\${ ${POOL}.name }`;
    expect(substituteReferences(text, (ref) => `<${ref.attribute}>`)).toBe(`<id>/\${upper(${POOL}.id)}/<name>`);
    // An escaped `$${…}` is literal text, not an interpolation (adopt's own regex rewrote it).
    expect(substituteReferences(`$\${${POOL}.id}`, () => "x")).toBe(`$\${${POOL}.id}`);
  });

  test("GIVEN a configured value WHEN it is a template directive THEN it is no literal (only an expression-free string is)", () => {
    const resources = new Map([[POOL, { name: "pool", id: "%{ if true }a%{ endif }", arn: "$${literal}" }]]);
    expect(configuredValue(resources, { address: POOL, attribute: "name", text: "" })).toBe("pool");
    expect(configuredValue(resources, { address: POOL, attribute: "id", text: "" })).toBeUndefined();
    expect(configuredValue(resources, { address: POOL, attribute: "arn", text: "" })).toBe("$${literal}");
  });
});
