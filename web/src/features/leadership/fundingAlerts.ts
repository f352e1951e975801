import type { TFunction } from 'i18next';
import type { FundingReport } from '../../../../src/features/leadership/leadership.schema';
import { day, money, num } from './format';

type Source = FundingReport['sources'][number];

/**
 * A source's deadline alerts in the reader's language. The server decides which alerts apply
 * (funding.rules.ts, `burnDown`) but words them in English with "$50,000" in them; it also sends
 * every figure they are made of. So each of its sentences is recognised by its kind and said again
 * here in the reader's words and money; a sentence of a kind this page does not know is shown as
 * the server wrote it rather than dropped.
 */
export function fundingAlerts(t: TFunction, source: Source, language: string): string[] {
  const when = (days: number) => (days <= 0 ? t('funding.today') : t('funding.inDays', { count: days, n: num(days, language) }));
  return source.alerts.map((alert) => {
    if (/ is not yet obligated /.test(alert))
      return t('funding.alertUnobligated', { amount: money(source.unallocatedCents, language), when: when(source.daysToObligation) });
    if (/^at the current pace .* will be left unspent /.test(alert))
      return t('funding.alertUnspent', { amount: money(source.awardCents - source.projectedAtEndCents, language), when: when(source.daysToEnd) });
    if (/^at the current pace spending passes the award /.test(alert))
      return t('funding.alertOverspent', { amount: money(source.projectedAtEndCents - source.awardCents, language) });
    return alert;
  });
}

/**
 * The sources that end, as the server names them ("ESSER III (ends 2026-12-20)"), with the date in
 * the reader's language; a name of another shape is shown as it is.
 */
export function endingSourceWords(t: TFunction, named: string, language: string): string {
  const match = /^(.*) \(ends (\d{4}-\d{2}-\d{2})\)$/.exec(named);
  if (!match) return named;
  return t('funding.endingSource', { name: match[1], date: day(match[2] as string, language) });
}
