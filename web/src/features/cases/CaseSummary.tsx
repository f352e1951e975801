import { Badge, Card, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseOverview } from '../../../../src/features/cases/case-summary.rules';
import { useWhen } from '../../ui/dates';
import { actorWords } from '../../ui/labels';
import type { CaseView } from './CasePage';

/** A term and its description in a definition list, stacked so it reads on a 390-pixel phone. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>
        <Text size="sm" fw={700} component="span">
          {label}
        </Text>
      </dt>
      <dd style={{ margin: '0 0 0.75rem 0', overflowWrap: 'anywhere' }}>{children}</dd>
    </>
  );
}

/** A state said in words, with colour only as a second cue (WCAG 1.4.1); the colours meet 4.5:1 on white. */
export function StateBadge({ tone, children }: { tone: 'late' | 'due' | 'done' | 'info'; children: ReactNode }) {
  const color = { late: 'red.9', due: '#8a4b00', done: '#1e6b34', info: 'blue.8' }[tone];
  return (
    <Badge component="span" color={color} variant="outline" mr={6} style={{ verticalAlign: 'middle' }}>
      {children}
    </Badge>
  );
}

/**
 * The case at a glance, read-only, at the top of the page: what someone picking the case up on a
 * phone mid-incident needs first. Every state is said in words (a screen reader reads the list as
 * term and description); the detail, and the forms, are in the sections below.
 */
export function CaseSummary({ view }: { view: CaseView }) {
  const { t, i18n } = useTranslation();
  const { when } = useWhen();
  const o = view.overview;
  const join = (items: string[]) => (items.length ? new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(items) : t('caseSummary.noneRecorded'));
  const factors = (items: string[]) => join(items.map((f) => t(`cases.safet.factors.${f}`)));
  return (
    <Card withBorder component="section" aria-labelledby="case-summary">
      <Title order={2} size="h4" id="case-summary" mb="xs">
        {t('caseSummary.title')}
      </Title>
      <dl style={{ margin: 0 }}>
        {o.closure && (
          <Fact label={t('caseSummary.closed')}>
            <Text>
              {t('caseSummary.closedLine', {
                outcome: t(`caseSummary.outcomes.${o.closure.outcome}`),
                when: when(o.closure.at),
                who: actorWords(t, o.closure.by),
              })}
            </Text>
            <Text size="sm">{o.closure.summary}</Text>
            {o.closure.cancelledTasks > 0 && <Text size="sm">{t('caseSummary.cancelledTasks', { count: o.closure.cancelledTasks })}</Text>}
          </Fact>
        )}
        <Fact label={t('caseSummary.risk')}>
          {o.risk ? (
            <>
              <Text>
                <StateBadge tone={o.risk.level === 'high' ? 'late' : o.risk.level === 'moderate' ? 'due' : 'info'}>
                  {t(`riskLevels.${o.risk.level}`)}
                </StateBadge>
                {t('caseSummary.recordedBy', { who: actorWords(t, o.risk.by), when: when(o.risk.at), version: o.risk.version })}
              </Text>
              {o.risk.differs && o.risk.suggestedLevel && (
                <Text size="sm">
                  {t('caseSummary.suggested', { chosen: t(`riskLevels.${o.risk.level}`), suggested: t(`riskLevels.${o.risk.suggestedLevel}`) })}
                  {o.risk.rationale ? ` ${t('caseSummary.because', { text: o.risk.rationale })}` : ''}
                </Text>
              )}
            </>
          ) : (
            <Text>{t('caseSummary.riskNone')}</Text>
          )}
        </Fact>
        {o.risk && (
          <>
            <Fact label={t('cases.safet.risk')}>
              <Text size="sm">{factors(o.risk.riskFactors)}</Text>
            </Fact>
            <Fact label={t('cases.safet.protective')}>
              <Text size="sm">{factors(o.risk.protectiveFactors)}</Text>
            </Fact>
          </>
        )}
        {o.threat && (
          <Fact label={t('caseSummary.threat')}>
            <Text>
              {o.threat.level && <StateBadge tone={o.threat.level === 'high' ? 'late' : 'info'}>{t(`riskLevels.${o.threat.level}`)}</StateBadge>}
              {o.threat.classification === 'substantive'
                ? t('caseSummary.substantive', { severity: t(`cases.threat.severities.${o.threat.severity ?? 'serious'}`) })
                : t('caseSummary.transient')}{' '}
              · {t('caseSummary.recordedBy', { who: actorWords(t, o.threat.by), when: when(o.threat.at), version: o.threat.version })}
            </Text>
            {o.threat.missingActions.length > 0 && (
              <Text size="sm">{t('caseSummary.threatMissing', { items: join(o.threat.missingActions.map((a) => t(`cases.threat.actions.${a}`))) })}</Text>
            )}
          </Fact>
        )}
        <Fact label={t('caseSummary.plan')}>
          <PlanLine plan={o.safetyPlan} join={join} />
        </Fact>
        <Fact label={t('caseSummary.guardian')}>
          <GuardianLine guardian={o.guardian} />
        </Fact>
        <Fact label={t('caseSummary.mandatory')}>
          <MandatoryLine report={o.mandatoryReport} />
        </Fact>
        <Fact label={t('caseSummary.checkIn')}>
          <CheckInLine checkIn={o.nextCheckIn} />
        </Fact>
      </dl>
    </Card>
  );
}

