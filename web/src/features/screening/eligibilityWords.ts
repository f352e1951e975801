import type { TFunction } from 'i18next';
import type { WindowRoster } from '../../../../src/features/screening/screening.schema';
import { dayLabel } from '../../ui/labels';

type Row = Pick<WindowRoster['students'][number], 'reason' | 'words'>;
type Words = Row['words'][number];

/**
 * Why a student may not be screened, or not with every instrument, in the reader's words
 * (eligibility.rules.ts `EligibilityWords`): instruments by their short names, days as the reader
 * writes them. A reason with a code this app does not know is shown as the server wrote it.
 */
export function eligibilityText(t: TFunction, row: Row, language: string, instrumentName: (id: string) => string = (id) => id.toUpperCase()): string | null {
  const list = (ids: string[]) => new Intl.ListFormat(language, { type: 'conjunction' }).format(ids.map(instrumentName));
  const sentence = (words: Words): string | null => {
    switch (words.code) {
      case 'opted_out_window':
      case 'withdrawn_window':
      case 'opted_out_year':
      case 'opted_out_standing': {
        const { instrument, schoolYear, leftOut } = words.values;
        const refusal = instrument
          ? t(`screening.eligibility.${words.code}_instrument`, { instrument: instrumentName(instrument), schoolYear })
          : t(`screening.eligibility.${words.code}`, { schoolYear });
        return leftOut.length > 0 ? t('screening.eligibility.leftOut', { instruments: list(leftOut), reason: refusal }) : refusal;
      }
      case 'no_consent_for':
        return t('screening.eligibility.no_consent_for', { instruments: list(words.values.instruments), count: words.values.instruments.length });
      case 'no_instrument': {
        const { age, estimated, ranges } = words.values;
        const ages = (r: (typeof ranges)[number]) =>
          r.max === null ? t('screening.minAge', { age: r.min }) : t('screening.ageRange', { min: r.min, max: r.max });
        const written = ranges.map((r) => t('screening.eligibility.range', { instrument: instrumentName(r.instrument), ages: ages(r) })).join('; ');
        return t(estimated ? 'screening.eligibility.no_instrument_estimated' : 'screening.eligibility.no_instrument', { age, ranges: written });
      }
      case 'needs_consent':
        return t('screening.eligibility.needs_consent', { age: words.values.selfConsentAge });
      case 'no_notice':
        return t('screening.eligibility.no_notice');
      case 'notice_period': {
        const { waitedDays, noticeDays, startsOn } = words.values;
        return t('screening.eligibility.notice_period', {
          when: new Intl.RelativeTimeFormat(language, { numeric: 'auto' }).format(-waitedDays, 'day'),
          days: t('screening.eligibility.days', { count: noticeDays }),
          date: dayLabel(startsOn, language),
        });
      }
      default:
        return null;
    }
  };
  const sentences = row.words.map(sentence);
  if (sentences.length === 0 || sentences.some((s) => s === null)) return row.reason;
  return sentences.join(' ');
}
