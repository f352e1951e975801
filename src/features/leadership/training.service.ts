import { and, eq, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { schools } from '../../data/districts.ts';
import { trainingAttendance, trainingSessions, trainings } from '../../data/leadership.ts';
import { CsvSyntaxError, readCsv } from '../../platform/csv-reader.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { districtTimeZone } from '../districts/index.ts';
import type { studentSessionInput, trainingInput } from './leadership.schema.ts';

/** A lapsed training is one held longer ago than its refresher interval. */
export const lapsesOn = (heldOn: string, refresherMonths: number | null) => {
  if (!refresherMonths) return null;
  const d = new Date(`${heldOn}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + refresherMonths);
  return d.toISOString().slice(0, 10);
};

export async function addTraining(deps: Deps, actor: Actor, input: z.infer<typeof trainingInput>) {
  if (!can(actor, 'leadership.manage', null)) throw notFound('Training');
  return withTenant(deps.db.app, actor, async (tx) => {
    const id = deps.ids.uuid();
    await tx
      .insert(trainings)
      .values({ id, districtId: actor.districtId, ...input, refresherMonths: input.refresherMonths ?? null, createdAt: deps.clock.now() });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'training.added',
      subjectType: 'training',
      subjectId: id,
      detail: { kind: input.kind },
    });
    return { id };
  });
}

const header = ['email', 'name', 'training', 'held_on', 'school'];

/**
 * Imports sign-in sheets: one row per attendee with `email, name, training, held_on, school`
 * (school by code, optional). Rows of the same training, day and school form one session.
 * All or nothing: any bad row rejects the file with its line, so a sheet is never half-counted.
 */
export async function importAttendance(deps: Deps, actor: Actor, body: string) {
  if (!can(actor, 'leadership.manage', null)) throw notFound('Training');
  return withTenant(deps.db.app, actor, async (tx) => {
    const known = new Map((await tx.select().from(trainings)).map((t) => [t.name.toLowerCase(), t]));
    const schoolCodes = new Map((await tx.select({ id: schools.id, code: schools.code }).from(schools)).map((s) => [s.code, s.id]));
    const errors: string[] = [];
    const rows: { line: number; email: string; name: string; trainingId: string; heldOn: string; schoolId: string | null }[] = [];
    let columns: Map<string, number> | null = null;
    try {
      for await (const record of readCsv([body])) {
        if (!columns) {
          columns = new Map(record.cells.map((c, i) => [c.trim().toLowerCase(), i]));
          const missing = header.slice(0, 4).filter((h) => !columns?.has(h));
          if (missing.length)
            throw badRequest(`The file needs the columns ${header.join(', ')} (school is optional); missing: ${missing.join(', ')}.`, {
              code: 'csv_columns_missing',
              es: `El archivo necesita las columnas ${header.join(', ')} (school es opcional); faltan: ${missing.join(', ')}.`,
            });
          continue;
        }
        const cell = (name: string) => (record.cells[columns?.get(name) ?? -1] ?? '').trim();
        const training = known.get(cell('training').toLowerCase());
        const email = cell('email').toLowerCase();
        const heldOn = cell('held_on');
        const school = cell('school');
        if (!/^[^@\s]+@[^@\s]+$/.test(email)) errors.push(`line ${record.line}: "${email}" is not an e-mail address`);
        else if (!training) errors.push(`line ${record.line}: no training is called "${cell('training')}"`);
        else if (!/^\d{4}-\d{2}-\d{2}$/.test(heldOn)) errors.push(`line ${record.line}: held_on must be a date like 2026-09-15`);
        else if (school && !schoolCodes.has(school)) errors.push(`line ${record.line}: no school has the code "${school}"`);
        else
          rows.push({
            line: record.line,
            email,
            name: cell('name'),
            trainingId: training.id,
            heldOn,
            schoolId: school ? (schoolCodes.get(school) as string) : null,
          });
      }
    } catch (error) {
      if (error instanceof CsvSyntaxError)
        throw badRequest(`The file is not valid CSV: ${error.message}.`, { code: 'csv_invalid', es: `El archivo no es un CSV válido: ${error.message}.` });
      throw error;
    }
    if (errors.length)
      throw badRequest(`Nothing was imported. ${errors.slice(0, 10).join('; ')}${errors.length > 10 ? `; and ${errors.length - 10} more` : ''}.`, {
        code: 'attendance_rows_invalid',
        es: `No se importó nada: ${errors.length} fila(s) tienen problemas. Corríjalas y vuelva a enviar el archivo; el detalle de cada fila está en "errors".`,
        errors,
      });
    if (rows.length === 0) throw badRequest('The file has no attendance rows.', { code: 'attendance_empty', es: 'El archivo no tiene filas de asistencia.' });
    const sessions = new Map<string, string>();
    let added = 0;
    for (const r of rows) {
      const key = `${r.trainingId}|${r.heldOn}|${r.schoolId}`;
      let sessionId = sessions.get(key);
      if (!sessionId) {
        const [existing] = await tx
          .select({ id: trainingSessions.id })
          .from(trainingSessions)
          .where(
            and(
              eq(trainingSessions.trainingId, r.trainingId),
              eq(trainingSessions.heldOn, r.heldOn),
              r.schoolId ? eq(trainingSessions.schoolId, r.schoolId) : isNull(trainingSessions.schoolId),
            ),
          );
        sessionId = existing?.id ?? deps.ids.uuid();
        if (!existing)
          await tx.insert(trainingSessions).values({
            id: sessionId,
            districtId: actor.districtId,
            trainingId: r.trainingId,
            schoolId: r.schoolId,
            heldOn: r.heldOn,
            createdAt: deps.clock.now(),
          });
        sessions.set(key, sessionId);
      }
      const inserted = await tx
        .insert(trainingAttendance)
        .values({ id: deps.ids.uuid(), districtId: actor.districtId, sessionId, email: r.email, name: r.name || null })
        .onConflictDoNothing()
        .returning({ id: trainingAttendance.id });
      added += inserted.length;
    }
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'training.attendance_imported',
      subjectType: 'training',
      detail: { rows: rows.length, added },
    });
    return { rows: rows.length, added, sessions: sessions.size };
  });
}

export async function addStudentSession(deps: Deps, actor: Actor, input: z.infer<typeof studentSessionInput>) {
  if (!can(actor, 'leadership.manage', null)) throw notFound('Training');
  return withTenant(deps.db.app, actor, async (tx) => {
    const [training] = await tx.select().from(trainings).where(eq(trainings.id, input.trainingId));
    if (!training) throw notFound('That training');
    if (training.audience !== 'students')
      throw badRequest('That training is for staff; record staff attendance with the sign-in sheet import.', {
        code: 'training_for_staff',
        es: 'Esa formación es para el personal; registre la asistencia del personal importando la hoja de firmas.',
      });
    const id = deps.ids.uuid();
    await tx.insert(trainingSessions).values({ id, districtId: actor.districtId, ...input, createdAt: deps.clock.now() });
    return { id };
  });
}

type SchoolTraining = {
  id: string;
  name: string;
  staff: number;
  staffTrained: number;
  team: number;
  teamTrained: number;
  studentsReached: number;
  enrollment: number;
};

/**
 * Training counts per school on `today` (a district day): school staff (administrators,
 * counselors, crisis-team staff and teachers with an account) with current reporting-tool
 * training, and members of the school's crisis team with current crisis-team training. "Current"
 * means attended within the training's refresher interval. The self-assessment reads the same
 * counts (`trainingShares`), so its two training figures are the Training tab's district totals.
 */
export async function trainingBySchool(tx: Transaction, today: string): Promise<SchoolTraining[]> {
  const current = sql`(t.refresher_months is null or s.held_on + make_interval(months => t.refresher_months) > ${today}::date)`;
  return (
    await tx.execute(sql`
      with staff as (
        select distinct sc.id as school_id, lower(u.email) as email
        from schools sc join role_grants g on g.school_id = sc.id join users u on u.id = g.user_id
        where g.role in ('school_admin', 'counselor', 'crisis_team', 'staff') and u.disabled_at is null
      ),
      team as (
        select distinct ct.school_id, lower(u.email) as email
        from crisis_team_members m join crisis_teams ct on ct.id = m.team_id join users u on u.id = m.user_id
        where ct.school_id is not null and m.active and u.disabled_at is null
      ),
      trained as (
        select distinct lower(a.email) as email, t.kind
        from training_attendance a join training_sessions s on s.id = a.session_id join trainings t on t.id = s.training_id
        where ${current}
      )
      select sc.id, sc.name,
        (select count(*) from staff where staff.school_id = sc.id)::int as staff,
        (select count(*) from staff where staff.school_id = sc.id and staff.email in (select email from trained where kind = 'reporting_tool_staff'))::int as "staffTrained",
        (select count(*) from team where team.school_id = sc.id)::int as team,
        (select count(*) from team where team.school_id = sc.id and team.email in (select email from trained where kind = 'crisis_team'))::int as "teamTrained",
        (select coalesce(sum(s.students_reached), 0) from training_sessions s join trainings t on t.id = s.training_id
          where s.school_id = sc.id and t.audience = 'students' and s.held_on > ${today}::date - 365)::int as "studentsReached",
        (select count(*) from students st where st.school_id = sc.id and st.active)::int as enrollment
      from schools sc order by sc.name`)
  ).rows as SchoolTraining[];
}

/**
 * The district's shares over every school, as the Training tab's "All schools" row shows them: a
 * person on the staff of two schools counts in each, as they do in each school's row.
 */
export function trainingShares(rows: readonly Pick<SchoolTraining, 'staff' | 'staffTrained' | 'team' | 'teamTrained'>[]) {
  const total = (key: 'staff' | 'staffTrained' | 'team' | 'teamTrained') => rows.reduce((n, r) => n + r[key], 0);
  return {
    staff: total('staff'),
    staffTrainedShare: total('staff') ? total('staffTrained') / total('staff') : null,
    crisisTeam: total('team'),
    crisisTeamTrainedShare: total('team') ? total('teamTrained') / total('team') : null,
  };
}

/**
 * Readiness per school and for the district: the share of staff with current reporting-tool
 * training, crisis team members with current crisis team training, and students reached by
 * awareness sessions this year.
 */
export async function trainingCoverage(deps: Deps, actor: Actor) {
  if (!can(actor, 'leadership.view', null)) throw notFound('Training');
  return withTenant(deps.db.app, actor, async (tx) => {
    const rows = await trainingBySchool(tx, districtDay(deps.clock.now(), await districtTimeZone(tx, actor.districtId)));
    const list = await tx.select().from(trainings).orderBy(trainings.name);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), { action: 'leadership.training_viewed', subjectType: 'dashboard' });
    return {
      trainings: list.map((t) => ({ id: t.id, name: t.name, kind: t.kind, audience: t.audience, refresherMonths: t.refresherMonths })),
      schools: rows.map((r) => ({
        school: r.name,
        staff: r.staff,
        staffTrainedShare: r.staff ? r.staffTrained / r.staff : null,
        crisisTeam: r.team,
        crisisTeamTrainedShare: r.team ? r.teamTrained / r.team : null,
        studentsReached: r.studentsReached,
        studentsReachedShare: r.enrollment ? Math.min(1, r.studentsReached / r.enrollment) : null,
      })),
      district: { ...trainingShares(rows), studentsReached: rows.reduce((n, r) => n + r.studentsReached, 0) },
    };
  });
}

/** Worker: e-mails a person once when a training they took has lapsed (their most recent session is past its refresher). */
export async function remindLapsedTraining(deps: Deps): Promise<number> {
  const due = (
    await deps.db.system.execute(sql`
    select distinct on (a.district_id, lower(a.email), t.id) a.id, a.district_id as "districtId", a.email, t.name, s.held_on::text as "heldOn", t.refresher_months as months, a.lapse_reminded_at as reminded
    from training_attendance a join training_sessions s on s.id = a.session_id join trainings t on t.id = s.training_id
    where t.refresher_months is not null
    order by a.district_id, lower(a.email), t.id, s.held_on desc`)
  ).rows as { id: string; districtId: string; email: string; name: string; heldOn: string; months: number; reminded: Date | null }[];
  const today = deps.clock.now().toISOString().slice(0, 10);
  let sent = 0;
  for (const r of due) {
    const lapse = lapsesOn(r.heldOn, r.months);
    if (!lapse || lapse > today || r.reminded) continue;
    // Marked and queued together: the reminder is sent (or listed for the administrators as failed), never dropped.
    await deps.db.system.transaction(async (tx) => {
      await tx.update(trainingAttendance).set({ lapseRemindedAt: deps.clock.now() }).where(eq(trainingAttendance.id, r.id));
      await enqueueMessage(deps, tx, {
        districtId: r.districtId,
        purpose: 'training.lapsed',
        message: {
          kind: 'email',
          to: r.email,
          subject: `Haven: your ${r.name} training needs a refresher`,
          text: `You last took ${r.name} on ${r.heldOn}; it needs a refresher every ${r.months} months.`,
        },
      });
    });
    sent += 1;
  }
  return sent;
}
