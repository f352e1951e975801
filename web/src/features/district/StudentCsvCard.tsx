import { Alert, Button, Card, FileInput, Group, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { guessMapping, requiredFields, type StudentField, studentFields } from '../../../../src/features/roster/csv-students.rules';
import type { StudentCsvSummary as Summary } from '../../../../src/features/roster/roster.schema';
import { api } from '../../api';

/** Students from a plain CSV: Haven guesses which column is which; the person confirms, checks, imports. */
export function StudentCsvCard() {
  const { t } = useTranslation();
  const [text, setText] = useState<string | null>(null);
  const [header, setHeader] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Partial<Record<StudentField, string | null>>>({});
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const choose = async (file: File | null) => {
    setSummary(null);
    setError(null);
    if (!file) return setText(null);
    const content = await file.text();
    const columns = (content.split(/\r?\n/, 1)[0] ?? '').split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
    setText(content);
    setHeader(columns);
    setMapping(guessMapping(columns));
  };
  const send = async (dryRun: boolean) => {
    setError(null);
    try {
      setSummary(await api<Summary>('POST', '/api/v1/roster/students-csv', { csv: text, mapping, dryRun }));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Card withBorder component="section" aria-labelledby="student-csv">
      <Title order={2} size="h3" id="student-csv" mb="xs">
        {t('studentCsv.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('studentCsv.help')}
      </Text>
      <Stack gap="sm">
        <FileInput label={t('studentCsv.file')} accept=".csv,text/csv" onChange={choose} clearable clearButtonProps={{ 'aria-label': t('app.clearFile') }} />
        {text && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {studentFields.map((field) => (
              <Select
                key={field}
                label={t(`studentCsv.fields.${field}`)}
                required={requiredFields.includes(field)}
                data={header}
                value={mapping[field] ?? null}
                onChange={(value) => setMapping({ ...mapping, [field]: value })}
                clearable
                placeholder={t('studentCsv.notInFile')}
              />
            ))}
          </SimpleGrid>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {summary && (
          <Alert role="status" title={summary.dryRun ? t('roster.dryRunDone') : t('roster.done')}>
            {t('studentCsv.summary', { created: summary.created, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected.length })}
            {summary.rejected.slice(0, 50).map((r) => (
              <Text key={r.line} size="sm">
                {t('roster.line', { line: r.line })}: {r.reason}
              </Text>
            ))}
          </Alert>
        )}
        <Group>
          <Button variant="default" onClick={() => send(true)} disabled={!text}>
            {t('roster.check')}
          </Button>
          <Button onClick={() => send(false)} disabled={!text}>
            {t('roster.import')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
