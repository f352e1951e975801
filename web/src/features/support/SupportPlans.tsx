import { Alert, Anchor, Badge, Button, Card, Group, List, MultiSelect, NumberInput, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { reviewDecisions } from '../../../../src/data/plans.values';
import type { InterventionList, StudentPlans as Plans } from '../../../../src/features/plans/plans.schema';
import { api } from '../../api';
import { useWhen } from '../../ui/dates';
import { actorWords, dayLabel } from '../../ui/labels';
import { planEventText } from './planWords';

type Plan = Plans['plans'][number];
type Goal = Plan['goals'][number];

/** A goal's measures over time, with its target as a dashed line; the numbers are listed too. */
function GoalChart({ goal, points }: { goal: Goal; points: { measuredOn: string; value: number }[] }) {
  const { t, i18n } = useTranslation();
  if (points.length === 0) return null;
  const width = 420;
  const height = 120;
  const max = Math.max(goal.target, ...points.map((p) => p.value), goal.baseline ?? 0, 1);
  const x = (i: number) => (points.length === 1 ? width / 2 : 20 + (i / (points.length - 1)) * (width - 40));
  const y = (v: number) => height - 15 - (v / max) * (height - 30);
  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width }} role="img" aria-label={t('plans.chartLabel', { measure: goal.measure })}>
        <line x1={20} x2={width - 20} y1={y(goal.target)} y2={y(goal.target)} stroke="#2b6a2f" strokeDasharray="4 4" />
        <polyline fill="none" stroke="#1c4f82" strokeWidth={2} points={points.map((p, i) => `${x(i)},${y(p.value)}`).join(' ')} />
        {points.map((p, i) => (
          <circle key={`${p.measuredOn}-${p.value}`} cx={x(i)} cy={y(p.value)} r={4} fill="#1c4f82" />
        ))}
      </svg>
      <figcaption>
        <Text size="sm">
          {goal.measure} — {points.map((p) => `${dayLabel(p.measuredOn, i18n.language)}: ${p.value.toLocaleString(i18n.language)}`).join(' · ')} (
          {t('plans.target', { target: goal.target })})
        </Text>
      </figcaption>
    </figure>
  );
}

/** Today on this device (YYYY-MM-DD): progress and reviews record what happened, so no later day is offered. */
const today = () => new Date().toLocaleDateString('en-CA');

function PlanCard({ plan, studentId, onDone }: { plan: Plan; studentId: string; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const dates = useWhen();
  const [goalId, setGoalId] = useState<string | null>(plan.goals[0]?.id ?? null);
  const [value, setValue] = useState<number | string>('');
  const [on, setOn] = useState('');
  const [decision, setDecision] = useState<string>('continue');
  const [heldOn, setHeldOn] = useState('');
  const [notes, setNotes] = useState('');
  const progress = useMutation({
    mutationFn: () => api('POST', `/api/v1/plans/${plan.id}/progress`, { goalId, measuredOn: on, value: Number(value) }),
    onSuccess: onDone,
  });
  const review = useMutation({ mutationFn: () => api('POST', `/api/v1/plans/${plan.id}/reviews`, { heldOn, decision, notes }), onSuccess: onDone });
  const submitProgress = (e: FormEvent) => {
    e.preventDefault();
    progress.mutate();
  };
  const submitReview = (e: FormEvent) => {
    e.preventDefault();
    review.mutate();
  };
  return (
    <Card withBorder mt="sm">
      <Group justify="space-between">
        <Title order={3} size="h5">
          {t('plans.tierPlan', { tier: plan.tier })}
        </Title>
        <Group gap="xs">
          {plan.status === 'closed' && <Badge color="gray.7">{t('plans.closed')}</Badge>}
          {plan.reviewOverdue && (
            <Badge color="red.9" variant="outline">
              {t('plans.reviewOverdue')}
            </Badge>
          )}
          <Text size="sm">{t('plans.nextReviewOn', { date: dayLabel(plan.nextReviewOn, i18n.language) })}</Text>
          {plan.status !== 'closed' && (
            <Anchor component={Link} to={`/referrals/new?student=${studentId}&source=plan&sourceId=${plan.id}`} size="sm" underline="always">
              {t('referrals.referStudent')}
            </Anchor>
          )}
        </Group>
      </Group>
      <Text>{plan.concern}</Text>
      <Text size="sm" mt="xs">
        {plan.interventions.map((i) => `${i.name}${i.frequency ? ` (${i.frequency})` : ''}`).join(' · ')}
      </Text>
      {plan.goals.map((g) => (
        <div key={g.id}>
          <Text fw={600} mt="sm">
            {g.description}
          </Text>
          <GoalChart goal={g} points={plan.progress.filter((p) => p.goalId === g.id)} />
        </div>
      ))}
      {plan.status === 'active' && (
        <>
          <form onSubmit={submitProgress}>
            <Group align="flex-end" mt="sm">
              <Select
                label={t('plans.goal')}
                data={plan.goals.map((g) => ({ value: g.id, label: g.measure }))}
                value={goalId}
                onChange={setGoalId}
                allowDeselect={false}
              />
              <TextInput type="date" label={t('plans.measuredOn')} value={on} onChange={(e) => setOn(e.currentTarget.value)} max={today()} required />
              <NumberInput label={t('plans.value')} value={value} onChange={setValue} required w={110} />
              <Button type="submit" variant="default">
                {t('plans.recordProgress')}
              </Button>
            </Group>
          </form>
          <form onSubmit={submitReview}>
            <Group align="flex-end" mt="sm">
              <TextInput type="date" label={t('plans.reviewedOn')} value={heldOn} onChange={(e) => setHeldOn(e.currentTarget.value)} max={today()} required />
              <Select
                label={t('plans.decision')}
                data={reviewDecisions.map((d) => ({ value: d, label: t(`plans.decisions.${d}`) }))}
                value={decision}
                onChange={(v) => v && setDecision(v)}
                allowDeselect={false}
              />
              <TextInput label={t('plans.reviewNotes')} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} required />
              <Button type="submit" variant="default">
                {t('plans.recordReview')}
              </Button>
            </Group>
          </form>
        </>
      )}
      {(progress.error ?? review.error) && <Alert color="red">{(progress.error ?? review.error)?.message}</Alert>}
      <List size="sm" mt="sm">
        {plan.history.map((h) => (
          <List.Item key={`${h.at}-${h.kind}`}>
            {dates.on(h.at)} · {actorWords(t, h.who)}: {planEventText(t, h, i18n.language)}
          </List.Item>
        ))}
      </List>
    </Card>
  );
}

