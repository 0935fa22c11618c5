/**
 * The in-process synth of the stack tests (testing/synth.ts): the same configuration asked again
 * right after is served from the last synth without leaking one test's changes into the next, and
 * synth runs with plain stack-trace text, the test runner's formatter put back afterwards.
 */
import { exampleConfig, synthStack, withPlainStackTraces } from "../../testing/synth";

describe("synthStack", () => {
  test("the same configuration twice in a row gives equal output, each call its own copy of tf", () => {
    const first = synthStack();
    const again = synthStack();
    expect(again.tf).toEqual(first.tf);
    expect(again.json).toBe(first.json);
    expect(again.tf).not.toBe(first.tf);
    // a test that changes its tf leaks nothing into the next call
    first.tf.resource = {};
    expect(synthStack().tf).toEqual(again.tf);
    expect(Object.keys(again.tf.resource).length).toBeGreaterThan(0);
  });

  test("a different configuration is synthesized, not served from the last one", () => {
    const example = synthStack();
    const other = synthStack(exampleConfig((doc) => doc.users.push({ username: "carol", email: "carol@example.com" })));
    expect(other.json).not.toBe(example.json);
    expect(JSON.stringify(other.tf)).toContain("carol");
    expect(JSON.stringify(synthStack().tf)).not.toContain("carol");
  });
});

describe("withPlainStackTraces", () => {
  test("gives stack traces as V8 writes them while it runs, and puts the runner's formatter back", () => {
    const before = Error.prepareStackTrace;
    const stack = withPlainStackTraces(() => new Error("inside").stack);
    expect(stack).toMatch(/^Error: inside\n {4}at /);
    expect(Error.prepareStackTrace).toBe(before);
  });

  test("puts the runner's formatter back when what it runs throws, and the error goes through", () => {
    const before = Error.prepareStackTrace;
    expect(() =>
      withPlainStackTraces(() => {
        throw new Error("synth failed");
      }),
    ).toThrow("synth failed");
    expect(Error.prepareStackTrace).toBe(before);
  });
});
