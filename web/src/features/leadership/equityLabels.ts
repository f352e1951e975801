import type { TFunction } from 'i18next';
import { languageName } from '../../ui/FamilyLanguageSelect';

/**
 * Words for a group of a dimension: home languages by name, the other groups from the
 * translations; an unknown group is "Other group", never its raw code.
 */
export function groupLabel(t: TFunction, locale: string, dimension: string, group: string): string {
  if (dimension === 'home_language') return languageName(group, locale);
  return t(`leadership.groups.${dimension}.${group}`, { defaultValue: t('leadership.otherGroup') });
}
