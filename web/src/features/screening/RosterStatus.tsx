import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * Each status by its words, a shape and a colour (never colour alone, WCAG 1.4.1). Filled badges
 * are white on a shade of at least 4.5:1 (held 5.5, screened 6.6, code given and started 8.4,
 * absent 6.8); outlined ones are dark grey (8.2:1) on white. None of them says anything about a
 * result: a proctor sees where a student stands, never how they answered.
 */
const statusLook: Record<string, { color: string; variant: 'filled' | 'outline'; icon: string }> = {
  held: { color: '#c92a2a', variant: 'filled', icon: '!' },
  screened: { color: '#1e6b34', variant: 'filled', icon: '✓' },
  issued: { color: '#1c4f82', variant: 'filled', icon: '●' },
  started: { color: '#1c4f82', variant: 'filled', icon: '▶' },
  absent: { color: '#8a4b00', variant: 'filled', icon: '✕' },
  opted_out: { color: '#495057', variant: 'outline', icon: '⊘' },
  declined: { color: '#495057', variant: 'outline', icon: '–' },
};
const quietLook = { color: '#495057', variant: 'outline' as const, icon: '○' };

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const look = statusLook[status] ?? quietLook;
  return (
    <Badge
      color={look.color}
      variant={look.variant}
      leftSection={<span aria-hidden="true">{look.icon}</span>}
      fw={status === 'held' ? 800 : 700}
      size={status === 'held' ? 'lg' : 'md'}
    >
      {t(`screening.statuses.${status}`)}
    </Badge>
  );
}

/**
 * "Adams, Ava" as "Ava Adams": the order the live "keep the student with you" alert uses, so the
 * proctor matches the two at a glance. The roster stays sorted by family name.
 */
export const givenNameFirst = (name: string) => {
  const comma = name.lastIndexOf(', ');
  return comma < 0 ? name : `${name.slice(comma + 2)} ${name.slice(0, comma)}`;
};

/** Text without accents or case, so "Lucia" finds "Lucía". */
export const folded = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
