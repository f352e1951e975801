import { Alert, Button, Card, Checkbox, FileInput, Group, List, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PastImport, RosterImportHistory, RosterImportSummary } from '../../../../src/features/roster/roster.schema';
import { api, upload } from '../../api';
import { ScrollTable } from '../../ui/ScrollTable';

export type Summary = RosterImportSummary;
type Counts = Summary['students'];
/** A CSV finding names a file and line; a REST sync's names the collection and record (0: the whole collection). */
type Finding = Summary['rejected'][number];
/** One row of the history: counts only; its rows come with `GET /api/v1/roster/imports/:id`. */
type Past = RosterImportHistory[number];

/** Where a finding was: "users.csv, line 3" or "users, record 3" (a sync). */
function where(t: TFunction, f: Finding) {
  if (!f.line) return f.file ?? '';
  const unit = !f.file || /\.csv$/i.test(f.file) ? t('roster.line', { line: f.line }) : t('roster.record', { line: f.line });
  return f.file ? `${f.file}, ${unit}` : unit;
}

/** Every rejected row and warning as a CSV file the person can open in a spreadsheet. */
function downloadFindings(summary: Pick<PastImport['summary'], 'rejected' | 'warnings'>, t: TFunction, name = 'roster-import-findings.csv') {
  const quote = (v: string | number) => `"${String(v).replaceAll('"', '""')}"`;
  const rows = [
    ...summary.rejected.map((f) => ({ kind: t('roster.csv.rejected'), ...f })),
    ...(summary.warnings ?? []).map((f) => ({ kind: t('roster.csv.warning'), ...f })),
  ].map((f) => [f.kind, f.file ?? '', f.line, f.field ?? '', f.reason].map(quote).join(','));
  const header = [t('roster.csv.kind'), t('roster.csv.file'), t('roster.csv.line'), t('roster.csv.field'), t('roster.csv.reason')];
  const text = [header.map(quote).join(','), ...rows].join('\r\n');
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([`\ufeff${text}`], { type: 'text/csv;charset=utf-8' }));
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** What an import or sync changed, its rejections and warnings, and their CSV; shared by the upload and the sync. */
export function RosterSummaryAlert({ summary }: { summary: Summary }) {
  const { t } = useTranslation();
  const line = (name: string, c: Counts) =>
    t('roster.counts', { name, created: c.created, updated: c.updated, unchanged: c.unchanged, deactivated: c.deactivated });
  const findings = [...summary.rejected, ...summary.warnings];
  return (
    <Alert role="status" title={summary.dryRun ? t('roster.dryRunDone') : t('roster.done')}>
      <List size="sm">
        <List.Item>{line(t('roster.students'), summary.students)}</List.Item>
        <List.Item>{line(t('roster.guardians'), summary.guardians)}</List.Item>
        <List.Item>{line(t('roster.staff'), summary.staff)}</List.Item>
        <List.Item>{line(t('roster.classes'), summary.classes)}</List.Item>
        <List.Item>{line(t('roster.enrollments'), summary.enrollments)}</List.Item>
        <List.Item>{line(t('roster.schools'), summary.schools)}</List.Item>
        <List.Item>{t('roster.rejected', { count: summary.rejected.length })}</List.Item>
        <List.Item>{t('roster.warnings', { count: summary.warnings.length })}</List.Item>
      </List>
      {findings.slice(0, 50).map((r) => (
        <Text key={`${r.file}-${r.line}-${r.field ?? ''}-${r.reason}`} size="sm" style={{ overflowWrap: 'anywhere' }}>
          {where(t, r)}
          {r.field ? `, ${r.field}` : ''}: {r.reason}
        </Text>
      ))}
      {findings.length > 0 && (
        <Button variant="light" size="xs" mt="xs" onClick={() => downloadFindings(summary, t)}>
          {t('roster.download')}
        </Button>
      )}
    </Alert>
  );
}

const sourceKeys: Record<string, string> = {
  upload: 'upload',
  'web upload': 'upload',
  'rest sync': 'restSync',
  'drop folder': 'dropFolder',
  'command line': 'commandLine',
  'student CSV': 'studentCsv',
};

