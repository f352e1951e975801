import { reviewDecisions } from '../../data/plans.values.ts';

/**
 * A support plan's history as codes and values the staff app says in the reader's language. Haven
 * stores each event as an English sentence (plan_events.summary); these rules read the sentences
 * plans.service.ts writes back into their parts. A sentence they cannot read is shown as stored.
 */
export type PlanWords = { code: string; values: Record<string, string | number> };

const day = '(\\d{4}-\\d{2}-\\d{2})';
const number = '(-?\\d+(?:\\.\\d+)?)';
const sentences: { kind: string; pattern: RegExp; read: (m: RegExpExecArray) => PlanWords | null }[] = [
  {
    kind: 'created',
    pattern: /^Tier ([123]) plan created\.$/,
    read: (m) => ({ code: 'created', values: { tier: Number(m[1]) } }),
  },
  {
    kind: 'progress',
    pattern: new RegExp(`^([\\s\\S]+): ${number} on ${day} \\(target ${number}\\)\\.$`),
    read: (m) => ({ code: 'progress', values: { measure: m[1] as string, value: Number(m[2]), on: m[3] as string, target: Number(m[4]) } }),
  },
  {
    kind: 'review',
    pattern: new RegExp(`^Review on ${day}: ([a-z ]+) \\(tier ([123]) → ([123])\\)\\. ([\\s\\S]*)$`),
    read: (m) => {
      const decision = reviewDecisions.find((d) => d === m[2]?.replaceAll(' ', '_'));
      return decision ? { code: 'review', values: { on: m[1] as string, decision, from: Number(m[3]), to: Number(m[4]), notes: m[5] as string } } : null;
    },
  },
];

/** A plan event in words, or null when its sentence is not one Haven writes. */
export function readPlanEvent(event: { kind: string; summary: string }): PlanWords | null {
  for (const sentence of sentences) {
    if (sentence.kind !== event.kind) continue;
    const match = sentence.pattern.exec(event.summary);
    const words = match ? sentence.read(match) : null;
    if (words) return words;
  }
  return null;
}
