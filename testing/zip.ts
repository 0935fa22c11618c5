/** Reading a zip back, for tests of deployment packages. */
import { inflateRawSync } from "node:zlib";

/** Reads the entries back with the central directory, as unzip does. */
export function readZip(zip: Buffer): { name: string; content: string }[] {
  const end = zip.length - 22;
  if (zip.readUInt32LE(end) !== 0x06054b50) throw new Error("not a zip without comment: no end of central directory");
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`no central directory entry at ${at}`);
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
