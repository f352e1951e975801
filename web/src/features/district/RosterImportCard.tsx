import { Alert, Button, Card, Checkbox, FileInput, Group, List, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, upload } from '../../api';
import { ScrollTable } from '../../ui/ScrollTable';

type Counts = { created: number; updated: number; unchanged: number; deactivated: number };
type Summary = {
  version: string;
  dryRun: boolean;
  schools: Counts;
  students: Counts;
  guardians: Counts;
  staff: Counts;
  /** Absent from imports made before classes were stored. */
  classes?: Counts;
  enrollments?: Counts;
  links: { created: number };
  rejected: Finding[];
  /** Absent from imports made before warnings were kept. */
  warnings?: Finding[];
};
type Finding = { file: string; line: number; field?: string; reason: string };

/** Every rejected row and warning as a CSV file the person can open in a spreadsheet. */
function downloadFindings(
  summary: Summary,
  words: { kind: string; rejected: string; warning: string; file: string; line: string; field: string; reason: string },
) {
  const quote = (v: string | number) => `"${String(v).replaceAll('"', '""')}"`;
  const rows = [...summary.rejected.map((f) => ({ kind: words.rejected, ...f })), ...(summary.warnings ?? []).map((f) => ({ kind: words.warning, ...f }))].map(
    (f) => [f.kind, f.file, f.line, f.field ?? '', f.reason].map(quote).join(','),
  );
  const text = [[words.kind, words.file, words.line, words.field, words.reason].map(quote).join(','), ...rows].join('\r\n');
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([`\ufeff${text}`], { type: 'text/csv;charset=utf-8' }));
  link.download = 'roster-import-findings.csv';
  link.click();
  URL.revokeObjectURL(link.href);
}
type Past = { id: string; at: string; source: string; format: string; by: string; summary: Summary };

/** Roster import: a OneRoster export (.zip) with progress, what changed, and the past imports. */
export function RosterImportCard() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const history = useQuery({ queryKey: ['roster-imports'], queryFn: () => api<Past[]>('GET', '/api/v1/roster/imports') });
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
  const line = (name: string, c: Counts) =>
    t('roster.counts', { name, created: c.created, updated: c.updated, unchanged: c.unchanged, deactivated: c.deactivated });
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
        {summary && (
          <Alert role="status" title={summary.dryRun ? t('roster.dryRunDone') : t('roster.done')}>
            <List size="sm">
              <List.Item>{line(t('roster.students'), summary.students)}</List.Item>
              <List.Item>{line(t('roster.guardians'), summary.guardians)}</List.Item>
              <List.Item>{line(t('roster.staff'), summary.staff)}</List.Item>
              {summary.classes && <List.Item>{line(t('roster.classes'), summary.classes)}</List.Item>}
              {summary.enrollments && <List.Item>{line(t('roster.enrollments'), summary.enrollments)}</List.Item>}
              <List.Item>{line(t('roster.schools'), summary.schools)}</List.Item>
              <List.Item>{t('roster.rejected', { count: summary.rejected.length })}</List.Item>
              <List.Item>{t('roster.warnings', { count: summary.warnings?.length ?? 0 })}</List.Item>
            </List>
            {[...summary.rejected, ...(summary.warnings ?? [])].slice(0, 50).map((r) => (
              <Text key={`${r.file}-${r.line}-${r.field ?? ''}-${r.reason}`} size="sm">
                {r.file}, {t('roster.line', { line: r.line })}
                {r.field ? `, ${r.field}` : ''}: {r.reason}
              </Text>
            ))}
            {summary.rejected.length + (summary.warnings?.length ?? 0) > 0 && (
              <Button
                variant="light"
                size="xs"
                mt="xs"
                onClick={() =>
                  downloadFindings(summary, {
                    kind: t('roster.csv.kind'),
                    rejected: t('roster.csv.rejected'),
                    warning: t('roster.csv.warning'),
                    file: t('roster.csv.file'),
                    line: t('roster.csv.line'),
                    field: t('roster.csv.field'),
                    reason: t('roster.csv.reason'),
                  })
                }
              >
                {t('roster.download')}
              </Button>
            )}
          </Alert>
        )}
        <Group>
          <Button onClick={send} disabled={!file || progress !== null}>
            {dryRun ? t('roster.check') : t('roster.import')}
          </Button>
        </Group>
      </Stack>
      {history.data && history.data.length > 0 && (
        <ScrollTable label={t('roster.history')} minWidth={520} mt="md">
          <Table>
            <Table.Caption>{t('roster.history')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('roster.when')}</Table.Th>
                <Table.Th scope="col">{t('roster.students')}</Table.Th>
                <Table.Th scope="col">{t('roster.rejectedShort')}</Table.Th>
                <Table.Th scope="col">{t('roster.by')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.data.map((h) => (
                <Table.Tr key={h.id}>
                  <Table.Td>{new Date(h.at).toLocaleString(i18n.language)}</Table.Td>
                  <Table.Td>{line('', h.summary.students)}</Table.Td>
                  <Table.Td>{h.summary.rejected.length}</Table.Td>
                  <Table.Td>{h.by}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Card>
  );
}
