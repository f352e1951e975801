import { Button, Card, Group, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MarksDone as Marked } from '../../../../src/features/screening/screening.schema';
import { api } from '../../api';

export type Mark = Marked['mark'];

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

/**
 * The bar under the roster while students are selected. It sticks to the bottom of the screen, so
 * on a phone it stays in reach however far down the list the proctor has ticked; at the end of the
 * list it rests in place, below the last student, so it never hides one for good. While it shows,
 * the page keeps a focused control clear of it (scroll-padding), so a keyboard never lands under it.
 */
export function BulkBar({ count, pending, onMark, onClear }: { count: number; pending: Mark | null; onMark: (mark: Mark) => void; onClear: () => void }) {
  const { t } = useTranslation();
  const bar = useRef<HTMLElement>(null);
  const shown = count > 0;
  useLayoutEffect(() => {
    const root = document.documentElement;
    if (!shown || !bar.current) return;
    const keepClear = () => {
      root.style.scrollPaddingBottom = `${(bar.current?.offsetHeight ?? 0) + 8}px`;
    };
    keepClear();
    const observer = new ResizeObserver(keepClear);
    observer.observe(bar.current);
    return () => {
      observer.disconnect();
      root.style.scrollPaddingBottom = '';
    };
  }, [shown]);
  if (!shown) return null;
  const button = (mark: Mark, label: string) => (
    <Button size="xs" variant={mark === 'absent' ? 'default' : 'filled'} onClick={() => onMark(mark)} loading={pending === mark} className="wrap-button">
      {label}
    </Button>
  );
  return (
    <Card
      ref={bar}
      withBorder
      shadow="sm"
      mt="sm"
      p="xs"
      component="section"
      aria-label={t('screening.proctoring.marksFor')}
      style={{ position: 'sticky', bottom: 0, zIndex: 2 }}
    >
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
