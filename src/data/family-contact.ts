import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { districts } from './districts.ts';
import { familyMessageKinds } from './family-contact.values.ts';
import { students } from './students.ts';
import { tenantIsolation } from './tenancy.ts';

/**
 * E-mails to a student's guardians that Haven held back because an open concern of abuse or
 * neglect names the household: a person decides whether each goes out, and why (audited).
 */
export const heldFamilyMessages = pgTable(
  'held_family_messages',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id),
    kind: text('kind', { enum: familyMessageKinds }).notNull(),
    /** The message as it would have gone: to, subject, text, attachments (an .ics invitation). */
    message: jsonb('message')
      .$type<{ to: string; subject: string; text: string; attachments?: { filename: string; content: string; contentType: string }[] }>()
      .notNull(),
    heldAt: timestamp('held_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by').references(() => users.id),
    decision: text('decision', { enum: ['sent', 'withheld'] }),
    reason: text('reason'),
  },
  (t) => [index('held_family_messages_student').on(t.districtId, t.studentId), tenantIsolation()],
);
