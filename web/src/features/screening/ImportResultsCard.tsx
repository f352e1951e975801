import { Alert, Anchor, Button, Card, Checkbox, FileInput, Group, Progress, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultImportSummary as Summary } from '../../../../src/features/screening/screening.schema';
import { upload } from '../../api';

const csvCell = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** Results from another survey tool: upload with progress, then what was imported and what was not (by line). */
export function ImportResultsCard({ instruments }: { instruments: { id: string; label: string }[] }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [instrument, setInstrument] = useState<string | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    if (!file) return;
    setSummary(null);
    setError(null);
    setProgress(0);
    const query = new URLSearchParams({ skipInvalid: String(skipInvalid), ...(instrument ? { instrument } : {}) });
    try {
      setSummary(await upload<Summary>(`/api/v1/screening/imports?${query}`, file, 'text/csv', setProgress));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setProgress(null);
    }
  };
  // The server writes each problem in the reader's language; the BOM lets a spreadsheet read its accents as UTF-8.
  const report =
    summary && summary.errors.length > 0
      ? `\uFEFF${t('screening.import.reportColumns')}\n${summary.errors.map((e) => `${e.line},${csvCell(e.message)}`).join('\n')}\n`
      : null;
  return (
    <Card withBorder mt="xl" component="section" aria-labelledby="import-results">
      <Title order={2} size="h3" id="import-results" mb="xs">
        {t('screening.import.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('screening.import.help')}
      </Text>
      <Text size="sm" mb="sm">
        {t('screening.import.consentHelp')}
      </Text>
      <Stack gap="sm" maw={560}>
        <FileInput
          label={t('screening.import.file')}
          accept=".csv,text/csv"
          value={file}
          onChange={setFile}
          clearable
          clearButtonProps={{ 'aria-label': t('app.clearFile') }}
        />
        <Select
          label={t('screening.import.instrument')}
          data={instruments.map((i) => ({ value: i.id, label: i.label }))}
          value={instrument}
          onChange={setInstrument}
          clearable
          placeholder={t('screening.import.fromColumn')}
        />
        <Checkbox label={t('screening.import.skipInvalid')} checked={skipInvalid} onChange={(e) => setSkipInvalid(e.currentTarget.checked)} />
        {progress !== null && <Progress value={progress * 100} aria-label={t('screening.import.progress')} animated />}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {summary && (
          <Alert
            color={summary.committed ? 'green' : 'red'}
            role="status"
            title={summary.committed ? t('screening.import.done') : t('screening.import.nothing')}
          >
            {t('screening.import.summary', { rows: summary.rows, imported: summary.imported, rejected: summary.rejected, alerts: summary.alerts })}
            {summary.noConsent > 0 && <Text mt="xs">{t('screening.import.noConsent', { count: summary.noConsent })}</Text>}
            {summary.keptForSafety > 0 && <Text mt="xs">{t('screening.import.keptForSafety', { count: summary.keptForSafety })}</Text>}
            {report && (
              <Text mt="xs">
                <Anchor href={`data:text/csv;charset=utf-8,${encodeURIComponent(report)}`} download="screening-import-errors.csv">
                  {t('screening.import.errorReport')}
                </Anchor>
              </Text>
            )}
          </Alert>
        )}
        <Group>
          <Button onClick={send} disabled={!file || progress !== null}>
            {t('screening.import.send')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
