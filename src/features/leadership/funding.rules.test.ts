import { describe, expect, it } from 'vitest';
import { burnDown, losingFunding, type Source } from './funding.rules.ts';

const title4: Source = {
  id: 't4',
  name: 'Title IV-A 2026',
  awardCents: 12_000_000,
  periodStart: '2026-07-01',
  periodEnd: '2027-06-30',
  obligationDeadline: '2027-01-15',
};

describe('burn-down per source', () => {
  it('reports allocated, spent and the even-pace expectation', () => {
    const b = burnDown(
      title4,
      [{ sourceId: 't4', funds: 'counselor', amountCents: 9_000_000 }],
      [{ sourceId: 't4', spentOn: '2026-10-01', amountCents: 3_000_000 }],
      '2026-11-28',
    );
    expect(b).toMatchObject({ allocatedCents: 9_000_000, spentCents: 3_000_000, remainingCents: 9_000_000, unallocatedCents: 3_000_000, daysToObligation: 48 });
    expect(b.expectedSpentShare).toBeCloseTo(150 / 364, 6);
    expect(b.alerts).toEqual(['$30,000 is not yet obligated and the obligation deadline is in 48 days']);
    expect(b.alertKinds).toEqual(['unobligated']);
  });
  it.each([
    ['2027-01-14', 'in 1 day'],
    ['2027-01-15', 'today'],
  ])('a deadline close at hand reads as a person says it (on %s: "%s", never "in 1 days" or "in 0 days")', (today, when) => {
    const b = burnDown(title4, [{ sourceId: 't4', funds: 'counselor', amountCents: 9_000_000 }], [], today);
    expect(b.alerts).toContain(`$30,000 is not yet obligated and the obligation deadline is ${when}`);
  });
  it('warns when money will be left at the end of the period, and when spending runs past the award', () => {
    const ending = { ...title4, periodEnd: '2026-12-31', obligationDeadline: '2026-09-30' };
    const slow = burnDown(ending, [], [{ sourceId: 't4', spentOn: '2026-08-01', amountCents: 1_000_000 }], '2026-11-28');
    expect(slow.alerts).toEqual([expect.stringMatching(/^at the current pace \$\d[\d,]* will be left unspent when the period ends in 33 days$/)]);
    const fast = burnDown(ending, [], [{ sourceId: 't4', spentOn: '2026-08-01', amountCents: 11_000_000 }], '2026-11-28');
    expect(fast.alerts).toEqual([expect.stringMatching(/^at the current pace spending passes the award by/)]);
  });
});

describe('what loses funding when a source ends', () => {
  it('shows the braided share each service loses', () => {
    const esser: Source = { ...title4, id: 'e3', name: 'ESSER III', periodEnd: '2027-01-31' };
    const lost = losingFunding(
      [title4, esser],
      [
        { sourceId: 'e3', funds: 'Bilingual counseling contract', amountCents: 3_000_000 },
        { sourceId: 't4', funds: 'Bilingual counseling contract', amountCents: 1_000_000 },
        { sourceId: 't4', funds: 'Lincoln counselor', amountCents: 8_000_000 },
      ],
      '2026-11-28',
      '2027-03-31',
    );
    expect(lost).toEqual([
      {
        funds: 'Bilingual counseling contract',
        totalCents: 4_000_000,
        losingCents: 3_000_000,
        losingShare: 0.75,
        endingSources: [{ name: 'ESSER III', endsOn: '2027-01-31' }],
      },
    ]);
  });
});
