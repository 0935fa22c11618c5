import { deterministicZip } from "../../../stacks/assets/deterministic-zip";
import { readZip } from "../../../testing/zip";

describe("deterministicZip", () => {
  test("depends only on the entries, not on their order or the time", () => {
    const a = deterministicZip([
      { name: "b.js", content: Buffer.from("b") },
      { name: "index.js", content: Buffer.from("exports.x = 1;") },
    ]);
    const b = deterministicZip([
      { name: "index.js", content: Buffer.from("exports.x = 1;") },
      { name: "b.js", content: Buffer.from("b") },
    ]);
    expect(a.equals(b)).toBe(true);
    expect(readZip(a)).toEqual([
      { name: "b.js", content: "b" },
      { name: "index.js", content: "exports.x = 1;" },
    ]);
  });

  test("changes when a file's content changes", () => {
    const a = deterministicZip([{ name: "index.js", content: Buffer.from("1") }]);
    const b = deterministicZip([{ name: "index.js", content: Buffer.from("2") }]);
    expect(a.equals(b)).toBe(false);
  });
});
