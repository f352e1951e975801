import { Alert, Anchor, Button, Card, Group, List, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api';
import { Part2Notice } from './Part2Notice';
import { type ReferralRow, StatusBadge } from './ReferralsPage';

/** A student's referrals on their profile, and the way to start one. */
export function StudentReferrals({ studentId }: { studentId: string }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['referrals', 'student', studentId],
    queryFn: () => api<ReferralRow[]>('GET', `/api/v1/referrals?studentId=${studentId}`),
  });
  return (
    <Card withBorder component="section" aria-labelledby="student-referrals" mt="md">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="student-referrals">
          {t('referrals.title')}
        </Title>
        <Button component={Link} to={`/referrals/new?student=${studentId}`} size="xs">
          {t('referrals.referStudent')}
        </Button>
      </Group>
      {list.error && <Alert color="red">{list.error.message}</Alert>}
      {list.data?.length === 0 && <Text size="sm">{t('referrals.noneForStudent')}</Text>}
      {list.data?.find((r) => r.redisclosureNotice) && <Part2Notice notice={list.data.find((r) => r.redisclosureNotice)?.redisclosureNotice ?? ''} />}
      <List size="sm" spacing={4}>
        {list.data?.map((r) => (
          <List.Item key={r.id}>
            <Anchor component={Link} to={`/referrals/${r.id}`}>
              {r.organization} · {r.service}
            </Anchor>{' '}
            <StatusBadge status={r.status} />
          </List.Item>
        ))}
      </List>
    </Card>
  );
}
