import { List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Matches } from '../../../../src/features/partners/partners.schema';
import { matchReasonWords } from './matchReasons';

type Ranked = Matches['ranked'][number];

/** Why a ranked service fits (✓) and where it falls short (–), in the reader's words. */
export function MatchReasonList({ match }: { match: Pick<Ranked, 'fits' | 'gaps'> }) {
  const { t, i18n } = useTranslation();
  return (
    <List size="sm">
      {match.fits
        .map((f) => matchReasonWords(t, f, i18n.language))
        .map((words) => (
          <List.Item key={words}>✓ {words}</List.Item>
        ))}
      {match.gaps
        .map((g) => matchReasonWords(t, g, i18n.language))
        .map((words) => (
          <List.Item key={words}>– {words}</List.Item>
        ))}
    </List>
  );
}
