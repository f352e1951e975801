import { Alert, Badge, Button, Card, Group, Loader, SegmentedControl, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccessLogView as AccessLog } from '../../../../src/features/students/students.schema';
import { api } from '../../api';
import { useSession } from '../../session';
import { actorWords } from '../../ui/labels';

const logLanguage = (language: string): 'en' | 'es' => (language.startsWith('es') ? 'es' : 'en');

/**
 * A family's copy of the access log (FERPA 34 CFR 99.10, 99.32): a period and a language, then a
 * CSV or a printable page. The server writes the words, in the district's time zone, and records
 * that the copy was prepared; these are plain links, so they work as downloads and new tabs.
 */
function FamilyCopy({ studentId }: { studentId: string }) {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [lang, setLang] = useState<'en' | 'es'>(logLanguage(i18n.language));
  const backwards = from !== '' && to !== '' && from > to;
  const href = (format: 'csv' | 'html') => {
    const query = new URLSearchParams({ format, lang });
    if (from) query.set('from', from);
    if (to) query.set('to', to);
    return `/api/v1/students/${encodeURIComponent(studentId)}/access-log/export?${query}`;
  };
  return (
    <Card withBorder component="section" aria-labelledby="family-copy-heading" mb="md">
      <Title order={2} size="h3" id="family-copy-heading">
        {t('profile.familyCopy.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('profile.familyCopy.help')}
      </Text>
      <Group align="flex-end" gap="md" wrap="wrap">
        <TextInput
          type="date"
          label={t('profile.familyCopy.from')}
          description={t('profile.familyCopy.fromHelp')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('profile.familyCopy.to')}
          description={t('profile.familyCopy.toHelp')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          error={backwards ? t('profile.familyCopy.backwards') : undefined}
        />
        <div>
          <Text size="sm" fw={500} id="family-copy-language" mb={4}>
            {t('profile.familyCopy.language')}
          </Text>
          <SegmentedControl
            aria-labelledby="family-copy-language"
            value={lang}
            onChange={(value) => setLang(value as 'en' | 'es')}
            data={[
              { value: 'en', label: 'English' },
              { value: 'es', label: 'Español' },
            ]}
          />
        </div>
      </Group>
      <Group mt="md">
        {backwards ? (
          <>
            <Button disabled>{t('profile.familyCopy.print')}</Button>
            <Button variant="default" disabled>
              {t('profile.familyCopy.csv')}
            </Button>
          </>
        ) : (
          <>
            <Button component="a" href={href('html')} target="_blank" rel="noopener">
              {t('profile.familyCopy.print')}
            </Button>
            <Button component="a" variant="default" href={href('csv')} download>
              {t('profile.familyCopy.csv')}
            </Button>
          </>
        )}
      </Group>
      <Text size="xs" c="dimmed" mt="xs">
        {t('profile.familyCopy.recorded')}
      </Text>
    </Card>
  );
}

/**
 * A student's access log in words (who, in what role; what; to whom, for disclosures; why), for
 * administrators; and the family's copy for everyone who may prepare it (counselors too).
 */
export function AccessLogPanel({ studentId, canRead, canExport }: { studentId: string; canRead: boolean; canExport: boolean }) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const lang = logLanguage(i18n.language);
  const log = useQuery({
    queryKey: ['student', studentId, 'access-log', lang],
    queryFn: () => api<AccessLog>('GET', `/api/v1/students/${encodeURIComponent(studentId)}/access-log?lang=${lang}`),
    enabled: canRead,
  });
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short', timeZone: me?.district?.timeZone });
  return (
    <>
      <Text mb="sm">{t('profile.accessLogHelp')}</Text>
      {canExport && <FamilyCopy studentId={studentId} />}
      {canRead && log.isLoading && <Loader aria-label={t('app.loading')} />}
      {canRead && log.error && (
        <Alert color="red" role="alert">
          {log.error.message}
        </Alert>
      )}
      {log.data && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped>
            <Table.Caption className="visually-hidden">{t('profile.accessLog')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('profile.when')}</Table.Th>
                <Table.Th scope="col">{t('profile.kind')}</Table.Th>
                <Table.Th scope="col">{t('profile.who')}</Table.Th>
                <Table.Th scope="col">{t('profile.toWhom')}</Table.Th>
                <Table.Th scope="col">{t('profile.what')}</Table.Th>
                <Table.Th scope="col">{t('profile.why')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {log.data.entries.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{when(e.at)}</Table.Td>
                  <Table.Td>
                    {e.kind === 'disclosure' ? (
                      <Badge color="orange" variant="light">
                        {t(`profile.kinds.${e.kind}`)}
                      </Badge>
                    ) : (
                      t(`profile.kinds.${e.kind}`)
                    )}
                  </Table.Td>
                  <Table.Td>{actorWords(t, e.who)}</Table.Td>
                  <Table.Td>{e.whom ?? '—'}</Table.Td>
                  <Table.Td>
                    {e.what}
                    {e.withheldFromFamily && (
                      <Badge ml="xs" color="gray" variant="outline" title={t('profile.withheldHelp')}>
                        {t('profile.withheld')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{e.why}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {!canRead && (
        <Text size="sm" c="dimmed">
          {t('profile.familyCopy.onlyAdmins')}
        </Text>
      )}
    </>
  );
}
