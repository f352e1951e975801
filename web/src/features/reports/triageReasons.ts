import type { TFunction } from 'i18next';
import type { ReportView } from '../../../../src/features/crisis-reports/crisis-reports.schema';
import { languageName } from '../../ui/FamilyLanguageSelect';

/**
 * A triage reason in the reader's words. The server stores codes (triage.rules.ts); a report
 * triaged before the codes existed keeps its English sentence, shown as it was stored.
 */
export function triageReasonWords(t: TFunction, reason: ReportView['triageReasons'][number], locale: string): string {
  if (typeof reason === 'string') return reason;
  const urgency = (code: string) => t(`urgencies.${code}`);
  const category = (code: string) => t(`categories.${code}`);
  const topic = (code: string) => t(`report.triage.topics.${code}`);
  switch (reason.code) {
    case 'reporter_said':
      return t('report.triage.reporter_said', { urgency: urgency(reason.urgency) });
    case 'category_floor':
      return t('report.triage.category_floor', { category: category(reason.category), urgency: urgency(reason.urgency) });
    case 'text_mentions':
      return reason.writtenIn
        ? t('report.triage.text_mentions_in', {
            topic: topic(reason.topic),
            urgency: urgency(reason.urgency),
            language: languageName(reason.writtenIn, locale),
          })
        : t('report.triage.text_mentions', { topic: topic(reason.topic), urgency: urgency(reason.urgency) });
    case 'recategorized':
      return t('report.triage.recategorized', { from: category(reason.from), topic: topic(reason.topic), to: category(reason.to) });
    case 'imminent':
      return t('report.triage.imminent', { urgency: urgency('life_safety') });
  }
}
