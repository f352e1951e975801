import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { dayLabel } from '../../ui/labels';
import type { SchoolReferralView } from './ReferralPage';

/**
 * The guardian's written consents on file for this student, each of which the guardian may
 * withdraw: nothing more is shared on it afterwards (what was already shared stays logged).
 */
export function ConsentsOnFile({ view, onDone }: { view: SchoolReferralView; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const withdraw = useMutation({
    mutationFn: (id: string) => api('POST', `/api/v1/students/${view.studentId}/referral-consents/${id}/withdraw`, { reason: reason || undefined }),
    onSuccess: () => {
      setConfirming(null);
      setReason('');
      onDone();
    },
  });
  const guardian = view.consents.filter((c) => c.kind === 'guardian');
  if (guardian.length === 0) return null;
  return (
    <Card withBorder component="section" aria-labelledby="referral-consents-on-file">
      <Title order={2} size="h4" id="referral-consents-on-file" mb="xs">
        {t('referrals.consentsOnFile')}
      </Title>
      <Stack gap="xs">
        {guardian.map((c) => (
          <Stack key={c.id} gap={4}>
            <Text size="sm">
              ✓ {t('referrals.consentOnFile', { who: c.givenBy, until: c.expiresOn ? dayLabel(c.expiresOn, i18n.language) : t('referrals.noExpiry') })}
            </Text>
            {confirming === c.id ? (
              <Group align="flex-end">
                <TextInput label={t('referrals.withdrawReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
                <Button color="red.9" onClick={() => withdraw.mutate(c.id)} loading={withdraw.isPending}>
                  {t('referrals.withdrawConfirm')}
                </Button>
                <Button variant="default" onClick={() => setConfirming(null)}>
                  {t('referrals.keep')}
                </Button>
              </Group>
            ) : (
              <Button variant="default" size="xs" w="fit-content" onClick={() => setConfirming(c.id)}>
                {t('referrals.withdraw', { who: c.givenBy })}
              </Button>
            )}
          </Stack>
        ))}
        {withdraw.error && (
          <Alert color="red" role="alert">
            {withdraw.error.message}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