function NewPlanForm({ studentId, onDone }: { studentId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const library = useQuery({ queryKey: ['interventions'], queryFn: () => api<InterventionList>('GET', '/api/v1/interventions') });
  const [tier, setTier] = useState<string>('2');
  const [concern, setConcern] = useState('');
  const [goal, setGoal] = useState({ description: '', measure: '', target: '' });
  const [interventions, setInterventions] = useState<string[]>([]);
  const [teacherAsks, setTeacherAsks] = useState('');
  const [startDate, setStartDate] = useState('');
  const [every, setEvery] = useState<number | string>(28);
  const create = useMutation({
    mutationFn: () =>
      api('POST', `/api/v1/students/${studentId}/plans`, {
        tier: Number(tier),
        concern,
        goals: [{ description: goal.description, measure: goal.measure, baseline: null, target: Number(goal.target) }],
        interventions: interventions.map((code) => ({ code, frequency: '' })),
        teacherAsks: teacherAsks || undefined,
        startDate,
        reviewEveryDays: Number(every),
      }),
    onSuccess: onDone,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm" mt="sm" maw={560}>
        <Title order={3} size="h5">
          {t('plans.new')}
        </Title>
        <Select label={t('plans.tier')} data={['1', '2', '3']} value={tier} onChange={(v) => v && setTier(v)} allowDeselect={false} />
        <Textarea label={t('plans.concern')} value={concern} onChange={(e) => setConcern(e.currentTarget.value)} required autosize />
        <TextInput
          label={t('plans.goalDescription')}
          value={goal.description}
          onChange={(e) => setGoal({ ...goal, description: e.currentTarget.value })}
          required
        />
        <Group grow>
          <TextInput label={t('plans.measure')} value={goal.measure} onChange={(e) => setGoal({ ...goal, measure: e.currentTarget.value })} required />
          <TextInput
            label={t('plans.targetValue')}
            type="number"
            value={goal.target}
            onChange={(e) => setGoal({ ...goal, target: e.currentTarget.value })}
            required
          />
        </Group>
        <MultiSelect
          searchable
          selectFirstOptionOnChange
          label={t('plans.interventions')}
          data={(library.data ?? []).map((i) => ({ value: i.code, label: i.name }))}
          value={interventions}
          onChange={setInterventions}
          required
        />
        <Textarea
          label={t('plans.teacherAsks')}
          description={t('plans.teacherAsksHelp')}
          value={teacherAsks}
          onChange={(e) => setTeacherAsks(e.currentTarget.value)}
          autosize
        />
        <Group grow>
          <TextInput type="date" label={t('plans.startDate')} value={startDate} onChange={(e) => setStartDate(e.currentTarget.value)} required />
          <NumberInput label={t('plans.reviewEvery')} value={every} onChange={setEvery} min={7} max={180} required />
        </Group>
        {create.error && (
          <Alert color="red" role="alert">
            {create.error.message}
          </Alert>
        )}
        <Group>
          <Button type="submit">{t('plans.create')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The student's support plans, for their clinical staff: progress charts, reviews, history. */
export function SupportPlans({ studentId }: { studentId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const plans = useQuery({ queryKey: ['plans', studentId], queryFn: () => api<Plans>('GET', `/api/v1/students/${studentId}/plans`), retry: false });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['plans', studentId] });
    void queryClient.invalidateQueries({ queryKey: ['support-queue'] });
  };
  const contact = useMutation({ mutationFn: () => api('POST', `/api/v1/students/${studentId}/contacts`, {}), onSuccess: refresh });
  if (!plans.data) return null;
  const active = plans.data.plans.some((p) => p.status === 'active');
  return (
    <Card withBorder mt="lg" component="section" aria-labelledby="support-plans">
      <Group justify="space-between">
        <Title order={2} size="h3" id="support-plans">
          {t('plans.title')}
        </Title>
        <Button size="xs" variant="default" onClick={() => contact.mutate()}>
          {contact.isSuccess ? t('plans.contactRecorded') : t('plans.recordContact')}
        </Button>
      </Group>
      {plans.data.plans.length === 0 && <Text>{t('plans.none')}</Text>}
      {plans.data.plans.map((p) => (
        <PlanCard key={p.id} plan={p} studentId={studentId} onDone={refresh} />
      ))}
      {!active && <NewPlanForm studentId={studentId} onDone={refresh} />}
    </Card>
  );
}
