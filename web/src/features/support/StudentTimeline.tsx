import { Anchor, Card, List, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Timeline } from '../../../../src/features/plans/plans.schema';
import { api } from '../../api';
import { useWhen } from '../../ui/dates';
import { useInstrumentNames } from '../../ui/labels';
import { planEventText } from './planWords';

/** Everything Haven knows happened with this student that the viewer may see, newest first. */
export function StudentTimeline({ studentId }: { studentId: string }) {
  const { t, i18n } = useTranslation();
  const instruments = useInstrumentNames();
  const { on } = useWhen();
  const timeline = useQuery({ queryKey: ['timeline', studentId], queryFn: () => api<Timeline>('GET', `/api/v1/students/${studentId}/timeline`), retry: false });
  if (!timeline.data) return null;
  return (
    <Card withBorder mt="lg" component="section" aria-labelledby="student-timeline">
      <Title order={2} size="h3" id="student-timeline" mb="xs">
        {t('timeline.title')}
      </Title>
      {timeline.data.length === 0 && <Text>{t('timeline.none')}</Text>}
      <List>
        {timeline.data.map((item) => (
          <List.Item key={`${item.at}-${item.kind}-${item.summary}`}>
            <Text size="sm">
              <strong>{on(item.at)}</strong> · {t(`timeline.kinds.${item.kind}`)}:{' '}
              {item.link ? (
                <Anchor component={Link} to={item.link} underline="always">
                  {planEventText(t, item, i18n.language, instruments.name)}
                </Anchor>
              ) : (
                planEventText(t, item, i18n.language, instruments.name)
              )}
            </Text>
          </List.Item>
        ))}
      </List>
    </Card>
  );
}
