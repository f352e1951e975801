import { describe, expect, it } from 'vitest';
import {
  anchorIsGenuine,
  type ChainedEvent,
  canonicalJson,
  createChainChecker,
  genesisHash,
  hashEvent,
  keyedPrefix,
  readAnchors,
  signAnchor,
} from './audit.rules.ts';

const key = Buffer.alloc(32, 7);

function chain(length: number, options: { keyed?: boolean } = { keyed: true }) {
  const events: (ChainedEvent & { previousHash: string; hash: string })[] = [];
  let previous = genesisHash;
  for (let i = 1; i <= length; i++) {
    const event: ChainedEvent = {
      id: `e${i}`,
      districtId: 'd1',
      sequence: i,
      at: new Date(Date.UTC(2026, 10, 28, 15, i)),
      actorUserId: 'u1',
      actorLabel: 'Elena Rivera (counselor)',
      action: 'student.read',
      subjectType: 'student',
      subjectId: 's1',
      studentId: 's1',
      reason: 'counselor at Lincoln Middle School',
      detail: { protectedFields: true, nested: { b: 1, a: 2 } },
    };
    const hash = hashEvent(previous, event, options.keyed ? key : undefined);
    events.push({ ...event, previousHash: previous, hash });
    previous = hash;
  }
  return events;
}

function firstBreak(events: ReturnType<typeof chain>) {
  const check = createChainChecker(key);
  for (const event of events) {
    const found = check(event);
    if (found) return found;
  }
  return null;
}

describe('audit hash chain', () => {
  it('a whole chain verifies', () => {
    expect(firstBreak(chain(5))).toBeNull();
  });

  it('an edited reason is found at that event', () => {
    const events = chain(5);
    events[2] = { ...(events[2] as (typeof events)[number]), reason: 'curiosity' };
    expect(firstBreak(events)).toMatchObject({ sequence: 3, problem: expect.stringContaining('changed') });
  });

  it('a deleted event is found where the gap is', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(firstBreak(events)).toMatchObject({ sequence: 3, problem: expect.stringContaining('missing') });
  });

  it('a re-hashed edited event still breaks the next link', () => {
    const events = chain(4);
    const edited = { ...(events[1] as (typeof events)[number]), actorLabel: 'someone else' };
    edited.hash = hashEvent(edited.previousHash, edited, key);
    events[1] = edited;
    expect(firstBreak(events)).toMatchObject({ sequence: 3, problem: expect.stringContaining('previous') });
  });

  it('key order in details does not matter (jsonb reorders keys)', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
  });

  it('hashes are keyed: without the key an edit cannot be re-hashed into a valid event', () => {
    const events = chain(3);
    expect(events[0]?.hash.startsWith(keyedPrefix)).toBe(true);
    const forged = { ...(events[2] as (typeof events)[number]), reason: 'curiosity' };
    // Someone who can write the database but has no key recomputes with a key of their own, or the old unkeyed hash.
    forged.hash = hashEvent(forged.previousHash, forged, Buffer.alloc(32, 1));
    expect(firstBreak([...events.slice(0, 2), forged])).toMatchObject({ sequence: 3, problem: expect.stringContaining('changed') });
    forged.hash = hashEvent(forged.previousHash, forged);
    expect(firstBreak([...events.slice(0, 2), forged])).toMatchObject({ sequence: 3, problem: expect.stringContaining('forged') });
  });

  it('a chain begun before keys (unkeyed events first) still verifies, and continues keyed', () => {
    const old = chain(2, { keyed: false });
    const last = old[1] as (typeof old)[number];
    const next = { ...last, id: 'e3', sequence: 3, previousHash: last.hash };
    const continued = [...old, { ...next, hash: hashEvent(last.hash, next, key) }];
    expect(firstBreak(continued)).toBeNull();
  });

  it('an anchor is signed with the key; an edited anchor is not genuine', () => {
    const anchor = signAnchor(key, { districtId: 'd1', sequence: 4, hash: 'k1:abc' });
    expect(anchorIsGenuine(key, anchor)).toBe(true);
    expect(anchorIsGenuine(key, { ...anchor, sequence: 3 })).toBe(false);
    expect(anchorIsGenuine(Buffer.alloc(32, 2), anchor)).toBe(false);
    expect(readAnchors(`${JSON.stringify({ district: 'demo', ...anchor })}\n\n`).get('d1')).toEqual(anchor);
    expect(() => readAnchors('{"district":"demo"}')).toThrow('line 1 is not an anchor (districtId, sequence, hash, signature)');
  });
});
