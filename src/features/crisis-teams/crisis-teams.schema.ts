import { z } from 'zod';
import { onCallPositions, teamRoles } from '../../data/crisis-teams.values.ts';
import { inSpanish } from '../../platform/errors.text.ts';
import { sentMoment } from '../../platform/sent-moment.ts';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, inSpanish('use HH:MM, 24-hour', 'use HH:MM, en formato de 24 horas', 'time_format'));

export const newTeam = z.object({
  schoolId: z.uuid('choose a school').nullable(),
  name: z
    .string()
    .trim()
    .min(1, inSpanish('name the team', 'indique el nombre del equipo', 'team_name_required'))
    .max(120),
});
export const newMember = z
  .object({
    userId: z.uuid().optional(),
    name: z
      .string()
      .trim()
      .min(1, inSpanish('give the member a name', 'dé un nombre al miembro', 'member_name_required'))
      .max(120),
    teamRole: z.enum(teamRoles, {
      message: inSpanish(`choose one of: ${teamRoles.join(', ')}`, `elija una de estas opciones: ${teamRoles.join(', ')}`, 'team_role_invalid'),
    }),
    email: z.email(inSpanish('enter an e-mail address', 'escriba una dirección de correo electrónico', 'email_invalid')).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ().-]{7,20}$/, 'enter a phone number')
      .optional(),
  })
  .refine(
    (m) => m.userId || m.email || m.phone,
    inSpanish(
      'a member without a Haven account needs an e-mail address or a phone number',
      'un miembro sin cuenta en Haven necesita una dirección de correo electrónico o un número de teléfono',
      'member_contact_required',
    ),
  );
export const newShift = z.object({
  memberId: z.uuid('choose a member'),
  position: z.enum(onCallPositions),
  weekdays: z
    .array(z.number().int().min(0).max(6))
    .min(1, inSpanish('choose at least one day', 'elija al menos un día', 'day_required'))
    .max(7),
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
      .min(1, inSpanish('wait at least 1 minute', 'espere al menos 1 minuto', 'wait_too_short'))
      .max(24 * 60),
  )
  .length(4, inSpanish('give a wait for each of the 4 steps', 'indique una espera para cada uno de los 4 pasos', 'waits_per_step'));
export const escalationSettingsInput = z.object({
  waitMinutes: z.object({ life_safety: waits, urgent: waits, routine: waits }),
  hoursStart: time,
  hoursEnd: time,
  weekdays: z.array(z.number().int().min(0).max(6)).max(7),
  /** Required: who takes suicide and threat alerts outside school hours (crisis-team members, in order). */
  afterHoursMemberIds: z
    .array(z.uuid('each after-hours on-call person must be a crisis-team member'))
    .min(
      1,
      inSpanish(
        'name at least one after-hours on-call person: alerts about suicide or threats reach them outside school hours',
        'nombre al menos a una persona de guardia fuera del horario escolar: las alertas de suicidio o amenazas le llegan fuera del horario escolar',
        'after_hours_required',
      ),
    )
    .max(10),
});

// Answers. Each route serializes through its schema, so a field left out here is never sent; the
// web app reads these types (z.input: what goes on the wire, moments as ISO strings). Values read
// back from stored text are plain strings, so an answer never fails over a row written long ago.

export const teamParams = z.object({ teamId: z.string().max(100) });
export const shiftParams = z.object({ teamId: z.string().max(100), shiftId: z.string().max(100) });
export const rotaQuery = z.object({ week: z.string().max(20).optional() });

export const createdId = z.object({ id: z.string() });
export const createdShifts = z.object({ ids: z.array(z.string()) });

const member = z.object({
  id: z.string(),
  userId: z.string().nullable(),
  name: z.string(),
  teamRole: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  active: z.boolean(),
  createdAt: sentMoment,
});
const shift = z.object({
  id: z.string(),
  memberId: z.string(),
  position: z.string(),
  weekday: z.number(),
  /** Wall-clock HH:MM in the district's time zone. */
  startsAt: z.string(),
  endsAt: z.string(),
});
const override = z.object({ id: z.string(), memberId: z.string(), position: z.string(), startsAt: sentMoment, endsAt: sentMoment });

/** Teams the reader may see, with members, weekly shifts, current and future overrides and who is on call now. */
export const teamList = z.object({
  timeZone: z.string(),
  /** Who takes suicide and threat alerts outside school hours; empty is a setup gap the page shows. */
  afterHoursOnCall: z.array(z.object({ id: z.string(), name: z.string() })),
  /** Whether this Haven can text and call people; members with a phone get neither without it. */
  phoneAlerts: z.object({ texts: z.boolean(), calls: z.boolean() }),
  teams: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      schoolId: z.string().nullable(),
      schoolName: z.string().nullable(),
      canManage: z.boolean(),
      members: z.array(member),
      shifts: z.array(shift),
      overrides: z.array(override),
      onCallNow: z.object({ primary: z.string().nullable(), secondary: z.string().nullable() }),
    }),
  ),
});
export type TeamList = z.input<typeof teamList>;

const cover = z.object({ memberId: z.string(), override: z.boolean(), active: z.boolean() }).nullable();

/** A week of cover, cut into days and segments in the district's time zone (rota.rules.ts). */
export const teamRotaView = z.object({
  team: z.object({ id: z.string(), name: z.string() }),
  timeZone: z.string(),
  today: z.string(),
  weekStart: z.string(),
  previousWeek: z.string(),
  nextWeek: z.string(),
  members: z.array(z.object({ id: z.string(), name: z.string(), active: z.boolean() })),
  days: z.array(
    z.object({
      date: z.string(),
      weekday: z.number(),
      segments: z.array(z.object({ from: z.string(), to: z.string(), primary: cover, secondary: cover, gap: z.boolean() })),
    }),
  ),
  gaps: z.number(),
});
export type TeamRota = z.input<typeof teamRotaView>;

export const escalationSettingsView = z.object({
  waitMinutes: z.object({ life_safety: z.array(z.number()), urgent: z.array(z.number()), routine: z.array(z.number()) }),
  hoursStart: z.string(),
  hoursEnd: z.string(),
  weekdays: z.array(z.number()),
  afterHoursMemberIds: z.array(z.string()),
});
export type EscalationSettings = z.input<typeof escalationSettingsView>;

/** Nothing to send: the change is made (204, no body). */
export const noContent = z.undefined().describe('Done; nothing to send');
