import { describe, expect, it } from 'vitest';
import { createIntakeCounter } from './intake-counter.ts';
import { type Groupable, planThrottleGroups } from './reports.rules.ts';

/** Decision 26: which throttled reports alert, and which join a group that already alerted. */

const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 15, minute));
const report = (id: string, minute: number, extra: Partial<Groupable> = {}): Groupable => ({
  id,
  schoolId: 'lincoln',
  urgency: 'routine',
  safetyFlag: false,
  throttled: true,
  receivedAt: at(minute),
  ...extra,
});
const plan = (batch: Groupable[], open: [string, { id: string; receivedAt: Date }][] = []) => Object.fromEntries(planThrottleGroups(batch, new Map(open)));

describe('throttled groups', () => {
  it.each([
    ['the first of a flood alerts, the rest join it', [report('a', 0), report('b', 1), report('c', 14)], [], { b: 'a', c: 'a' }],
    ['after 15 minutes the next one starts a group of its own', [report('a', 0), report('b', 16), report('c', 17)], [], { c: 'b' }],
    ['a report under the limit is never grouped', [report('a', 0), report('b', 1, { throttled: false })], [], {}],
    [
      'life-safety is never grouped, nor does it lead a group',
      [report('a', 0, { urgency: 'life_safety' }), report('b', 1, { urgency: 'life_safety' })],
      [],
      {},
    ],
    [
      'another school, urgency or safety flag is another group',
      [report('a', 0), report('b', 1, { schoolId: 'aspen' }), report('c', 2, { urgency: 'urgent' }), report('d', 3, { safetyFlag: true })],
      [],
      {},
    ],
    ['a group still waiting for a person takes newcomers', [report('b', 10)], [['lincoln|routine|false', { id: 'a', receivedAt: at(0) }]], { b: 'a' }],
    ['a group older than 15 minutes does not', [report('b', 16)], [['lincoln|routine|false', { id: 'a', receivedAt: at(0) }]], {}],
  ] as const)('%s', (_name, batch, open, expected) => {
    expect(plan([...batch], [...open] as [string, { id: string; receivedAt: Date }][])).toEqual(expected);
  });
});

describe('the per-address intake count', () => {
  it('counts each address in its own minute', () => {
    let now = 0;
    const counter = createIntakeCounter({ perMinute: 2, keyOf: (address) => `keyed-hash:${address}`, now: () => now });
    expect([1, 2, 3].map(() => counter.overLimit('198.51.100.7'))).toEqual([false, false, true]);
    expect(counter.overLimit('198.51.100.8')).toBe(false);
    now += 60_000;
    expect(counter.overLimit('198.51.100.7')).toBe(false);
  });
});
