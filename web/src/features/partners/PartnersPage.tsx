import { Alert, Badge, Button, Card, Checkbox, Group, NumberInput, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { serviceAvailability } from '../../../../src/features/partners/capacity.rules';
import type { Matches as Matched, PartnerList } from '../../../../src/features/partners/partners.schema';
import { insurances, modalities, serviceTypes } from '../../../../src/features/referrals/matching.rules';
import { api } from '../../api';
import { useSession } from '../../session';
import { FamilyLanguageSelect, languageName } from '../../ui/FamilyLanguageSelect';
import { dayLabel } from '../../ui/labels';
import { ScrollTable } from '../../ui/ScrollTable';
import { MatchReasonList } from './MatchReasonList';
import { matchReasonWords } from './matchReasons';
import { AgreementCard, CapacityCard, ServiceEditor } from './PartnerAdmin';

export type Partner = PartnerList[number];
export type Service = Partner['services'][number];

/** The partner directory with live capacity and agreements, and finding the right service for a student. */
export function PartnersPage() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const partners = useQuery({ queryKey: ['partners'], queryFn: () => api<Partner[]>('GET', '/api/v1/partners') });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['partners'] });
  const canMatch = me?.roles.some((r) => ['district_admin', 'school_admin', 'counselor', 'crisis_team'].includes(r.role));
  const districtAdmin = me?.roles.some((r) => r.role === 'district_admin' && r.schoolId === null);
  const partner = me?.roles.some((r) => r.role === 'partner');
  return (
    <>
      <Title order={1} mb="md">
        {t('partners.title')}
      </Title>
      {partners.error && <Alert color="red">{partners.error.message}</Alert>}
      {partners.data && (
        <ScrollTable label={t('partners.title')} minWidth={620}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('partners.service')}</Table.Th>
                <Table.Th scope="col">{t('partners.offers')}</Table.Th>
                <Table.Th scope="col">{t('partners.capacity')}</Table.Th>
                <Table.Th scope="col">{t('partners.agreement')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {partners.data.flatMap((p) =>
                p.services.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Th scope="row">
                      {s.name}
                      <Text size="sm" c="dimmed">
                        {p.name}
                      </Text>
                    </Table.Th>
                    <Table.Td>
                      {s.serviceTypes.map((type) => t(`partners.types.${type}`)).join(', ') || '—'}
                      <Text size="sm">{s.languages.map((code) => languageName(code, i18n.language)).join(', ')}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Availability service={s} />
                      {s.capacityUpdatedAt && (
                        <Text size="xs" c="dimmed">
                          {t('partners.updated', { when: new Date(s.capacityUpdatedAt).toLocaleDateString(i18n.language) })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {p.agreement ? (
                        t('partners.agreementUntil', {
                          type: t(`partners.agreementTypes.${p.agreement.type}`, { defaultValue: t('partners.agreementOther') }),
                          date: dayLabel(p.agreement.endsOn, i18n.language),
                        })
                      ) : (
                        <Badge color="red.9" variant="outline">
                          {t('partners.noAgreement')}
                        </Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                )),
              )}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {canMatch && <MatchCard offered={[...new Set(partners.data?.flatMap((p) => p.services.flatMap((s) => s.languages)) ?? [])]} />}
      {partners.data && (partner || districtAdmin) && <CapacityCard partners={partners.data} onDone={refresh} />}
      {partners.data && districtAdmin && <ServiceEditor partners={partners.data} onDone={refresh} />}
      {partners.data && districtAdmin && <AgreementCard partners={partners.data} onDone={refresh} />}
    </>
  );
}

/**
 * A service's capacity in words, by the rule the capacity dashboard uses (capacity.rules.ts): a
 * waitlist is said even when places are reported beside it, and no open places is never "open".
 */
function Availability({ service }: { service: Service }) {
  const { t } = useTranslation();
  const now = serviceAvailability(service);
  if (now.kind === 'open') return <>{t('partners.open', { count: now.places })}</>;
  if (now.kind === 'waitlist')
    return (
      <>
        {t('partners.waitlist', { weeks: now.weeks })}
        {service.capacityAvailable ? <Text size="sm">{t('partners.placesForWaiting', { count: service.capacityAvailable })}</Text> : null}
      </>
    );
  return <>{t(now.kind === 'full' ? 'partners.full' : 'partners.notReported')}</>;
}

function MatchCard({ offered }: { offered: string[] }) {
  const { t, i18n } = useTranslation();
  const [need, setNeed] = useState({
    serviceType: 'counseling',
    age: 13 as number | string,
    language: 'es',
    languageRequired: false,
    insurance: 'medicaid',
    modality: '',
  });
  const match = useMutation({
    mutationFn: () => api<Matched>('POST', '/api/v1/referrals/match', { ...need, age: Number(need.age), modality: need.modality || undefined }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    match.mutate();
  };
  return (
    <Card withBorder mt="xl" component="section" aria-labelledby="find-service">
      <Title order={2} size="h3" id="find-service" mb="sm">
        {t('partners.find')}
      </Title>
      <form onSubmit={submit}>
        <Stack gap="sm" maw={620}>
          <Group grow>
            <Select
              label={t('partners.need')}
              data={serviceTypes.map((s) => ({ value: s, label: t(`partners.types.${s}`) }))}
              value={need.serviceType}
              onChange={(v) => v && setNeed({ ...need, serviceType: v })}
              allowDeselect={false}
            />
            <NumberInput label={t('partners.age')} value={need.age} onChange={(v) => setNeed({ ...need, age: v })} min={3} max={22} />
          </Group>
          <Group grow>
            <FamilyLanguageSelect
              label={t('partners.language')}
              value={need.language}
              offered={offered}
              onChange={(language) => setNeed({ ...need, language: language })}
            />
            <Select
              label={t('partners.insurance')}
              data={insurances.map((s) => ({ value: s, label: t(`partners.insurances.${s}`) }))}
              value={need.insurance}
              onChange={(v) => v && setNeed({ ...need, insurance: v })}
              allowDeselect={false}
            />
            <Select
              label={t('partners.modality')}
              data={[{ value: '', label: t('partners.any') }, ...modalities.map((s) => ({ value: s, label: t(`partners.modalities.${s}`) }))]}
              value={need.modality}
              onChange={(v) => setNeed({ ...need, modality: v ?? '' })}
              allowDeselect={false}
            />
          </Group>
          <Checkbox
            label={t('partners.languageRequired')}
            checked={need.languageRequired}
            onChange={(e) => setNeed({ ...need, languageRequired: e.currentTarget.checked })}
          />
          <Group>
            <Button type="submit">{t('partners.findButton')}</Button>
          </Group>
        </Stack>
      </form>
      {match.error && <Alert color="red">{match.error.message}</Alert>}
      {match.data && (
        <Stack mt="md" gap="xs" aria-live="polite">
          {match.data.ranked.length === 0 && <Text>{t('partners.noMatch')}</Text>}
          {match.data.ranked.map((m, i) => (
            <Card key={m.service.id} withBorder>
              <Text fw={700}>
                {i + 1}. {m.service.name}
              </Text>
              <MatchReasonList match={m} />
            </Card>
          ))}
          {match.data.excluded.length > 0 && (
            <Text size="sm">
              {t('partners.excluded')}:{' '}
              {match.data.excluded.map((e) => `${e.service.name} (${e.reasons.map((r) => matchReasonWords(t, r, i18n.language)).join('; ')})`).join(' · ')}
            </Text>
          )}
        </Stack>
      )}
    </Card>
  );
}