function PlanLine({ plan, join }: { plan: CaseOverview['safetyPlan']; join: (items: string[]) => string }) {
  const { t } = useTranslation();
  const { when } = useWhen();
  if (plan.status === 'none') return <Text>{t('caseSummary.planNone')}</Text>;
  return (
    <>
      <Text>
        {plan.status === 'complete' ? (
          <StateBadge tone="done">{t('caseSummary.planComplete')}</StateBadge>
        ) : (
          <StateBadge tone="due">{t('caseSummary.planIncomplete')}</StateBadge>
        )}
        {t('caseSummary.recordedBy', { who: actorWords(t, plan.by), when: when(plan.at), version: plan.version })}
      </Text>
      {plan.gaps.length > 0 && <Text size="sm">{t('caseSummary.planEmpty', { items: join(plan.gaps.map((s) => t(`cases.plan.required.${s}`))) })}</Text>}
      <Text size="sm">{t(plan.madeWithStudent ? 'caseSummary.withStudent' : 'caseSummary.notWithStudent')}</Text>
    </>
  );
}

function GuardianLine({ guardian: g }: { guardian: CaseOverview['guardian'] }) {
  const { t } = useTranslation();
  const { when } = useWhen();
  switch (g.status) {
    case 'notified':
      return (
        <Text>
          <StateBadge tone="done">{t('caseSummary.done')}</StateBadge>
          {t('caseSummary.guardianNotified', {
            name: g.guardianName,
            method: t(`cases.methods.${g.method}`),
            when: when(g.toldAt ?? g.at),
            who: actorWords(t, g.by),
          })}
        </Text>
      );
    case 'waived':
      return (
        <Text>
          <StateBadge tone="done">{t('caseSummary.waived')}</StateBadge>
          {t('caseSummary.guardianWaived', { admin: g.confirmedBy, when: g.confirmedAt ? when(g.confirmedAt) : '—', who: actorWords(t, g.by) })}
        </Text>
      );
    case 'awaiting_confirmation':
      return (
        <Text>
          <StateBadge tone="due">{t('caseSummary.waiting')}</StateBadge>
          {t('caseSummary.guardianAwaiting', { who: actorWords(t, g.by) })}
        </Text>
      );
    case 'due':
    case 'overdue':
      return (
        <Text>
          <StateBadge tone={g.status === 'overdue' ? 'late' : 'due'}>{t(g.status === 'overdue' ? 'caseSummary.overdue' : 'caseSummary.due')}</StateBadge>
          {t(g.status === 'overdue' ? 'caseSummary.guardianLate' : 'caseSummary.guardianDue', { when: when(g.deadline) })}
        </Text>
      );
    case 'required':
      return <Text>{t('caseSummary.guardianRequired')}</Text>;
    default:
      return <Text>{t('caseSummary.notRequired')}</Text>;
  }
}

function MandatoryLine({ report: m }: { report: CaseOverview['mandatoryReport'] }) {
  const { t } = useTranslation();
  const { when } = useWhen();
  if (m.status === 'recorded')
    return (
      <Text>
        <StateBadge tone="done">{t('caseSummary.done')}</StateBadge>
        {t('caseSummary.mandatoryRecorded', { who: actorWords(t, m.by), when: when(m.at) })}
        {m.agency ? ` (${t(`cases.agencies.${m.agency}`)})` : ''}
      </Text>
    );
  if (m.status === 'due' || m.status === 'overdue')
    return (
      <Text>
        <StateBadge tone={m.status === 'overdue' ? 'late' : 'due'}>{t(m.status === 'overdue' ? 'caseSummary.overdue' : 'caseSummary.dueNow')}</StateBadge>
        {t(m.status === 'overdue' ? 'caseSummary.mandatoryLate' : 'caseSummary.mandatoryDue', { when: when(m.deadline) })}
      </Text>
    );
  return <Text>{t('caseSummary.notRequired')}</Text>;
}

function CheckInLine({ checkIn: c }: { checkIn: CaseOverview['nextCheckIn'] }) {
  const { t } = useTranslation();
  const { day } = useWhen();
  if (!c) return <Text>{t('caseSummary.checkInNone')}</Text>;
  return (
    <Text>
      {c.overdue && <StateBadge tone="late">{t('caseSummary.overdue')}</StateBadge>}
      {day(c.date)}
      {c.day !== null ? ` · ${t('caseSummary.checkInDay', { day: c.day })}` : ''} · {t('caseSummary.checkInsLeft', { count: c.remaining })}
    </Text>
  );
}
