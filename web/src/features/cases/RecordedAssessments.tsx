import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { threatActions } from '../../../../src/data/cases.values';
import { requiredThreatActions, type ThreatAction } from '../../../../src/features/cases/case.rules';
import { useWhen } from '../../ui/dates';
import { actorWords } from '../../ui/labels';
import { SuicideAssessmentForm, ThreatAssessmentForm } from './CaseAssessments';
import type { CaseView } from './CasePage';
import { Fact, StateBadge } from './CaseSummary';
import type { ToolProps } from './ToolForm';

type Recorded = CaseView['records'][number];
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * A saved assessment is shown as recorded, read-only, never as a blank form that looks as if
 * nothing had been done. "Record a new version" opens the form filled from the last version (a
 * record is never edited: saving adds a version), and saving returns to the recorded view.
 */
function Versioned({
  view,
  onDone,
  kind,
  title,
  recorded,
  form,
}: ToolProps & {
  kind: string;
  title: string;
  recorded: (last: Recorded) => ReactNode;
  form: (props: ToolProps & { initial?: Record<string, unknown> }) => ReactNode;
}) {
  const { t } = useTranslation();
  const { when } = useWhen();
  const last = view.records.filter((r) => r.kind === kind).at(-1);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const formHeading = useRef<HTMLHeadingElement>(null);
  const [focus, setFocus] = useState<'recorded' | 'form' | null>(null);
  // After saving (or opening the form) focus moves to the heading of what is now shown, so a
  // screen reader is not left on a button that disappeared.
  useEffect(() => {
    if (focus === null) return;
    (focus === 'recorded' ? heading : formHeading).current?.focus();
    setFocus(null);
  }, [focus]);
  const done = async () => {
    await onDone();
    setEditing(false);
    setSaved(true);
    setFocus('recorded');
  };
  if (!last || editing)
    return (
      <Stack gap="sm">
        {last && (
          <Title order={3} size="h5" ref={formHeading} tabIndex={-1}>
            {t('caseSummary.recorded.newVersionTitle', { version: last.version + 1 })}
          </Title>
        )}
        {last && <Text size="sm">{t('caseSummary.recorded.startsFrom', { version: last.version })}</Text>}
        {form({ view, onDone: done, initial: last?.content })}
        {last && (
          <Group>
            <Button variant="default" onClick={() => setEditing(false)}>
              {t('caseSummary.recorded.cancel')}
            </Button>
          </Group>
        )}
      </Stack>
    );
  return (
    <Stack gap="sm">
      <Title order={3} size="h5" ref={heading} tabIndex={-1}>
        {title}
      </Title>
      <Text size="sm">{t('cases.lastRecorded', { version: last.version, who: actorWords(t, last.createdBy), when: when(last.createdAt) })}</Text>
      {saved && <Alert role="status">{t('cases.saved')}</Alert>}
      <dl style={{ margin: 0 }}>{recorded(last)}</dl>
      {view.status !== 'closed' && (
        <Group>
          <Button
            variant="default"
            onClick={() => {
              setSaved(false);
              setEditing(true);
              setFocus('form');
            }}
          >
            {t('caseSummary.recorded.newVersion')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** The SAFE-T as recorded: the clinician's level (and Haven's, when it differs), the factors, the inquiry, what was done. */
export function SuicideAssessmentSection(props: ToolProps) {
  const { t, i18n } = useTranslation();
  const list = (items: string[]) =>
    items.length
      ? new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(items.map((f) => t(`cases.safet.factors.${f}`)))
      : t('caseSummary.noneRecorded');
  const yesNo = (v: unknown) => t(v === true ? 'caseSummary.recorded.yes' : 'caseSummary.recorded.no');
  return (
    <Versioned
      {...props}
      kind="suicide_assessment"
      title={t('caseSummary.recorded.safet')}
      form={(p) => <SuicideAssessmentForm {...p} />}
      recorded={({ content: c }) => {
        const inquiry = (c.inquiry ?? {}) as Record<string, unknown>;
        return (
          <>
            <Fact label={t('cases.safet.level')}>
              <Text>
                <StateBadge tone={c.level === 'high' ? 'late' : c.level === 'moderate' ? 'due' : 'info'}>{t(`riskLevels.${str(c.level)}`)}</StateBadge>
              </Text>
              {c.differs === true && (
                <Text size="sm">
                  {t('caseSummary.suggested', { chosen: t(`riskLevels.${str(c.level)}`), suggested: t(`riskLevels.${str(c.suggestedLevel)}`) })}
                </Text>
              )}
            </Fact>
            {str(c.rationale) && <Fact label={t('cases.safet.rationale')}>{str(c.rationale)}</Fact>}
            <Fact label={t('cases.safet.risk')}>{list(strs(c.riskFactors))}</Fact>
            <Fact label={t('cases.safet.protective')}>{list(strs(c.protectiveFactors))}</Fact>
            <Fact label={t('cases.safet.ideation')}>{t(`cases.safet.ideationLevels.${str(inquiry.ideation) || 'none'}`)}</Fact>
            <Fact label={t('cases.safet.plan')}>{yesNo(inquiry.plan)}</Fact>
            <Fact label={t('cases.safet.behaviour')}>{t(`cases.safet.behaviourLevels.${str(inquiry.behaviour) || 'none'}`)}</Fact>
            <Fact label={t('cases.safet.intent')}>{yesNo(inquiry.intent)}</Fact>
            <Fact label={t('cases.safet.interventions')}>{str(c.interventions)}</Fact>
            {str(c.notes) && <Fact label={t('caseSummary.recorded.notes')}>{str(c.notes)}</Fact>}
          </>
        );
      }}
    />
  );
}

/** The threat assessment as recorded: classification, severity, level, what was learned and done, and what is still required. */
export function ThreatAssessmentSection(props: ToolProps) {
  const { t } = useTranslation();
  return (
    <Versioned
      {...props}
      kind="threat_assessment"
      title={t('caseSummary.recorded.threat')}
      form={(p) => <ThreatAssessmentForm view={p.view} onDone={p.onDone} />}
      recorded={({ content: c }) => {
        const actions = (c.actions ?? {}) as Record<string, unknown>;
        const substantive = c.classification === 'substantive';
        const severity = str(c.severity) === 'very_serious' ? 'very_serious' : 'serious';
        const required = substantive ? requiredThreatActions({ classification: 'substantive', severity }) : [];
        const shown = threatActions.filter((a: ThreatAction) => str(actions[a]) || required.includes(a));
        return (
          <>
            <Fact label={t('cases.threat.classification')}>
              {substantive ? t('caseSummary.substantive', { severity: t(`cases.threat.severities.${severity}`) }) : t('caseSummary.transient')}
            </Fact>
            <Fact label={t('cases.safet.level')}>{t(`riskLevels.${str(c.level) || 'low'}`)}</Fact>
            <Fact label={t('cases.threat.concern')}>{str(c.concern)}</Fact>
            <Fact label={t('cases.threat.information')}>{str(c.informationGathered)}</Fact>
            <Fact label={t('cases.threat.measures')}>{str(c.safetyMeasures)}</Fact>
            <Fact label={t('cases.threat.informed')}>{str(c.informed)}</Fact>
            {shown.map((a) => (
              <Fact key={a} label={t(`cases.threat.actionFields.${a}`)}>
                {str(actions[a]) || (
                  <Text size="sm" component="span">
                    <StateBadge tone="due">{t('caseSummary.recorded.notYet')}</StateBadge>
                    {t('cases.threat.requiredFor', { severity: t(`cases.threat.severities.${severity}`) })}
                  </Text>
                )}
              </Fact>
            ))}
          </>
        );
      }}
    />
  );
}
