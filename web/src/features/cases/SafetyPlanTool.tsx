import { Alert, Anchor, Button, Checkbox, Group, List, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { safetyPlanGaps } from '../../../../src/features/cases/case.rules';
import { api } from '../../api';
import { lines, ToolForm, type ToolProps } from './ToolForm';

const planSections = ['warningSigns', 'copingStrategies', 'distractions', 'peopleToAsk', 'professionals', 'environmentSafety'] as const;

/**
 * Stanley-Brown's six sections and the line "the one thing most important to me", made with the
 * student; each save is a new version with a print view. The latest version counts for the
 * high-risk gate only when its required sections have content, so the page names the empty ones.
 */
export function SafetyPlanTool({ view, onDone }: ToolProps) {
  const { t } = useTranslation();
  const versions = view.records.filter((r) => r.kind === 'safety_plan');
  const last = versions.at(-1)?.content as Record<string, string[] | string> | undefined;
  const gaps = last ? safetyPlanGaps(last) : [];
  const [language, setLanguage] = useState<string>((last?.language as string) ?? (view.students[0]?.homeLanguage === 'es' ? 'es' : 'en'));
  const [withStudent, setWithStudent] = useState(false);
  const [text, setText] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      planSections.map((s) => {
        const value = last?.[s];
        return [s, Array.isArray(value) ? value.join('\n') : ''];
      }),
    ),
  );
  const [reasonForLiving, setReasonForLiving] = useState(typeof last?.reasonForLiving === 'string' ? last.reasonForLiving : '');
  const [shareName, setShareName] = useState('');
  const share = useMutation({
    mutationFn: (version: number) => api('POST', `/api/v1/cases/${view.id}/safety-plans/${version}/share`, { guardianName: shareName, method: 'in_person' }),
    onSuccess: onDone,
  });
  return (
    <Stack>
      {versions.map((v) => (
        <Group key={v.id} gap="xs">
          <Text size="sm">{t('cases.plan.version', { version: v.version })}</Text>
          <Anchor href={`/api/v1/cases/${view.id}/safety-plans/${v.version}/print?lang=en`} target="_blank" size="sm">
            {t('cases.plan.printEn')}
          </Anchor>
          <Anchor href={`/api/v1/cases/${view.id}/safety-plans/${v.version}/print?lang=es`} target="_blank" size="sm" lang="es">
            {t('cases.plan.printEs')}
          </Anchor>
          <TextInput
            size="xs"
            aria-label={t('cases.plan.sharedWith')}
            placeholder={t('cases.plan.sharedWith')}
            value={shareName}
            onChange={(e) => setShareName(e.currentTarget.value)}
          />
          <Button size="compact-xs" variant="default" onClick={() => share.mutate(v.version)} disabled={!shareName.trim()}>
            {t('cases.plan.share')}
          </Button>
        </Group>
      ))}
      {gaps.length > 0 && (
        <Alert variant="outline" color="#8a4b00" title={t('cases.plan.incomplete')}>
          <Text size="sm">{t('cases.plan.stillEmpty')}</Text>
          <List size="sm">
            {gaps.map((s) => (
              <List.Item key={s}>{t(`cases.plan.sections.${s}`, { step: planSections.indexOf(s) + 1 })}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <ToolForm
        view={view}
        onDone={onDone}
        path="safety-plans"
        submit={t('cases.plan.save')}
        body={() => ({
          language,
          madeWithStudent: withStudent,
          ...Object.fromEntries(planSections.map((s) => [s, lines(text[s] ?? '')])),
          reasonForLiving: reasonForLiving.trim() || undefined,
        })}
      >
        <Select
          label={t('cases.plan.language')}
          data={[
            { value: 'en', label: 'English' },
            { value: 'es', label: 'Español' },
          ]}
          value={language}
          onChange={(v) => v && setLanguage(v)}
          allowDeselect={false}
        />
        {planSections.map((s, i) => (
          <Textarea
            key={s}
            label={t(`cases.plan.sections.${s}`, { step: i + 1 })}
            description={i === 4 ? t('cases.plan.crisisLines') : t('cases.plan.onePerLine')}
            value={text[s] ?? ''}
            onChange={(e) => setText({ ...text, [s]: e.currentTarget.value })}
            autosize
            minRows={2}
          />
        ))}
        <TextInput
          label={t('cases.plan.reasonForLiving')}
          description={t('cases.plan.reasonForLivingHelp')}
          value={reasonForLiving}
          onChange={(e) => setReasonForLiving(e.currentTarget.value)}
          maxLength={500}
        />
        <Checkbox label={t('cases.plan.withStudent')} checked={withStudent} onChange={(e) => setWithStudent(e.currentTarget.checked)} />
      </ToolForm>
    </Stack>
  );
}
