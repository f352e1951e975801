import { Alert, Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { childAbuseHotline } from '../../../../src/data/cases.values';

/**
 * The duty to report suspected abuse is personal (C.R.S. 19-3-304): telling the principal does not
 * discharge it. Shown to whoever files an abuse concern, and on the report and case pages until the
 * mandatory report is recorded, because people commonly believe that passing it up is enough.
 */
export function AbuseDutyReminder() {
  const { t } = useTranslation();
  return (
    <Alert color="red.9" variant="outline" title={t('cases.duty.title')}>
      <Text size="sm">{t('cases.duty.yours')}</Text>
      <Text size="sm" mt={4}>
        {t('cases.duty.call')}{' '}
        <Anchor href={`tel:${childAbuseHotline.tel}`} underline="always" fw={700}>
          {childAbuseHotline.display}
        </Anchor>{' '}
        {t('cases.duty.when')}
      </Text>
    </Alert>
  );
}
