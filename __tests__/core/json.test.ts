import { isJsonObject } from "../../core/json";

describe("isJsonObject", () => {
  test.each([[{}], [{ a: 1 }], [JSON.parse('{"stacks":{}}')], [Object.create(null)]])("accepts the object %p", (value) => {
    expect(isJsonObject(value)).toBe(true);
  });

  test.each([[null], [undefined], [[]], [[{}]], ["{}"], [0], [true]])("refuses %p, which is not an object", (value) => {
    expect(isJsonObject(value)).toBe(false);
  });
});
