import { Alert, Anchor, Button, Card, Group, NumberInput, Select, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CapacityReport } from '../../../../src/features/leadership/leadership.schema';
import { api } from '../../api';
import { useSession } from '../../session';
import { ScrollTable } from '../../ui/ScrollTable';
import { AsOf } from './AsOf';
import { BarChart } from './BarChart';
import { EquityPanel } from './EquityPanel';
import { FundingPanel } from './FundingPanel';
import { num, separators } from './format';
import { PoliciesPanel, TrainingPanel } from './ReadinessPanels';
import { SelfAssessmentPanel } from './SelfAssessmentPanel';
import { ReportMode, useManage } from './useManage';

type Count = number | null;
type Capacity = CapacityReport;

/** District leadership: need against capacity, and equity across the whole path. Aggregates only. */
export function LeadershipPage() {
  const { t } = useTranslation();
  return (
    <>
      <Title order={1} mb="xs">
        {t('leadership.title')}
      </Title>
      <Group justify="space-between" mb="md">
        <Text>{t('leadership.intro')}</Text>
        <Anchor component={Link} to="/leadership/report" underline="always">
          {t('leadership.report')}
        </Anchor>
      </Group>
      <Tabs defaultValue="capacity" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="capacity">{t('leadership.capacity')}</Tabs.Tab>
          <Tabs.Tab value="equity">{t('leadership.equity')}</Tabs.Tab>
          <Tabs.Tab value="funding">{t('funding.title')}</Tabs.Tab>
          <Tabs.Tab value="training">{t('training.title')}</Tabs.Tab>
          <Tabs.Tab value="policies">{t('policies.titleTab')}</Tabs.Tab>
          <Tabs.Tab value="assessment">{t('assessment.title')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="capacity">
          <CapacityPanel />
        </Tabs.Panel>
        <Tabs.Panel value="equity">
          <EquityPanel />
        </Tabs.Panel>
        <Tabs.Panel value="funding">
          <FundingPanel />
        </Tabs.Panel>
        <Tabs.Panel value="training">
          <TrainingPanel />
        </Tabs.Panel>
        <Tabs.Panel value="policies">
          <PoliciesPanel />
        </Tabs.Panel>
        <Tabs.Panel value="assessment">
          <SelfAssessmentPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

/** Every dashboard on one page, without forms, for printing for the school board (print CSS hides the app's frame). */
export function DistrictReportPage() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  return (
    <ReportMode.Provider value={true}>
      <Group justify="space-between" mb="md" className="no-print">
        <Anchor component={Link} to="/leadership">
          ← {t('leadership.title')}
        </Anchor>
        <Button onClick={() => window.print()}>{t('leadership.print')}</Button>
      </Group>
      <Title order={1}>{t('leadership.reportTitle', { district: me?.district?.name ?? '' })}</Title>
      <Text mb="lg">{new Date().toLocaleDateString(i18n.language, { dateStyle: 'long', timeZone: me?.district?.timeZone })}</Text>
      <Stack gap="xl">
        {(
          [
            ['leadership.capacity', <CapacityPanel key="c" />],
            ['leadership.equity', <EquityPanel key="e" />],
            ['funding.title', <FundingPanel key="f" />],
            ['training.title', <TrainingPanel key="t" />],
            ['assessment.title', <SelfAssessmentPanel key="s" />],
          ] as const
        ).map(([title, panel]) => (
          <section key={title} className="report-section">
            <Title order={2} mb="sm">
              {t(title)}
            </Title>
            {panel}
          </section>
        ))}
      </Stack>
    </ReportMode.Provider>
  );
}

/** Staff read and acknowledge the district's crisis policies. */
export function PoliciesPage() {
  const { t } = useTranslation();
  return (
    <>
      <Title order={1} mb="md">
        {t('policies.titleTab')}
      </Title>
      <PoliciesPanel />
    </>
  );
}

function CapacityPanel() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const manage = useManage();
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: ['leadership', 'capacity'], queryFn: () => api<Capacity>('GET', '/api/v1/leadership/capacity') });
  const show = (n: Count) => (n === null ? t('leadership.suppressedShort', { n: view.data?.threshold }) : num(n, lang));
  if (view.error) return <Alert color="red">{view.error.message}</Alert>;
  if (!view.data) return <Text>{t('app.loading')}</Text>;
  return (
    <Stack>
      <AsOf computedAt={view.data.computedAt} />
      <BarChart
        title={t('leadership.needVsCapacity')}
        series={[t('leadership.need'), t('leadership.caseloadCapacity')]}
        rows={view.data.schools.map((s) => ({ label: s.school, values: [s.need.total, s.capacity.caseloadCapacity] }))}
        format={(v) => t('leadership.studentCount', { count: v, n: num(v, lang) })}
      />
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('leadership.bySchool')}
        </Title>
        <Anchor href="/api/v1/leadership/capacity?format=csv" underline="always">
          {t('leadership.csv')}
        </Anchor>
      </Group>
      <ScrollTable label={t('leadership.bySchool')} minWidth={760}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              {[
                'school',
                'enrollment',
                'tier2',
                'tier3',
                'openPositives',
                'openCases',
                'reentryPlans',
                'waitingReferrals',
                'caseloadCapacity',
                'gap',
                'perCounselor',
              ].map((k) => (
                <Table.Th key={k} scope="col">
                  {t(`leadership.columns.${k}`)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.data.schools.map((s) => (
              <Table.Tr key={s.school}>
                <Table.Th scope="row">{s.school}</Table.Th>
                <Table.Td>{num(s.enrollment, lang)}</Table.Td>
                {[s.need.tier2, s.need.tier3, s.need.openPositives, s.need.openCases, s.need.reentryPlans, s.need.waitingReferrals].map((n, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
                  <Table.Td key={i}>{show(n)}</Table.Td>
                ))}
                <Table.Td>{num(s.capacity.caseloadCapacity, lang)}</Table.Td>
                <Table.Td fw={s.gap !== null && s.gap > 0 ? 700 : undefined}>
                  {s.gap === null ? show(null) : s.gap > 0 ? t('leadership.short', { n: num(s.gap, lang) }) : t('leadership.room', { n: num(-s.gap, lang) })}
                </Table.Td>
                <Table.Td>
                  {s.studentsPerCounselor === null ? t('leadership.noCounselor') : `${num(s.studentsPerCounselor, lang)} : 1`}
                  <Text size="xs">{t('leadership.recommended', { n: num(s.recommendedPerCounselor, lang), short: num(s.counselorsShort, lang, 1) })}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <Title order={2} size="h3">
        {t('leadership.partnerCapacity')}
      </Title>
      <ScrollTable label={t('leadership.partnerCapacity')} minWidth={520}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('partners.need')}</Table.Th>
              <Table.Th scope="col">{t('leadership.openPlaces')}</Table.Th>
              <Table.Th scope="col">{t('leadership.waiting')}</Table.Th>
              <Table.Th scope="col">{t('leadership.projectedWait')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.data.partners.map((p) => (
              <Table.Tr key={p.type}>
                <Table.Th scope="row">{t(`partners.types.${p.type}`, { defaultValue: p.type })}</Table.Th>
                <Table.Td>{num(p.openPlaces, lang)}</Table.Td>
                <Table.Td>{show(p.waiting)}</Table.Td>
                <Table.Td>
                  {p.wait.kind === 'no_wait'
                    ? t('leadership.noWait')
                    : p.wait.kind === 'waitlist'
                      ? t('leadership.waitlistWeeks', { count: p.wait.weeks, n: num(p.wait.weeks, lang, 1) })
                      : p.wait.kind === 'full'
                        ? t('leadership.fullWaitUnknown')
                        : t('leadership.noCapacity')}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {manage && <Positions positions={view.data.positions} onDone={() => queryClient.invalidateQueries({ queryKey: ['leadership', 'capacity'] })} />}
    </Stack>
  );
}

function Positions({ positions, onDone }: { positions: Capacity['positions']; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { me } = useSession();
  const [form, setForm] = useState({ schoolId: '', role: 'counselor', fte: 1 as number | string, caseloadPerFte: 60 as number | string, title: '' });
  const add = useMutation({
    mutationFn: () =>
      api('POST', '/api/v1/leadership/positions', {
        ...form,
        fte: Number(form.fte),
        caseloadPerFte: Number(form.caseloadPerFte),
        title: form.title || undefined,
      }),
    onSuccess: onDone,
  });
  const remove = useMutation({ mutationFn: (id: string) => api('DELETE', `/api/v1/leadership/positions/${id}`), onSuccess: onDone });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Card withBorder component="section" aria-labelledby="staff-positions">
      <Title order={2} size="h3" id="staff-positions" mb="xs">
        {t('leadership.positions')}
      </Title>
      {positions.map((p) => (
        <Group key={p.id} gap="xs">
          <Text size="sm">
            {p.school} · {t(`leadership.roles.${p.role}`)} · {num(p.fte, lang, 2)} FTE · {t('leadership.caseloadEach', { n: num(p.caseloadPerFte, lang) })}{' '}
            {p.title ? `· ${p.title}` : ''}
          </Text>
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => remove.mutate(p.id)}
            aria-label={t('leadership.removePosition', { what: `${p.school} ${p.title ?? p.role}` })}
          >
            {t('leadership.remove')}
          </Button>
        </Group>
      ))}
      <form onSubmit={submit}>
        <Group align="flex-end" mt="sm" wrap="wrap">
          <Select
            label={t('leadership.school')}
            data={(me?.schools ?? []).map((s) => ({ value: s.id, label: s.name }))}
            value={form.schoolId || null}
            onChange={(v) => setForm({ ...form, schoolId: v ?? '' })}
            required
          />
          <Select
            label={t('leadership.role')}
            data={['counselor', 'psychologist', 'social_worker', 'nurse'].map((r) => ({ value: r, label: t(`leadership.roles.${r}`) }))}
            value={form.role}
            onChange={(v) => v && setForm({ ...form, role: v })}
            allowDeselect={false}
          />
          <NumberInput
            label="FTE"
            value={form.fte}
            onChange={(v) => setForm({ ...form, fte: v })}
            min={0.05}
            max={5}
            step={0.1}
            decimalScale={2}
            w={90}
            {...separators(lang)}
          />
          <NumberInput
            label={t('leadership.caseload')}
            value={form.caseloadPerFte}
            onChange={(v) => setForm({ ...form, caseloadPerFte: v })}
            min={1}
            max={1000}
            w={120}
          />
          <TextInput label={t('leadership.positionTitle')} value={form.title} onChange={(e) => setForm({ ...form, title: e.currentTarget.value })} />
          <Button type="submit">{t('leadership.addPosition')}</Button>
        </Group>
      </form>
      {(add.error || remove.error) && (
        <Alert color="red" mt="xs">
          {(add.error ?? remove.error)?.message}
        </Alert>
      )}
    </Card>
  );
}
