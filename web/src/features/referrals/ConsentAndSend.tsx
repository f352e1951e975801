import { Alert, Button, Card, Checkbox, Group, Radio, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contactRoutes, studentShares } from '../../../../src/features/referrals/consent-paths.rules';
import { part2Scopes } from '../../../../src/features/referrals/part2.rules';
import { api } from '../../api';
import type { SchoolReferralView } from './ReferralPage';

type Path = 'guardian' | 'student' | 'emergency';

/**
 * Before anything leaves the school: what the referral rests on. The guardian's written consent
 * (recorded here); the student's own consent where Colorado allows it, which makes a
 * student-initiated connection and so asks what the student shares, how the partner reaches them
 * and whether the guardian may be told; or the health-or-safety emergency for an urgent referral,
 * whose reason the guardian is sent. The server says which paths are open and why not.
 */
export function ConsentAndSend({ view, onDone }: { view: SchoolReferralView; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const paths = view.consentPaths;
  const [path, setPath] = useState<Path>('guardian');
  const [consent, setConsent] = useState({ givenBy: view.guardian?.name ?? '', scope: 'this', expiresOn: '' });
  const [choices, setChoices] = useState({
    name: view.student.name.split(' ')[0] ?? '',
    share: [] as string[],
    note: '',
    contactRoute: 'school_counselor',
    contact: '',
    guardianMayBeTold: false,
  });
  const [emergencyReason, setEmergencyReason] = useState('');
  const [part2Scope, setPart2Scope] = useState<string | null>(null);
  const record = useMutation({
    mutationFn: () =>
      api('POST', `/api/v1/students/${view.studentId}/referral-consents`, {
        givenBy: consent.givenBy,
        scope: consent.scope === 'any' ? ['any_partner'] : [view.organization.id],
        expiresOn: consent.expiresOn || undefined,
      }),
    onSuccess: onDone,
  });
  const sendIt = useMutation({
    mutationFn: () =>
      api('POST', `/api/v1/referrals/${view.id}/send`, {
        ...(path === 'student'
          ? { studentConsent: true, studentChoices: { ...choices, note: choices.note || undefined, contact: choices.contact || undefined } }
          : {}),
        ...(path === 'emergency' ? { emergencyReason } : {}),
        ...(part2Scope ? { part2Scope } : {}),
      }),
    onSuccess: onDone,
  });
  const submitConsent = (e: FormEvent) => {
    e.preventDefault();
    record.mutate();
  };
  const submitSend = (e: FormEvent) => {
    e.preventDefault();
    sendIt.mutate();
  };
  const unavailable = (p: { available: boolean; reason: string | null; reasonEs: string | null } | undefined) =>
    p && !p.available ? (i18n.language.startsWith('es') ? p.reasonEs : p.reason) : null;
  // On the guardian's path nothing can go before their consent is on file (the server refuses it
  // too): Send waits for it rather than answering with an error.
  const today = new Date().toISOString().slice(0, 10);
  const guardianConsentOnFile = view.consents.some(
    (c) => c.kind === 'guardian' && (c.scope.includes(view.organization.id) || c.scope.includes('any_partner')) && (!c.expiresOn || c.expiresOn >= today),
  );
  const waitsForConsent = path === 'guardian' && !guardianConsentOnFile;
  return (
    <Card withBorder component="section" aria-labelledby="referral-consent">
      <Title order={2} size="h4" id="referral-consent" mb="xs">
        {t('referrals.consentTitle')}
      </Title>
      <Radio.Group label={t('referrals.consentPath.legend')} value={path} onChange={(v) => setPath(v as Path)}>
        <Stack gap="xs" mt={4}>
          <Radio value="guardian" label={t('referrals.consentPath.guardian')} description={t('referrals.consentPath.guardianHelp')} />
          <Radio
            value="student"
            label={t('referrals.consentPath.student')}
            description={unavailable(paths?.studentConsent) ?? t('referrals.consentPath.studentHelp')}
            disabled={!paths?.studentConsent.available}
          />
          <Radio
            value="emergency"
            label={t('referrals.consentPath.emergency')}
            description={unavailable(paths?.emergency) ?? t('referrals.consentPath.emergencyHelp')}
            disabled={!paths?.emergency.available}
          />
        </Stack>
      </Radio.Group>
      {path === 'guardian' && (
        <form onSubmit={submitConsent}>
          <Stack gap="xs" mt="md">
            <TextInput
              label={t('referrals.givenBy')}
              value={consent.givenBy}
              onChange={(e) => setConsent({ ...consent, givenBy: e.currentTarget.value })}
              required
            />
            <Radio.Group label={t('referrals.scope')} value={consent.scope} onChange={(v) => setConsent({ ...consent, scope: v })}>
              <Group mt={4}>
                <Radio value="this" label={view.organization.name} />
                <Radio value="any" label={t('referrals.anyPartner')} />
              </Group>
            </Radio.Group>
            <TextInput
              type="date"
              label={t('referrals.expiresOn')}
              value={consent.expiresOn}
              onChange={(e) => setConsent({ ...consent, expiresOn: e.currentTarget.value })}
            />
            <Group>
              <Button type="submit" variant="default">
                {t('referrals.recordConsent')}
              </Button>
            </Group>
          </Stack>
          {record.error && <Alert color="red">{record.error.message}</Alert>}
        </form>
      )}
      <form onSubmit={submitSend}>
        <Stack gap="xs" mt="md">
          {path === 'student' && (
            <Stack gap="xs">
              <TextInput
                label={t('referrals.consentPath.studentName')}
                value={choices.name}
                onChange={(e) => setChoices({ ...choices, name: e.currentTarget.value })}
                required
              />
              <Checkbox.Group label={t('referrals.consentPath.share')} value={choices.share} onChange={(share) => setChoices({ ...choices, share })}>
                <Group mt={4}>
                  {studentShares.map((item) => (
                    <Checkbox key={item} value={item} label={t(`referrals.consentPath.shareItems.${item}`)} />
                  ))}
                </Group>
              </Checkbox.Group>
              <Textarea
                label={t('referrals.consentPath.studentNote')}
                value={choices.note}
                onChange={(e) => setChoices({ ...choices, note: e.currentTarget.value })}
                autosize
                minRows={2}
              />
              <Radio.Group
                label={t('referrals.consentPath.contactRoute')}
                value={choices.contactRoute}
                onChange={(contactRoute) => setChoices({ ...choices, contactRoute })}
              >
                <Group mt={4}>
                  {contactRoutes.map((route) => (
                    <Radio key={route} value={route} label={t(`referrals.consentPath.routes.${route}`)} />
                  ))}
                </Group>
              </Radio.Group>
              {choices.contactRoute !== 'school_counselor' && (
                <TextInput
                  type={choices.contactRoute === 'own_email' ? 'email' : 'tel'}
                  label={choices.contactRoute === 'own_email' ? t('referrals.consentPath.contactEmail') : t('referrals.consentPath.contactPhone')}
                  value={choices.contact}
                  onChange={(e) => setChoices({ ...choices, contact: e.currentTarget.value })}
                  required
                />
              )}
              <Checkbox
                label={t('referrals.consentPath.guardianMayBeTold')}
                description={t('referrals.consentPath.guardianMayBeToldHelp')}
                checked={choices.guardianMayBeTold}
                onChange={(e) => setChoices({ ...choices, guardianMayBeTold: e.currentTarget.checked })}
              />
            </Stack>
          )}
          {path === 'emergency' && (
            <Textarea
              label={t('referrals.consentPath.emergencyReason')}
              description={t('referrals.consentPath.emergencyHelp')}
              value={emergencyReason}
              onChange={(e) => setEmergencyReason(e.currentTarget.value)}
              autosize
              minRows={2}
              required
            />
          )}
          {view.part2 && (
            <Select
              label={t('referrals.consentPath.part2Scope')}
              description={t('referrals.consentPath.part2Help')}
              data={part2Scopes.map((s) => ({ value: s, label: t(`referrals.part2.scopes.${s}`) }))}
              value={part2Scope}
              onChange={setPart2Scope}
              required
            />
          )}
          {waitsForConsent && (
            <Text size="sm" id="send-waits">
              {t('referrals.sendWaitsForConsent')}
            </Text>
          )}
          <Group>
            <Button type="submit" disabled={waitsForConsent} aria-describedby={waitsForConsent ? 'send-waits' : undefined}>
              {t('referrals.send', { name: view.organization.name })}
            </Button>
          </Group>
        </Stack>
      </form>
      {sendIt.error && (
        <Alert color="red" mt="xs" role="alert">
          {sendIt.error.message}
        </Alert>
      )}
    </Card>
  );
}
