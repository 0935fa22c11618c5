import { inflateRawSync } from "node:zlib";
import { deterministicZip } from "../../../stacks/assets/deterministic-zip";

/** Reads the entries back with the central directory, as unzip does. */
function readZip(zip: Buffer): { name: string; content: string }[] {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    entries.push({ name, content: inflateRawSync(zip.subarray(dataStart, dataStart + size)).toString() });
    at += 46 + nameLength;
  }
  return entries;
}

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
