import type { TFunction } from 'i18next';
import type { FundingReport } from '../../../../src/features/leadership/leadership.schema';
import { day, money, num } from './format';

type Source = FundingReport['sources'][number];

/**
 * A source's deadline alerts in the reader's language. The server decides which alerts apply
 * (funding.rules.ts, `burnDown`) and names each (`alertKinds`); the figures they are made of are
 * beside them, so each is said here in the reader's words and money.
 */
export function fundingAlerts(t: TFunction, source: Source, language: string): string[] {
  const when = (days: number) => (days <= 0 ? t('funding.today') : t('funding.inDays', { count: days, n: num(days, language) }));
  return source.alertKinds.map((kind) => {
    if (kind === 'unobligated') return t('funding.alertUnobligated', { amount: money(source.unallocatedCents, language), when: when(source.daysToObligation) });
    if (kind === 'unspent')
      return t('funding.alertUnspent', { amount: money(source.awardCents - source.projectedAtEndCents, language), when: when(source.daysToEnd) });
    return t('funding.alertOverspent', { amount: money(source.projectedAtEndCents - source.awardCents, language) });
  });
}

/** A source that ends, with its end date in the reader's language. */
export function endingSourceWords(t: TFunction, source: { name: string; endsOn: string }, language: string): string {
  return t('funding.endingSource', { name: source.name, date: day(source.endsOn, language) });
}
