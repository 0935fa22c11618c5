import { SENSITIVE } from "../../review/model";
import { maskSensitive } from "../../review/sensitive";

describe("maskSensitive", () => {
  test("masks strings under secret names, wherever they are", () => {
    expect(
      maskSensitive({
        password: "p4ss",
        client_secret: "s3cr3t",
        environment: { variables: { DB_PASSWORD: "x", MODE: "y" } },
        passwords: ["a", "b"],
      }),
    ).toEqual({
      password: SENSITIVE,
      client_secret: SENSITIVE,
      environment: { variables: { DB_PASSWORD: SENSITIVE, MODE: "y" } },
      passwords: SENSITIVE,
    });
  });

  test("keeps flags and settings that only sound secret", () => {
    const settings = { generate_secret: true, password_policy: { minimum_length: 14, temporary_password_validity_days: 3 } };
    expect(maskSensitive(settings)).toEqual(settings);
  });

  test("follows a plan's mask into objects and lists, whatever the value", () => {
    expect(maskSensitive({ a: [1, 2], b: { c: null, d: "x" } }, { a: [false, true], b: { c: true } })).toEqual({
      a: [1, SENSITIVE],
      b: { c: SENSITIVE, d: "x" },
    });
    expect(maskSensitive({ a: 1 }, true)).toBe(SENSITIVE);
  });
});