/** Past imports and syncs, newest first: where each came from, what it changed or why it failed, and its rows as CSV. */
function RosterHistory({ history }: { history: Past[] }) {
  const { t, i18n } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const download = async (past: Past) => {
    setError(null);
    try {
      const full = await api<PastImport>('GET', `/api/v1/roster/imports/${past.id}`);
      downloadFindings(full.summary, t, `roster-${past.at.slice(0, 10)}-findings.csv`);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : t('errors.generic'));
    }
  };
  const changed = (h: Past) => {
    if (h.error) return t('roster.failed', { error: h.error });
    const c = h.summary.students ?? { created: h.summary.created ?? 0, updated: h.summary.updated ?? 0, unchanged: h.summary.unchanged ?? 0, deactivated: 0 };
    return t('roster.counts', { name: '', created: c.created, updated: c.updated, unchanged: c.unchanged, deactivated: c.deactivated });
  };
  return (
    <>
      {error && (
        <Alert color="red" role="alert" mt="md">
          {error}
        </Alert>
      )}
      <ScrollTable label={t('roster.history')} minWidth={640} mt="md">
        <Table>
          <Table.Caption>{t('roster.history')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('roster.when')}</Table.Th>
              <Table.Th scope="col">{t('roster.source')}</Table.Th>
              <Table.Th scope="col">{t('roster.students')}</Table.Th>
              <Table.Th scope="col">{t('roster.rejectedShort')}</Table.Th>
              <Table.Th scope="col">{t('roster.warningsShort')}</Table.Th>
              <Table.Th scope="col">{t('roster.by')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.map((h) => (
              <Table.Tr key={h.id}>
                <Table.Td>{new Date(h.at).toLocaleString(i18n.language)}</Table.Td>
                <Table.Td>{sourceKeys[h.source] ? t(`roster.sources.${sourceKeys[h.source]}`) : h.source}</Table.Td>
                <Table.Td c={h.error ? 'red.8' : undefined} style={{ overflowWrap: 'anywhere' }}>
                  {changed(h)}
                </Table.Td>
                <Table.Td>{h.rejectedCount}</Table.Td>
                <Table.Td>{h.warningCount}</Table.Td>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    <span>{h.by}</span>
                    {h.rejectedCount + h.warningCount > 0 && (
                      <Button
                        variant="subtle"
                        size="compact-xs"
                        onClick={() => download(h)}
                        aria-label={t('roster.downloadPast', { when: new Date(h.at).toLocaleString(i18n.language) })}
                      >
                        {t('roster.downloadShort')}
                      </Button>
                    )}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </>
  );
}

/** Roster import: a OneRoster export (.zip) with progress, what changed, and the past imports and syncs. */
export function RosterImportCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const history = useQuery({ queryKey: ['roster-imports'], queryFn: () => api<RosterImportHistory>('GET', '/api/v1/roster/imports') });
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(true);
  const [progress, setProgress] = useState<number | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    if (!file) return;
    setError(null);
    setSummary(null);
    setProgress(0);
    try {
      setSummary(await upload<Summary>(`/api/v1/roster/imports?dryRun=${dryRun}`, file, 'application/zip', setProgress));
      await queryClient.invalidateQueries({ queryKey: ['roster-imports'] });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setProgress(null);
    }
  };
  return (
    <Card withBorder component="section" aria-labelledby="roster-import">
      <Title order={2} size="h3" id="roster-import" mb="xs">
        {t('roster.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('roster.help')}
      </Text>
      <Stack gap="sm">
        <FileInput
          label={t('roster.file')}
          accept=".zip,application/zip"
          value={file}
          onChange={setFile}
          clearable
          clearButtonProps={{ 'aria-label': t('app.clearFile') }}
        />
        <Checkbox label={t('roster.dryRun')} checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} />
        {progress !== null && <Progress value={progress * 100} aria-label={t('screening.import.progress')} animated />}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {summary && <RosterSummaryAlert summary={summary} />}
        <Group>
          <Button onClick={send} disabled={!file || progress !== null}>
            {dryRun ? t('roster.check') : t('roster.import')}
          </Button>
        </Group>
      </Stack>
      {history.data && history.data.length > 0 && <RosterHistory history={history.data} />}
    </Card>
  );
}
