/**
 * What a zip holds, read from its central directory (as `unzip -l` does), so `HANDOFF.md` lists the
 * Lambda package's files from the package itself.
 *
 * @packageDocumentation
 */
import { inflateRawSync } from "node:zlib";

/** One file of a zip. */
export interface ZipListingEntry {
  /** Path inside the archive. */
  readonly name: string;
  /** Uncompressed size in bytes. */
  readonly bytes: number;
  /** The file's content, uncompressed (stored or deflated entries). */
  content(): Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;

/**
 * The entries of a zip, in central-directory order.
 *
 * @throws Error when the buffer is not a zip this reader understands (no end record, a comment, zip64)
 */
export function zipListing(zip: Buffer): ZipListingEntry[] {
  const end = zip.length - 22;
  if (end < 0 || zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY)
    throw new Error("not a zip without comment: no end of central directory");
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipListingEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`no central directory entry at offset ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const bytes = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    entries.push({
      name,
      bytes,
      content: () => {
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const data = zip.subarray(start, start + compressed);
        if (method === 0) return Buffer.from(data);
        if (method === 8) return inflateRawSync(data);
        throw new Error(`${name}: compression method ${method} is not read`);
      },
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
