import { z } from 'zod';
import { inSpanish } from '../../platform/errors.text.ts';

// Requests and answers of the held-message routes. Each answer is serialized through its schema,
// so a field left out here is never sent; the web app reads the types (z.input: the wire form).

export const studentParams = z.object({ id: z.string().max(64) });
export const messageParams = z.object({ id: z.string().max(64) });

/** Send the held message now, or keep it back; the reason goes to the student's access log. */
export const decisionInput = z.object({
  send: z.boolean(),
  reason: z
    .string()
    .trim()
    .min(10, inSpanish('say why, in a sentence (at least 10 characters)', 'explique por qué en una oración (al menos 10 caracteres)', 'reason_required'))
    .max(2000),
});

const decision = z.enum(['sent', 'withheld']).nullable();

/** The messages held for a student's family, newest first, and whether new ones are still held. */
export const heldMessages = z.object({
  stillHeld: z.boolean(),
  items: z.array(
    z.object({
      id: z.string(),
      /** One of familyMessageKinds (family-contact.values.ts). */
      kind: z.string(),
      to: z.string(),
      subject: z.string(),
      text: z.string(),
      heldAt: z.string(),
      decision,
      decidedAt: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
});
export type HeldMessages = z.input<typeof heldMessages>;

export const decided = z.object({ id: z.string(), decision });
