import { Alert, Anchor, Badge, Button, Card, FileInput, Group, NumberInput, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttendanceImported, PolicyList, TrainingReport } from '../../../../src/features/leadership/leadership.schema';
import { api, upload } from '../../api';
import { useSession } from '../../session';
import { ScrollTable } from '../../ui/ScrollTable';
import { BarChart } from './BarChart';
import { day, num, pct } from './format';
import { useManage } from './useManage';

type Coverage = TrainingReport;

/** Training coverage per school, and the sign-in sheet import. */
export function TrainingPanel() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const of = (share: number | null, n: number) => t('training.of', { share: pct(share, lang), n: num(n, lang) });
  const manage = useManage();
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: ['leadership', 'training'], queryFn: () => api<Coverage>('GET', '/api/v1/leadership/training') });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['leadership', 'training'] });
  const [file, setFile] = useState<File | null>(null);
  const [training, setTraining] = useState({ name: '', kind: 'reporting_tool_staff', audience: 'staff', refresherMonths: 12 as number | string });
  const sheet = useMutation({
    mutationFn: () => upload<AttendanceImported>('/api/v1/leadership/training-attendance', file as File, 'text/csv', () => undefined),
    onSuccess: refresh,
  });
  const add = useMutation({
    mutationFn: () =>
      api('POST', '/api/v1/leadership/trainings', {
        ...training,
        refresherMonths: training.refresherMonths === '' ? undefined : Number(training.refresherMonths),
      }),
    onSuccess: refresh,
  });
  const submitTraining = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  if (view.error) return <Alert color="red">{view.error.message}</Alert>;
  if (!view.data) return <Text>{t('app.loading')}</Text>;
  return (
    <Stack>
      <BarChart
        title={t('training.chart')}
        series={[t('training.staffTrained'), t('training.teamTrained')]}
        rows={view.data.schools.map((s) => ({ label: s.school, values: [s.staffTrainedShare, s.crisisTeamTrainedShare] }))}
        format={(v) => pct(v, lang)}
        max={1}
      />
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('training.coverage')}
        </Title>
        <Anchor href="/api/v1/leadership/training?format=csv" underline="always">
          {t('leadership.csv')}
        </Anchor>
      </Group>
      <ScrollTable label={t('training.coverage')} minWidth={480}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('leadership.school')}</Table.Th>
              <Table.Th scope="col">{t('training.staffTrained')}</Table.Th>
              <Table.Th scope="col">{t('training.teamTrained')}</Table.Th>
              <Table.Th scope="col">{t('training.studentsReached')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.data.schools.map((s) => (
              <Table.Tr key={s.school}>
                <Table.Th scope="row">{s.school}</Table.Th>
                <Table.Td>{of(s.staffTrainedShare, s.staff)}</Table.Td>
                <Table.Td>{of(s.crisisTeamTrainedShare, s.crisisTeam)}</Table.Td>
                <Table.Td>{num(s.studentsReached, lang)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th scope="row">{t('training.allSchools')}</Table.Th>
              <Table.Td fw={700}>{of(view.data.district.staffTrainedShare, view.data.district.staff)}</Table.Td>
              <Table.Td fw={700}>{of(view.data.district.crisisTeamTrainedShare, view.data.district.crisisTeam)}</Table.Td>
              <Table.Td fw={700}>{num(view.data.district.studentsReached, lang)}</Table.Td>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </ScrollTable>
      <Text size="sm">
        {t('training.trainings')}:{' '}
        {view.data.trainings.map((x) => `${x.name}${x.refresherMonths ? ` (${t('training.every', { n: num(x.refresherMonths, lang) })})` : ''}`).join(' · ') ||
          '—'}
      </Text>
      {manage && (
        <Card withBorder component="section" aria-labelledby="training-manage">
          <Title order={2} size="h4" id="training-manage" mb="xs">
            {t('training.manage')}
          </Title>
          <form onSubmit={submitTraining}>
            <Group align="flex-end" wrap="wrap">
              <TextInput
                label={t('training.name')}
                value={training.name}
                onChange={(e) => setTraining({ ...training, name: e.currentTarget.value })}
                required
              />
              <Select
                label={t('training.kind')}
                data={['crisis_team', 'reporting_tool_staff', 'student_awareness', 'suicide_prevention', 'restorative_practices', 'other'].map((k) => ({
                  value: k,
                  label: t(`training.kinds.${k}`),
                }))}
                value={training.kind}
                onChange={(v) => v && setTraining({ ...training, kind: v, audience: v === 'student_awareness' ? 'students' : 'staff' })}
                allowDeselect={false}
              />
              <NumberInput
                label={t('training.refresher')}
                value={training.refresherMonths}
                onChange={(v) => setTraining({ ...training, refresherMonths: v })}
                min={1}
                max={60}
                w={150}
              />
              <Button type="submit">{t('training.add')}</Button>
            </Group>
          </form>
          {add.error && <Alert color="red">{add.error.message}</Alert>}
          <Group align="flex-end" mt="md">
            <FileInput
              label={t('training.sheet')}
              description={t('training.sheetHelp')}
              accept=".csv,text/csv"
              value={file}
              onChange={setFile}
              clearable
              clearButtonProps={{ 'aria-label': t('app.clearFile') }}
            />
            <Button onClick={() => sheet.mutate()} disabled={!file}>
              {t('training.import')}
            </Button>
          </Group>
          {sheet.data && <Text role="status">{t('training.imported', { rows: num(sheet.data.rows, lang), added: num(sheet.data.added, lang) })}</Text>}
          {sheet.error && <Alert color="red">{sheet.error.message}</Alert>}
        </Card>
      )}
    </Stack>
  );
}

/** The policy library: versions, owners, review dates and acknowledgements; staff acknowledge here too. */
export function PoliciesPanel() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const manage = useManage();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['policies'], queryFn: () => api<PolicyList>('GET', '/api/v1/policies') });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['policies'] });
  const ack = useMutation({ mutationFn: (id: string) => api('POST', `/api/v1/policies/${id}/acknowledge`), onSuccess: refresh });
  const [form, setForm] = useState({ kind: 'crisis_response_plan', title: '', version: '1', reviewBy: '', summary: '', documentUrl: '' });
  const add = useMutation({
    mutationFn: () => api('POST', '/api/v1/policies', { ...form, documentUrl: form.documentUrl.trim() || undefined, ownerUserId: me?.user.id }),
    onSuccess: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  if (list.error) return <Alert color="red">{list.error.message}</Alert>;
  if (!list.data) return <Text>{t('app.loading')}</Text>;
  const canAck = me?.roles.some((r) => ['district_admin', 'school_admin', 'counselor', 'crisis_team', 'staff'].includes(r.role));
  return (
    <Stack>
      {list.data.length === 0 && <Text>{t('policies.none')}</Text>}
      {list.data.map((p) => (
        <Card key={p.id} withBorder>
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={2} size="h4">
                {p.title}
              </Title>
              <Text size="sm">
                {t(`policies.kinds.${p.kind}`)} · {t('policies.version', { v: p.version })} · {t('policies.owner', { name: p.owner })}
              </Text>
            </div>
            <Group gap="xs">
              {p.reviewOverdue ? (
                <Badge color="red.9" variant="outline">
                  {t('policies.overdue', { date: day(p.reviewBy, lang) })}
                </Badge>
              ) : (
                <Text size="sm">{t('policies.reviewBy', { date: day(p.reviewBy, lang) })}</Text>
              )}
            </Group>
          </Group>
          {p.documentUrl && (
            <Anchor href={p.documentUrl} target="_blank" rel="noopener noreferrer" underline="always" mt="xs" display="inline-block">
              {t('policies.openDocument', { title: p.title, v: p.version })}
              <span className="visually-hidden"> {t('policies.newTab')}</span>
            </Anchor>
          )}
          {p.summary && (
            <Text mt="xs" style={{ whiteSpace: 'pre-wrap' }}>
              {p.summary}
            </Text>
          )}
          <Group mt="xs" justify="space-between">
            <Text size="sm">{t('policies.acknowledged', { n: num(p.acknowledged, lang), staff: num(p.staff, lang) })}</Text>
            {canAck &&
              (p.acknowledgedByMe ? (
                <Text size="sm">✓ {t('policies.youAcknowledged')}</Text>
              ) : (
                <Button size="xs" onClick={() => ack.mutate(p.id)} aria-label={t('policies.acknowledgeTitle', { title: p.title })}>
                  {t('policies.acknowledge')}
                </Button>
              ))}
          </Group>
        </Card>
      ))}
      {manage && (
        <Card withBorder component="section" aria-labelledby="policy-add">
          <Title order={2} size="h4" id="policy-add" mb="xs">
            {t('policies.add')}
          </Title>
          <form onSubmit={submit}>
            <Stack gap="xs" maw={620}>
              <Group grow>
                <Select
                  label={t('policies.kind')}
                  data={['crisis_response_plan', 'mandatory_reporting', 'reentry', 'screening_consent', 'partner_data_sharing', 'other'].map((k) => ({
                    value: k,
                    label: t(`policies.kinds.${k}`),
                  }))}
                  value={form.kind}
                  onChange={(v) => v && setForm({ ...form, kind: v })}
                  allowDeselect={false}
                />
                <TextInput label={t('policies.title')} value={form.title} onChange={(e) => setForm({ ...form, title: e.currentTarget.value })} required />
              </Group>
              <Group grow>
                <TextInput
                  label={t('policies.versionLabel')}
                  value={form.version}
                  onChange={(e) => setForm({ ...form, version: e.currentTarget.value })}
                  required
                />
                <TextInput
                  type="date"
                  label={t('policies.reviewByLabel')}
                  value={form.reviewBy}
                  onChange={(e) => setForm({ ...form, reviewBy: e.currentTarget.value })}
                  required
                />
              </Group>
              <Textarea
                label={t('policies.summary')}
                value={form.summary}
                onChange={(e) => setForm({ ...form, summary: e.currentTarget.value })}
                required
                autosize
                minRows={2}
              />
              <TextInput
                type="url"
                label={t('policies.documentUrl')}
                description={t('policies.documentUrlHelp')}
                placeholder="https://"
                value={form.documentUrl}
                onChange={(e) => setForm({ ...form, documentUrl: e.currentTarget.value })}
              />
              <Group>
                <Button type="submit">{t('policies.save')}</Button>
              </Group>
            </Stack>
          </form>
          {add.error && <Alert color="red">{add.error.message}</Alert>}
        </Card>
      )}
      {ack.error && <Alert color="red">{ack.error.message}</Alert>}
    </Stack>
  );
}
