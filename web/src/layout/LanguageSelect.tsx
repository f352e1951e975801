import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { languages } from '../i18n';

/** The language switch, the same on signed-out and signed-in pages. */
export function LanguageSelect({ width = 120 }: { width?: number }) {
  const { t, i18n } = useTranslation();
  return (
    <Select
      aria-label={t('app.language')}
      data={[...languages]}
      value={i18n.language}
      onChange={(value) => value && i18n.changeLanguage(value)}
      allowDeselect={false}
      w={width}
    />
  );
}
