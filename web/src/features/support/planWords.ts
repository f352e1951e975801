import type { TFunction } from 'i18next';
import { defaultInterventions } from '../../../../src/data/plans.values';
import type { Timeline } from '../../../../src/features/plans/plans.schema';
import { dayLabel } from '../../ui/labels';

type Worded = Pick<Timeline[number], 'summary' | 'words'>;

/**
 * A plan event or a timeline entry in the reader's words (plan-words.rules.ts, timeline.service.ts):
 * codes by their labels and days as the reader writes them. What a person typed (a measure, notes,
 * a contact note) stays as typed; an entry without words, or with a code this app does not know,
 * is shown as stored.
 */
export function planEventText(t: TFunction, item: Worded, language: string, instrumentName: (id: string) => string = (id) => id.toUpperCase()): string {
  if (!item.words) return item.summary;
  const { code, values } = item.words;
  const v = (key: string) => String(values[key] ?? '');
  const number = (key: string) => Number(values[key] ?? 0).toLocaleString(language);
  switch (code) {
    case 'created':
      return t('plans.events.created', { tier: v('tier') });
    case 'progress':
      return t('plans.events.progress', { measure: v('measure'), value: number('value'), on: dayLabel(v('on'), language), target: number('target') });
    case 'review':
      return t('plans.events.review', {
        on: dayLabel(v('on'), language),
        decision: t(`plans.decisions.${v('decision')}`),
        from: v('from'),
        to: v('to'),
        notes: v('notes'),
      });
    case 'screening':
    case 'screening_suicide_risk':
      return t(`timeline.words.${code}`, {
        instrument: instrumentName(v('instrument')),
        band: t(`bands.${v('band')}`, { defaultValue: v('band').replaceAll('_', ' ') }),
      });
    case 'case':
      return t('timeline.words.case', { type: t(`caseTypes.${v('type')}`), status: t(`caseStatuses.${v('status')}`) });
    case 'contact':
      return t('timeline.words.contact');
    case 'contact_note':
      return t('timeline.words.contact_note', { note: v('note') });
    default:
      return item.summary;
  }
}

/**
 * An intervention of the district's library in the reader's words: one of the library Haven
 * starts with (plans.values.ts) by its label while it keeps its first name, and a name the
 * district wrote, or changed, as written.
 */
export function interventionName(t: TFunction, intervention: { code: string; name: string }): string {
  const starter = defaultInterventions.find((i) => i.code === intervention.code);
  return starter && starter.name === intervention.name ? t(`plans.interventionNames.${starter.code}`) : intervention.name;
}
