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

/**
 * Why a figure is not shown, in words that are true of it. A group hidden only so that a small
 * group cannot be worked out by subtraction ("complementary") may be large, so it is never said to
 * be "fewer than 10 students". Any other or future reason reads as a plain privacy note.
 */
export function hiddenWords(t: TFunction, reason: string | undefined, threshold: number): string {
  // "extreme" (equity.rules.ts): a group under the threshold where all or none were reached; it is small too.
  if (reason === 'small' || reason === 'extreme') return t('leadership.suppressed', { n: threshold });
  if (reason === 'complementary') return t('leadership.hiddenComplementary');
  return t('leadership.hiddenPrivacy');
}
