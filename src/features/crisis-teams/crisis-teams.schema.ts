import { z } from 'zod';
import { onCallPositions, teamRoles } from './crisis-teams.tables.ts';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM, 24-hour');

export const newTeam = z.object({ schoolId: z.uuid('choose a school').nullable(), name: z.string().trim().min(1, 'name the team').max(120) });
export const newMember = z
  .object({
    userId: z.uuid().optional(),
    name: z.string().trim().min(1, 'give the member a name').max(120),
    teamRole: z.enum(teamRoles, { message: `choose one of: ${teamRoles.join(', ')}` }),
    email: z.email('enter an e-mail address').optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ().-]{7,20}$/, 'enter a phone number')
      .optional(),
  })
  .refine((m) => m.userId || m.email || m.phone, 'a member without a Haven account needs an e-mail address or a phone number');
export const newShift = z.object({
  memberId: z.uuid('choose a member'),
  position: z.enum(onCallPositions),
  weekdays: z.array(z.number().int().min(0).max(6)).min(1, 'choose at least one day').max(7),
  startsAt: time,
  endsAt: time,
});
/** A moment: a full ISO time with offset, or a local 'YYYY-MM-DDTHH:MM' read in the district's time zone. */
const moment = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/, 'use a date and time such as 2026-12-24T17:00');
export const newOverride = z.object({ memberId: z.uuid('choose a member'), position: z.enum(onCallPositions), startsAt: moment, endsAt: moment });
const waits = z
  .array(
    z
      .number()
      .int()
      .min(1, 'wait at least 1 minute')
      .max(24 * 60),
  )
  .length(4, 'give a wait for each of the 4 steps');
export const escalationSettingsInput = z.object({
  waitMinutes: z.object({ life_safety: waits, urgent: waits, routine: waits }),
  hoursStart: time,
  hoursEnd: time,
  weekdays: z.array(z.number().int().min(0).max(6)).max(7),
  /** Required: who takes suicide and threat alerts outside school hours (crisis-team members, in order). */
  afterHoursMemberIds: z
    .array(z.uuid('each after-hours on-call person must be a crisis-team member'))
    .min(1, 'name at least one after-hours on-call person: alerts about suicide or threats reach them outside school hours')
    .max(10),
});
