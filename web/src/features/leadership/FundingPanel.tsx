import { Alert, Anchor, Button, Card, Group, List, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FundingReport } from '../../../../src/features/leadership/leadership.schema';
import { api } from '../../api';
import { ScrollTable } from '../../ui/ScrollTable';
import { BarChart } from './BarChart';
import { day, money, pct, separators } from './format';
import { endingSourceWords, fundingAlerts } from './fundingAlerts';
import { useManage } from './useManage';

type Funding = FundingReport;
type Source = Funding['sources'][number];

const kinds = ['esser_i', 'esser_ii', 'esser_iii', 'title_i', 'title_iv_a', 'medicaid_sbs', 'state_grant', 'local', 'opioid_settlement', 'other'];

/** Braided funding: each source's burn-down and deadlines, and which services lose money when one ends. */
export function FundingPanel() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const dollars = (cents: number) => money(cents, lang);
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: ['leadership', 'funding'], queryFn: () => api<Funding>('GET', '/api/v1/leadership/funding') });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['leadership', 'funding'] });
  const manage = useManage();
  if (view.error) return <Alert color="red">{view.error.message}</Alert>;
  if (!view.data) return <Text>{t('app.loading')}</Text>;
  return (
    <Stack>
      {view.data.sources
        .flatMap((s) => fundingAlerts(t, s, lang).map((a) => ({ s, a })))
        .map(({ s, a }) => (
          <Alert key={`${s.id}-${a}`} variant="outline" color="#8a4b00" title={s.name}>
            {a}
          </Alert>
        ))}
      {view.data.sources.length > 0 && (
        <BarChart
          title={t('funding.chart')}
          series={[t('funding.award'), t('funding.spent')]}
          rows={view.data.sources.map((s) => ({ label: s.name, values: [s.awardCents, s.spentCents] }))}
          format={dollars}
        />
      )}
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('funding.sources')}
        </Title>
        <Anchor href="/api/v1/leadership/funding?format=csv" underline="always">
          {t('leadership.csv')}
        </Anchor>
      </Group>
      {view.data.sources.length === 0 && <Text>{t('funding.none')}</Text>}
      <ScrollTable label={t('funding.sources')} minWidth={720}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              {['source', 'award', 'allocated', 'spent', 'pace', 'deadlines', 'pays'].map((k) => (
                <Table.Th key={k} scope="col">
                  {t(`funding.columns.${k}`)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.data.sources.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Th scope="row">
                  {s.name}
                  <Text size="xs">{t(`funding.kinds.${s.kind}`)}</Text>
                </Table.Th>
                <Table.Td>{dollars(s.awardCents)}</Table.Td>
                <Table.Td>{dollars(s.allocatedCents)}</Table.Td>
                <Table.Td>{dollars(s.spentCents)}</Table.Td>
                <Table.Td>{t('funding.paceValue', { spent: pct(s.spentShare, lang), expected: pct(s.expectedSpentShare, lang) })}</Table.Td>
                <Table.Td>{t('funding.deadlineValue', { obligation: day(s.obligationDeadline, lang), end: day(s.periodEnd, lang) })}</Table.Td>
                <Table.Td>{s.allocations.map((a) => `${a.funds} ${dollars(a.amountCents)}`).join(' · ') || '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <section aria-labelledby="funding-cliff">
        <Title order={2} size="h3" id="funding-cliff">
          {t('funding.cliff')}
        </Title>
        {view.data.losingFunding.length === 0 ? (
          <Text>{t('funding.noCliff')}</Text>
        ) : (
          <List>
            {view.data.losingFunding.map((l) => (
              <List.Item key={l.funds}>
                {t('funding.loses', {
                  funds: l.funds,
                  amount: dollars(l.losingCents),
                  share: pct(l.losingShare, lang),
                  sources: l.endingSources.map((source) => endingSourceWords(t, source, lang)).join(', '),
                })}
              </List.Item>
            ))}
          </List>
        )}
      </section>
      {manage && <FundingForms sources={view.data.sources} onDone={refresh} />}
    </Stack>
  );
}

function FundingForms({ sources, onDone }: { sources: Source[]; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const [source, setSource] = useState({ kind: 'title_iv_a', name: '', award: '' as number | string, periodStart: '', periodEnd: '', obligationDeadline: '' });
  const [money, setMoney] = useState({ sourceId: '', what: 'allocate', funds: '', amount: '' as number | string, spentOn: '' });
  const addSource = useMutation({
    mutationFn: () =>
      api('POST', '/api/v1/leadership/funding', {
        kind: source.kind,
        name: source.name,
        awardCents: Math.round(Number(source.award) * 100),
        periodStart: source.periodStart,
        periodEnd: source.periodEnd,
        obligationDeadline: source.obligationDeadline,
      }),
    onSuccess: onDone,
  });
  const addMoney = useMutation({
    mutationFn: () =>
      money.what === 'allocate'
        ? api('POST', `/api/v1/leadership/funding/${money.sourceId}/allocations`, {
            fundsKind: 'service',
            funds: money.funds,
            amountCents: Math.round(Number(money.amount) * 100),
          })
        : api('POST', `/api/v1/leadership/funding/${money.sourceId}/spending`, {
            spentOn: money.spentOn,
            amountCents: Math.round(Number(money.amount) * 100),
            note: money.funds || undefined,
          }),
    onSuccess: onDone,
  });
  const submitSource = (e: FormEvent) => {
    e.preventDefault();
    addSource.mutate();
  };
  const submitMoney = (e: FormEvent) => {
    e.preventDefault();
    addMoney.mutate();
  };
  return (
    <Card withBorder component="section" aria-labelledby="funding-forms">
      <Title order={2} size="h3" id="funding-forms" mb="sm">
        {t('funding.manage')}
      </Title>
      <form onSubmit={submitSource}>
        <Group align="flex-end" wrap="wrap">
          <Select
            label={t('funding.kind')}
            data={kinds.map((k) => ({ value: k, label: t(`funding.kinds.${k}`) }))}
            value={source.kind}
            onChange={(v) => v && setSource({ ...source, kind: v })}
            allowDeselect={false}
          />
          <TextInput label={t('funding.name')} value={source.name} onChange={(e) => setSource({ ...source, name: e.currentTarget.value })} required />
          <NumberInput
            label={t('funding.awardDollars')}
            value={source.award}
            onChange={(v) => setSource({ ...source, award: v })}
            min={1}
            {...separators(i18n.language)}
            required
          />
          <TextInput
            type="date"
            label={t('funding.periodStart')}
            value={source.periodStart}
            onChange={(e) => setSource({ ...source, periodStart: e.currentTarget.value })}
            required
          />
          <TextInput
            type="date"
            label={t('funding.periodEnd')}
            value={source.periodEnd}
            onChange={(e) => setSource({ ...source, periodEnd: e.currentTarget.value })}
            required
          />
          <TextInput
            type="date"
            label={t('funding.obligationDeadline')}
            value={source.obligationDeadline}
            onChange={(e) => setSource({ ...source, obligationDeadline: e.currentTarget.value })}
            required
          />
          <Button type="submit">{t('funding.addSource')}</Button>
        </Group>
      </form>
      {addSource.error && <Alert color="red">{addSource.error.message}</Alert>}
      <form onSubmit={submitMoney}>
        <Group align="flex-end" wrap="wrap" mt="md">
          <Select
            label={t('funding.source')}
            data={sources.map((s) => ({ value: s.id, label: s.name }))}
            value={money.sourceId || null}
            onChange={(v) => setMoney({ ...money, sourceId: v ?? '' })}
            required
          />
          <Select
            label={t('funding.what')}
            data={[
              { value: 'allocate', label: t('funding.allocate') },
              { value: 'spend', label: t('funding.spend') },
            ]}
            value={money.what}
            onChange={(v) => v && setMoney({ ...money, what: v })}
            allowDeselect={false}
          />
          <TextInput
            label={money.what === 'allocate' ? t('funding.pays') : t('funding.note')}
            value={money.funds}
            onChange={(e) => setMoney({ ...money, funds: e.currentTarget.value })}
          />
          <NumberInput
            label={t('funding.amountDollars')}
            value={money.amount}
            onChange={(v) => setMoney({ ...money, amount: v })}
            min={1}
            {...separators(i18n.language)}
            required
          />
          {money.what === 'spend' && (
            <TextInput
              type="date"
              label={t('funding.spentOn')}
              value={money.spentOn}
              onChange={(e) => setMoney({ ...money, spentOn: e.currentTarget.value })}
              required
            />
          )}
          <Button type="submit">{t('funding.save')}</Button>
        </Group>
      </form>
      {addMoney.error && <Alert color="red">{addMoney.error.message}</Alert>}
    </Card>
  );
}
