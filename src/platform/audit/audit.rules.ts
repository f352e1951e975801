import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The fields an audit event's hash covers, in a fixed order. */
export type ChainedEvent = {
  id: string;
  districtId: string;
  sequence: number;
  at: Date;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  studentId: string | null;
  reason: string | null;
  detail: Record<string, unknown>;
};

/** The previous hash of a district's first event. */
export const genesisHash = '0'.repeat(64);

/** Hashes written with the audit key carry this prefix; the others are the first, unkeyed form. */
export const keyedPrefix = 'k1:';

/**
 * hash = HMAC-SHA-256 with the audit key (a key derived from Haven's secret key, which is not in
 * the database) over the previous hash and the event's fields as canonical JSON. Changing,
 * removing or inserting any event changes every later hash, which is what `haven audit verify`
 * checks; without the key, someone who can write the database cannot recompute the chain.
 * Without a key it is the plain SHA-256 of the first version (still verified for old events).
 */
export function hashEvent(previousHash: string, event: ChainedEvent, key?: Buffer): string {
  const fields = [
    event.id,
    event.districtId,
    event.sequence,
    event.at.toISOString(),
    event.actorUserId,
    event.actorLabel,
    event.action,
    event.subjectType,
    event.subjectId,
    event.studentId,
    event.reason,
    event.detail,
  ];
  const digest = key ? createHmac('sha256', key) : createHash('sha256');
  const hex = digest.update(previousHash).update('\n').update(canonicalJson(fields)).digest('hex');
  return key ? `${keyedPrefix}${hex}` : hex;
}

/** An anchor: a chain's head, signed with the audit key, kept outside the database. */
export type Anchor = { districtId: string; sequence: number; hash: string; signature: string };

export function signAnchor(key: Buffer, head: Omit<Anchor, 'signature'>): Anchor {
  return { ...head, signature: anchorSignature(key, head) };
}

function anchorSignature(key: Buffer, head: Omit<Anchor, 'signature'>): string {
  return createHmac('sha256', key).update(`haven-audit-anchor\n${head.districtId}\n${head.sequence}\n${head.hash}`).digest('hex');
}

/** Reads the JSON lines `haven audit anchor` printed: district id -> anchor (the newest line wins). */
export function readAnchors(text: string): Map<string, Anchor> {
  const anchors = new Map<string, Anchor>();
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`line ${index + 1} is not JSON`);
    }
    const a = parsed as Partial<Anchor>;
    if (typeof a.districtId !== 'string' || typeof a.sequence !== 'number' || typeof a.hash !== 'string' || typeof a.signature !== 'string')
      throw new Error(`line ${index + 1} is not an anchor (districtId, sequence, hash, signature)`);
    anchors.set(a.districtId, { districtId: a.districtId, sequence: a.sequence, hash: a.hash, signature: a.signature });
  });
  return anchors;
}

/** True when the anchor was signed with this key (it was not written or edited by someone else). */
export function anchorIsGenuine(key: Buffer, anchor: Anchor): boolean {
  const expected = Buffer.from(anchorSignature(key, anchor), 'hex');
  const given = Buffer.from(typeof anchor.signature === 'string' ? anchor.signature : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** JSON with object keys sorted at every depth, so PostgreSQL's jsonb reordering does not matter. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export type ChainBreak = { sequence: number; eventId: string; problem: string };

/**
 * Checks a district's events one at a time in sequence order; returns the first break, or null
 * while the chain is whole. Pure and incremental, so the caller can stream a long trail.
 */
export function createChainChecker(key: Buffer): (event: ChainedEvent & { previousHash: string; hash: string }) => ChainBreak | null {
  let expectedPrevious = genesisHash;
  let expectedSequence = 1;
  let keyedSeen = false;
  return (event) => {
    if (event.sequence !== expectedSequence) {
      return { sequence: event.sequence, eventId: event.id, problem: `expected event number ${expectedSequence}; one is missing or was inserted` };
    }
    if (event.previousHash !== expectedPrevious) {
      return { sequence: event.sequence, eventId: event.id, problem: 'does not follow the previous event (an event before it was changed or removed)' };
    }
    const keyed = event.hash.startsWith(keyedPrefix);
    // Once a chain is keyed it stays keyed: an unkeyed event after a keyed one was forged.
    if (!keyed && keyedSeen) {
      return { sequence: event.sequence, eventId: event.id, problem: 'was written without the audit key after keyed events (it was forged)' };
    }
    keyedSeen ||= keyed;
    if (hashEvent(event.previousHash, event, keyed ? key : undefined) !== event.hash) {
      return { sequence: event.sequence, eventId: event.id, problem: 'its contents were changed after it was written' };
    }
    expectedPrevious = event.hash;
    expectedSequence += 1;
    return null;
  };
}
