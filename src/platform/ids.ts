import { randomBytes } from 'node:crypto';

/** Makes identifiers; passed in so tests can make them predictable when they need to. */
export type Ids = { uuid(): string };

// Random bytes are drawn 4 KB at a time: one system call per 256 identifiers, not one each.
let entropy = Buffer.alloc(0);
let used = 0;
function random16(): Buffer {
  if (used + 16 > entropy.length) {
    entropy = randomBytes(4096);
    used = 0;
  }
  used += 16;
  return Buffer.from(entropy.subarray(used - 16, used));
}

/**
 * UUID version 7 (RFC 9562): time-ordered, so new rows land at the end of B-tree indexes and
 * identifiers sort by creation time.
 */
export function uuidv7(now = Date.now()): string {
  const bytes = random16();
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const systemIds: Ids = { uuid: () => uuidv7() };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a syntactically valid UUID; used to answer 404 rather than a database error. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
