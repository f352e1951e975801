import { Unzip, UnzipInflate } from 'fflate';

export type ZipLimits = {
  /** Entries the archive may hold (all of them, read or not). */
  maxEntries: number;
  /** Uncompressed bytes of one entry that is read. */
  maxEntryBytes: number;
  /** Uncompressed bytes of everything read. */
  maxTotalBytes: number;
};

/** A OneRoster export is at most a dozen CSVs; a district of 100,000 students is a few hundred MB. */
export const rosterZipLimits: ZipLimits = { maxEntries: 64, maxEntryBytes: 512 * 1024 * 1024, maxTotalBytes: 1024 * 1024 * 1024 };

/** The archive is unreadable or breaks a limit; the message names which, for a 4xx. */
export class ZipRefused extends Error {}

const mib = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/**
 * Inflates the entries of a .zip that `wanted` accepts (by their base name), counting bytes as
 * they come out of the decompressor: a "zip bomb" is stopped at the limit, not after it has filled
 * memory, and the sizes written in the archive's headers (which can lie) are never trusted.
 * Entries not wanted are never inflated.
 */
export function readZip(bytes: Uint8Array, wanted: (baseName: string) => boolean, limits: ZipLimits): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  // Every .zip starts with a local file header ("PK\x03\x04"), or is an empty archive ("PK\x05\x06").
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || !((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6)))
    throw new ZipRefused('That file is not a readable .zip archive.');
  let entries = 0;
  let total = 0;
  let refused: string | null = null;
  const unzip = new Unzip((file) => {
    entries += 1;
    if (entries > limits.maxEntries) {
      refused ??= `The archive holds more than ${limits.maxEntries} files.`;
      return;
    }
    const baseName = file.name.split('/').pop() ?? '';
    if (file.name.endsWith('/') || !wanted(baseName)) return;
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (error, chunk, final) => {
      if (refused) return;
      if (error) {
        refused = 'That file is not a readable .zip archive.';
        return;
      }
      size += chunk.length;
      total += chunk.length;
      if (size > limits.maxEntryBytes) refused = `${baseName} is larger than ${mib(limits.maxEntryBytes)} once unpacked.`;
      else if (total > limits.maxTotalBytes) refused = `The archive is larger than ${mib(limits.maxTotalBytes)} once unpacked.`;
      if (refused) {
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) files.set(baseName, Buffer.concat(chunks));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    const step = 64 * 1024;
    for (let offset = 0; offset < bytes.length && !refused; offset += step) unzip.push(bytes.subarray(offset, offset + step), offset + step >= bytes.length);
  } catch {
    refused ??= 'That file is not a readable .zip archive.';
  }
  if (refused) throw new ZipRefused(refused);
  return files;
}
