import { Alert, Checkbox, Group, List, Radio, Stack, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  behaviourLevels,
  ideationLevels,
  protectiveFactors,
  riskFactors,
  riskLevels,
  threatActions,
  threatSeverities,
} from '../../../../src/data/cases.values';
import { requiredThreatActions, type ThreatAction } from '../../../../src/features/cases/case.rules';
import { suggestRiskLevel } from '../../../../src/features/cases/safet.rules';
import { ToolForm, type ToolProps } from './ToolForm';

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const texts = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * SAFE-T: Haven's suggestion updates as the clinician fills the form; the clinician decides. A new
 * version starts from `initial` (the last version's content), so a reassessment changes what
 * changed instead of retyping everything under time pressure.
 */
export function SuicideAssessmentForm({ view, onDone, initial = {} }: ToolProps & { initial?: Record<string, unknown> | undefined }) {
  const { t } = useTranslation();
  const asked = (initial.inquiry ?? {}) as Record<string, unknown>;
  const [risks, setRisks] = useState<string[]>(() => texts(initial.riskFactors));
  const [protective, setProtective] = useState<string[]>(() => texts(initial.protectiveFactors));
  const [ideation, setIdeation] = useState<string>(text(asked.ideation) || 'none');
  const [plan, setPlan] = useState(asked.plan === true);
  const [behaviour, setBehaviour] = useState<string>(text(asked.behaviour) || 'none');
  const [intent, setIntent] = useState(asked.intent === true);
  const [level, setLevel] = useState<string>(text(initial.level));
  const [rationale, setRationale] = useState(text(initial.rationale));
  const [interventions, setInterventions] = useState(text(initial.interventions));
  const inquiry = { ideation, plan, behaviour, intent } as Parameters<typeof suggestRiskLevel>[0]['inquiry'];
  const suggestion = suggestRiskLevel({ riskFactors: risks as never, protectiveFactors: protective as never, inquiry });
  return (
    <ToolForm
      view={view}
      onDone={onDone}
      path="suicide-assessments"
      submit={t('cases.recordAssessment')}
      body={() => ({ riskFactors: risks, protectiveFactors: protective, inquiry, level, rationale: rationale || undefined, interventions })}
    >
      <Checkbox.Group label={t('cases.safet.risk')} value={risks} onChange={setRisks}>
        <Stack gap={4} mt={4}>
          {riskFactors.map((f) => (
            <Checkbox key={f} value={f} label={t(`cases.safet.factors.${f}`)} />
          ))}
        </Stack>
      </Checkbox.Group>
      <Checkbox.Group label={t('cases.safet.protective')} value={protective} onChange={setProtective}>
        <Stack gap={4} mt={4}>
          {protectiveFactors.map((f) => (
            <Checkbox key={f} value={f} label={t(`cases.safet.factors.${f}`)} />
          ))}
        </Stack>
      </Checkbox.Group>
      <Radio.Group label={t('cases.safet.ideation')} value={ideation} onChange={setIdeation}>
        <Group mt={4}>
          {ideationLevels.map((v) => (
            <Radio key={v} value={v} label={t(`cases.safet.ideationLevels.${v}`)} />
          ))}
        </Group>
      </Radio.Group>
      <Checkbox label={t('cases.safet.plan')} checked={plan} onChange={(e) => setPlan(e.currentTarget.checked)} />
      <Radio.Group label={t('cases.safet.behaviour')} value={behaviour} onChange={setBehaviour}>
        <Group mt={4}>
          {behaviourLevels.map((v) => (
            <Radio key={v} value={v} label={t(`cases.safet.behaviourLevels.${v}`)} />
          ))}
        </Group>
      </Radio.Group>
      <Checkbox label={t('cases.safet.intent')} checked={intent} onChange={(e) => setIntent(e.currentTarget.checked)} />
      <Alert variant="outline" color="blue.8" title={t('cases.safet.suggests', { level: t(`riskLevels.${suggestion.level}`) })} aria-live="polite">
        <List size="sm">
          {suggestion.reasons.map((r) => (
            <List.Item key={r.code}>
              {r.code === 'risk_factors' ? t('cases.safet.reasons.risk_factors', r.values) : t(`cases.safet.reasons.${r.code}`)}
            </List.Item>
          ))}
        </List>
      </Alert>
      <Radio.Group label={t('cases.safet.level')} value={level} onChange={setLevel} required>
        <Group mt={4}>
          {riskLevels.map((v) => (
            <Radio key={v} value={v} label={t(`riskLevels.${v}`)} />
          ))}
        </Group>
      </Radio.Group>
      {level && level !== suggestion.level && (
        <Textarea label={t('cases.safet.rationale')} value={rationale} onChange={(e) => setRationale(e.currentTarget.value)} required autosize minRows={2} />
      )}
      <Textarea
        label={t('cases.safet.interventions')}
        value={interventions}
        onChange={(e) => setInterventions(e.currentTarget.value)}
        required
        autosize
        minRows={2}
      />
    </ToolForm>
  );
}

type ThreatForm = {
  concern: string;
  informationGathered: string;
  classification: string;
  severity: string;
  level: string;
  safetyMeasures: string;
  informed: string;
  actions: Record<ThreatAction, string>;
};

/**
 * A threat assessment (CSTAG, Cornell 2018). A substantive threat is serious or very serious, and
 * each severity names the actions the case cannot close without; a new version starts from the
 * last one, so actions are added as they happen.
 */
export function ThreatAssessmentForm({ view, onDone }: ToolProps) {
  const { t } = useTranslation();
  const [f, setF] = useState<ThreatForm>(() => {
    const last = view.records.filter((r) => r.kind === 'threat_assessment').at(-1)?.content ?? {};
    const actions = (last.actions ?? {}) as Record<string, unknown>;
    return {
      concern: text(last.concern),
      informationGathered: text(last.informationGathered),
      classification: text(last.classification) || 'transient',
      severity: text(last.severity) || 'serious',
      level: text(last.level) || 'low',
      safetyMeasures: text(last.safetyMeasures),
      informed: text(last.informed),
      actions: Object.fromEntries(threatActions.map((a) => [a, text(actions[a])])) as Record<ThreatAction, string>,
    };
  });
  const field = (key: 'concern' | 'informationGathered' | 'safetyMeasures' | 'informed') => ({
    value: f[key],
    onChange: (e: { currentTarget: { value: string } }) => setF({ ...f, [key]: e.currentTarget.value }),
  });
  const substantive = f.classification === 'substantive';
  const required = substantive
    ? requiredThreatActions({ classification: 'substantive', severity: f.severity === 'very_serious' ? 'very_serious' : 'serious' })
    : [];
  const body = () => ({
    ...f,
    severity: substantive ? f.severity : undefined,
    actions: Object.fromEntries(Object.entries(f.actions).filter(([, v]) => v.trim() !== '')),
  });
  return (
    <ToolForm view={view} onDone={onDone} path="threat-assessments" submit={t('cases.recordAssessment')} body={body}>
      <Textarea label={t('cases.threat.concern')} required autosize {...field('concern')} />
      <Textarea label={t('cases.threat.information')} required autosize {...field('informationGathered')} />
      <Radio.Group label={t('cases.threat.classification')} value={f.classification} onChange={(v) => setF({ ...f, classification: v })}>
        <Group mt={4}>
          <Radio value="transient" label={t('cases.threat.transient')} />
          <Radio value="substantive" label={t('cases.threat.substantive')} />
        </Group>
      </Radio.Group>
      {substantive && (
        <Radio.Group label={t('cases.threat.severity')} value={f.severity} onChange={(v) => setF({ ...f, severity: v })} required>
          <Group mt={4}>
            {threatSeverities.map((v) => (
              <Radio key={v} value={v} label={t(`cases.threat.severityLabels.${v}`)} />
            ))}
          </Group>
        </Radio.Group>
      )}
      <Radio.Group label={t('cases.safet.level')} value={f.level} onChange={(v) => setF({ ...f, level: v })}>
        <Group mt={4}>
          {riskLevels.map((v) => (
            <Radio key={v} value={v} label={t(`riskLevels.${v}`)} />
          ))}
        </Group>
      </Radio.Group>
      <Textarea label={t('cases.threat.measures')} required autosize {...field('safetyMeasures')} />
      <TextInput label={t('cases.threat.informed')} required {...field('informed')} />
      {substantive &&
        threatActions.map((a) => (
          <Textarea
            key={a}
            label={t(`cases.threat.actionFields.${a}`)}
            description={required.includes(a) ? t('cases.threat.requiredFor', { severity: t(`cases.threat.severities.${f.severity}`) }) : undefined}
            value={f.actions[a]}
            onChange={(e) => setF({ ...f, actions: { ...f.actions, [a]: e.currentTarget.value } })}
            autosize
          />
        ))}
    </ToolForm>
  );
}
