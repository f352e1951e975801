import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * The home languages most often met in Colorado schools, as ISO 639 codes (what the server stores
 * and matches services on). People see their names, never the codes.
 */
const familyLanguages = ['en', 'es', 'vi', 'ar', 'ru', 'zh', 'ne', 'so', 'am', 'fr', 'ko', 'uk', 'fa', 'ps', 'sw', 'my', 'ti', 'pt', 'hmn', 'tl'];

/** A language's name in the reader's language ("Spanish", "español"); the code only if the browser knows no name. */
export function languageName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * A family's language chosen by name from a list (English and Spanish first, then by name). The
 * current value stays in the list even when it is not a common one (a student's home language),
 * and so does every language a partner service offers (`offered`), so a search can find it.
 */
export function FamilyLanguageSelect({
  label,
  value,
  onChange,
  offered = [],
}: {
  label: string;
  value: string;
  onChange: (code: string) => void;
  offered?: readonly string[];
}) {
  const { i18n } = useTranslation();
  const named = (code: string) => ({ value: code, label: languageName(code, i18n.language) });
  const others = [...new Set([value, ...familyLanguages, ...offered])]
    .filter((code) => code && code !== 'en' && code !== 'es')
    .map(named)
    .sort((a, b) => a.label.localeCompare(b.label, i18n.language));
  return (
    <Select
      label={label}
      data={[named('en'), named('es'), ...others]}
      value={value}
      onChange={(code) => code && onChange(code)}
      searchable
      allowDeselect={false}
    />
  );
}
