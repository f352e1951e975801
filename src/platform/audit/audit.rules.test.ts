import { describe, expect, it } from 'vitest';
import { type ChainedEvent, canonicalJson, createChainChecker, genesisHash, hashEvent } from './audit.rules.ts';

function chain(length: number) {
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
    const hash = hashEvent(previous, event);
    events.push({ ...event, previousHash: previous, hash });
    previous = hash;
  }
  return events;
}

function firstBreak(events: ReturnType<typeof chain>) {
  const check = createChainChecker();
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
    edited.hash = hashEvent(edited.previousHash, edited);
    events[1] = edited;
    expect(firstBreak(events)).toMatchObject({ sequence: 3, problem: expect.stringContaining('previous') });
  });

  it('key order in details does not matter (jsonb reorders keys)', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
  });
});
