import type { InstrumentDefinition } from './definition.schema.ts';

/**
 * A stored result as a FHIR R4 QuestionnaireResponse, so an EHR or a state system can take it:
 * each answer as the option's coding (LOINC answer codes where the instrument has them) with its
 * ordinal value, and the total as an item of its own.
 */
export function toQuestionnaireResponse(
  def: InstrumentDefinition,
  result: { id: string; answers: Record<string, unknown>; score: number | null; administeredAt: string },
  student: { localId: string; name: string },
  baseUrl: string,
) {
  const items = def.item.flatMap((item) => {
    const value = result.answers[item.linkId];
    if (value === undefined) return [];
    const option = item.answerOption.find((o) => o.value === value);
    const answer = option
      ? [
          {
            valueCoding: option.code
              ? { system: 'http://loinc.org', code: option.code, display: option.display.en }
              : { code: String(option.value), display: option.display.en },
            ...(typeof option.value === 'number'
              ? { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/ordinalValue', valueDecimal: option.value }] }
              : {}),
          },
        ]
      : [];
    return [{ linkId: item.linkId, text: item.text.en, ...(answer.length > 0 ? { answer } : {}) }];
  });
  const total = def.scoring.scores.find((s) => s.name === def.scoring.total);
  if (result.score !== null && total) {
    items.push({
      linkId: total.name,
      text: 'Total score',
      answer: [{ valueDecimal: result.score } as never],
      ...(total.code ? { code: total.code } : {}),
    });
  }
  return {
    resourceType: 'QuestionnaireResponse',
    id: result.id,
    questionnaire: `${baseUrl}/api/v1/instruments/${def.id}|${def.version}`,
    status: 'completed',
    subject: { identifier: { system: `${baseUrl}/student-number`, value: student.localId }, display: student.name },
    authored: result.administeredAt,
    item: items,
  };
}
