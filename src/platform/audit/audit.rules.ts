import { createHash } from 'node:crypto';

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

/**
 * hash = SHA-256(previous hash, then the event's fields as canonical JSON). Changing, removing or
 * inserting any event changes every later hash, which is what `haven audit verify` checks.
 */
export function hashEvent(previousHash: string, event: ChainedEvent): string {
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
  return createHash('sha256').update(previousHash).update('\n').update(canonicalJson(fields)).digest('hex');
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
export function createChainChecker(): (event: ChainedEvent & { previousHash: string; hash: string }) => ChainBreak | null {
  let expectedPrevious = genesisHash;
  let expectedSequence = 1;
  return (event) => {
    if (event.sequence !== expectedSequence) {
      return { sequence: event.sequence, eventId: event.id, problem: `expected event number ${expectedSequence}; one is missing or was inserted` };
    }
    if (event.previousHash !== expectedPrevious) {
      return { sequence: event.sequence, eventId: event.id, problem: 'does not follow the previous event (an event before it was changed or removed)' };
    }
    if (hashEvent(event.previousHash, event) !== event.hash) {
      return { sequence: event.sequence, eventId: event.id, problem: 'its contents were changed after it was written' };
    }
    expectedPrevious = event.hash;
    expectedSequence += 1;
    return null;
  };
}
