import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * The federal notice against redisclosure (42 CFR 2.32) that must accompany whatever a
 * substance-use program tells the school, with the scope of the student's consent beside it
 * (2.32(b)). The legal statement is shown word for word, in English, as the regulation gives it.
 */
export function Part2Notice({ notice, scope, withheld }: { notice: string; scope?: string | null; withheld?: boolean }) {
  const { t } = useTranslation();
  return (
    <Alert variant="outline" color="#8a4b00" mb="sm" title={t('referrals.part2.title')} role="note">
      {scope !== undefined && (
        <Text size="sm" fw={600} mb={4}>
          {scope ? t(`referrals.part2.scopes.${scope}`) : t('referrals.part2.scopeNotRecorded')}
        </Text>
      )}
      {withheld && (
        <Text size="sm" mb={4}>
          {t('referrals.part2.withheld')}
        </Text>
      )}
      <Text size="xs" lang="en" style={{ whiteSpace: 'pre-line' }}>
        {notice}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        {t('referrals.part2.legalText')}
      </Text>
    </Alert>
  );
}
