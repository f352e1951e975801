import { z } from 'zod';
import { dispositions, reportCategories, staffChannels, urgencies } from './crisis-reports.values.ts';

/** A report as anyone may send it (web form, app, and the same rules for SMS and e-mail). */
export const reportInput = z.object({
  description: z.string().trim().min(1, 'tell us what is happening').max(5000, 'use at most 5,000 characters'),
  about: z.string().trim().max(200, 'use at most 200 characters').optional(),
  school: z.string().trim().max(64).optional(),
  district: z.string().trim().max(40).optional(),
  category: z.enum(reportCategories, { message: `choose one of: ${reportCategories.join(', ')}` }).default('other'),
  urgency: z.enum(urgencies, { message: `choose one of: ${urgencies.join(', ')}` }).default('routine'),
  contact: z.string().trim().max(200, 'use at most 200 characters').optional(),
  language: z.enum(['en', 'es']).default('en'),
  /**
   * A concern of abuse that names someone in the student's home: messages to the guardians then
   * wait for a person to decide (family-contact).
   */
  householdConcern: z.boolean().optional(),
});
export type ReportInput = z.infer<typeof reportInput>;

export const staffReportInput = reportInput.extend({
  channel: z.enum(staffChannels, { message: `choose one of: ${staffChannels.join(', ')}` }),
  stateTipLineId: z.string().trim().max(64).optional(),
  description: z.string().trim().max(5000).default(''),
});

export const reportCreated = z.object({ id: z.string(), followUpCode: z.string() });

export const reporterMessage = z.object({ message: z.string().trim().min(1, 'write a message').max(5000, 'use at most 5,000 characters') });

export const reportAction = z.object({
  action: z.enum(['first_action', 'student_contacted', 'connected_to_help'], { message: 'choose first_action, student_contacted or connected_to_help' }),
  note: z.string().trim().max(5000).optional(),
});

export const closeReport = z.object({
  disposition: z.enum(dispositions, { message: `choose one of: ${dispositions.join(', ')}` }),
  note: z.string().trim().max(5000).optional(),
});

export const staffMessage = z.object({
  body: z.string().trim().min(1, 'write a message').max(5000),
  /** to_reporter goes to the reporter (follow-up page, SMS or e-mail); internal_note stays with the team. */
  direction: z.enum(['to_reporter', 'internal_note']),
});
