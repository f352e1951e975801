import type { TFunction } from 'i18next';
import type { Matches } from '../../../../src/features/partners/partners.schema';
import { languageName } from '../../ui/FamilyLanguageSelect';

type Reason = Matches['excluded'][number]['reasons'][number];

/**
 * Why a service fits, falls short or is set aside, in the reader's words (matching.rules.ts
 * `MatchReason`): a language by its name, codes by their labels. A code this app does not know
 * yet is shown as its code with spaces, never dropped.
 */
export function matchReasonWords(t: TFunction, reason: Reason, language: string): string {
  const v = (key: string) => String(reason.values[key] ?? '');
  const lower = (words: string) => words.toLocaleLowerCase(language);
  const family = () => languageName(v('language'), language);
  const insurance = () => t(`partners.insurances.${v('insurance')}`, { defaultValue: v('insurance').replaceAll('_', ' ') });
  const modality = () => lower(t(`partners.modalities.${v('modality')}`, { defaultValue: v('modality').replaceAll('_', ' ') }));
  switch (reason.code) {
    case 'service_status':
      return t('partners.reasons.service_status', { status: t(`partners.serviceStatuses.${v('status')}`, { defaultValue: v('status').replaceAll('_', ' ') }) });
    case 'type_not_offered':
      return t('partners.reasons.type_not_offered', { serviceType: lower(t(`partners.types.${v('serviceType')}`, { defaultValue: v('serviceType') })) });
    case 'age_out_of_range':
      return reason.values.maximum === null
        ? t('partners.reasons.age_from', { minimum: v('minimum'), age: v('age') })
        : t('partners.reasons.age_out_of_range', { minimum: v('minimum'), maximum: v('maximum'), age: v('age') });
    case 'language_not_provided':
    case 'language_provided':
    case 'language_via_interpreter':
    case 'language_unavailable':
      return t(`partners.reasons.${reason.code}`, { language: family() });
    case 'insurance_not_taken':
    case 'takes_insurance':
      return v('insurance') === 'uninsured' ? t(`partners.reasons.${reason.code}_uninsured`) : t(`partners.reasons.${reason.code}`, { insurance: insurance() });
    case 'modality_not_offered':
    case 'modality_offered':
      return t(`partners.reasons.${reason.code}`, { modality: modality() });
    case 'no_capacity':
    case 'no_agreement':
    case 'interpreter':
      return t(`partners.reasons.${reason.code}`);
    case 'open_places':
      return t('partners.reasons.open_places', { count: Number(reason.values.count ?? 0) });
    case 'waitlist':
      return t('partners.reasons.waitlist', { count: Number(reason.values.weeks ?? 0) });
    case 'competency':
    case 'competency_missing':
      return t(`partners.reasons.${reason.code}`, { competency: v('competency').replaceAll('_', ' ') });
    default:
      return reason.code.replaceAll('_', ' ');
  }
}
