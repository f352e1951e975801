import { Button, Card, Group, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';

export type Mark = 'consent_received' | 'consent_refused' | 'absent';
type Marked = { mark: Mark; marked: string[]; skipped: { studentId: string; reason: 'held' | 'started' | 'screened' | 'declined' | 'already' }[] };

/**
 * One action for several students: the consent forms handed in, the refusals, who is absent.
 * Each change is recorded (and audited) for its student; a mark that does not apply to a student
 * (absent while screened, consent already given) is left out and said so, by name.
 */
export function useMarks(windowId: string, nameOf: (studentId: string) => string, onDone: () => void) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (input: { studentIds: string[]; mark: Mark }) => api<Marked>('POST', `/api/v1/screening/windows/${windowId}/marks`, input),
    onSuccess: (result) => {
      const skipped = result.skipped.map((s) => t(`screening.proctoring.skipped.${s.reason}`, { name: nameOf(s.studentId) }));
      setOutcome(
        [
          t('screening.proctoring.marked', { count: result.marked.length }),
          skipped.length > 0 ? t('screening.proctoring.notMarked', { list: skipped.join('; ') }) : '',
        ]
          .filter(Boolean)
          .join(' '),
      );
      onDone();
    },
    onError: () => setOutcome(null),
  });
  return { mutation, outcome, clear: () => setOutcome(null) };
}

/** The bar above the roster while students are selected. */
export function BulkBar({ count, pending, onMark, onClear }: { count: number; pending: Mark | null; onMark: (mark: Mark) => void; onClear: () => void }) {
  const { t } = useTranslation();
  if (count === 0) return null;
  const button = (mark: Mark, label: string) => (
    <Button size="xs" variant={mark === 'absent' ? 'default' : 'filled'} onClick={() => onMark(mark)} loading={pending === mark} className="wrap-button">
      {label}
    </Button>
  );
  return (
    <Card withBorder mb="sm" p="xs" component="section" aria-label={t('screening.proctoring.marksFor')}>
      <Text size="sm" fw={700} mb={6} role="status">
        {t('screening.proctoring.selected', { count })}
      </Text>
      <Group gap="xs">
        {button('consent_received', t('screening.proctoring.markConsent'))}
        {button('consent_refused', t('screening.proctoring.markRefused'))}
        {button('absent', t('screening.proctoring.markAbsent'))}
        <Button size="xs" variant="subtle" color="dark" onClick={onClear}>
          {t('screening.proctoring.clearSelection')}
        </Button>
      </Group>
    </Card>
  );
}
