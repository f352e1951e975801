import { describe, expect, it } from 'vitest';
import { readPlanEvent } from './plan-words.rules.ts';

describe("a support plan's history reads back as words", () => {
  it.each([
    ['created', 'Tier 2 plan created.', { code: 'created', values: { tier: 2 } }],
    [
      'progress',
      'times leaving class per week: 3 on 2026-10-29 (target 0).',
      { code: 'progress', values: { measure: 'times leaving class per week', value: 3, on: '2026-10-29', target: 0 } },
    ],
    [
      'progress',
      'Minutes of focus: math: 12.5 on 2026-11-02 (target 20).',
      { code: 'progress', values: { measure: 'Minutes of focus: math', value: 12.5, on: '2026-11-02', target: 20 } },
    ],
    [
      'review',
      'Review on 2026-11-18: step down (tier 2 → 1). Fewer visits to the nurse; keep the break pass.',
      { code: 'review', values: { on: '2026-11-18', decision: 'step_down', from: 2, to: 1, notes: 'Fewer visits to the nurse; keep the break pass.' } },
    ],
  ] as const)('%s: "%s"', (kind, summary, words) => {
    expect(readPlanEvent({ kind, summary })).toEqual(words);
  });

  it('a sentence Haven does not write is shown as stored', () => {
    expect(readPlanEvent({ kind: 'created', summary: 'Plan made by hand.' })).toBeNull();
    expect(readPlanEvent({ kind: 'review', summary: 'Review on 2026-11-18: dance (tier 2 → 1). x' })).toBeNull();
    expect(readPlanEvent({ kind: 'progress', summary: 'Tier 2 plan created.' })).toBeNull();
  });
});
