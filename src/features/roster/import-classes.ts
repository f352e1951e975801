import type pg from 'pg';
import type { Deps } from '../../platform/deps.ts';
import { counted, stage, written } from './import-staging.ts';
import type { RosterModel } from './oneroster.rules.ts';
import type { Mode } from './oneroster-files.rules.ts';

/**
 * Roster staff, classes and class enrollments, written set-based from staging tables (see
 * import-staging.ts), each matched by sourcedId. Rows already holding the export's values are not
 * written; a bulk file deactivates what it leaves out, `tobedeleted` deactivates; nothing is deleted.
 */

type Counts = { created: number; updated: number; unchanged: number; deactivated: number };

function lastOf<T extends { sourcedId: string }>(rows: T[]): T[] {
  return [...new Map(rows.map((r) => [r.sourcedId, r])).values()];
}

/**
 * Staff: those a bulk users file leaves out, or a delta marks `tobedeleted`, have left (kept,
 * inactive); their Haven accounts follow (accounts/roster-accounts.service.ts).
 */
export async function applyStaff(
  deps: Deps,
  client: pg.ClientBase,
  districtId: string,
  model: RosterModel,
  schoolIds: Map<string, string>,
  usersMode: Mode,
  counts: Counts,
) {
  await stage(
    client,
    'roster_stage_staff',
    ['id uuid', 'sourced_id text', 'given_name text', 'family_name text', 'email text', 'roster_role text', 'school_id uuid', 'offered_role text'],
    lastOf(model.staff).map((p) => [
      deps.ids.uuid(),
      p.sourcedId,
      p.givenName,
      p.familyName,
      p.email,
      p.rosterRole,
      p.schoolSourcedId ? (schoolIds.get(p.schoolSourcedId) ?? null) : null,
      p.offeredRole,
    ]),
  );
  const leaving =
    usersMode === 'bulk' ? 'not exists (select 1 from roster_stage_staff s where s.sourced_id = t.sourced_id)' : 't.sourced_id in (select unnest($2::text[]))';
  counts.deactivated += await written(
    client,
    `update roster_staff t set active = false where t.district_id = $1 and t.active and ${leaving}`,
    usersMode === 'bulk' ? [districtId] : [districtId, model.deleted],
  );
  const { matched } = await counted<'matched'>(
    client,
    'select count(*)::int as matched from roster_stage_staff s join roster_staff t on t.district_id = $1 and t.sourced_id = s.sourced_id',
    [districtId],
  );
  const updated = await written(
    client,
    `update roster_staff t set given_name = s.given_name, family_name = s.family_name, email = s.email, roster_role = s.roster_role,
       school_id = s.school_id, offered_role = s.offered_role, active = true
     from roster_stage_staff s
     where t.district_id = $1 and t.sourced_id = s.sourced_id and (t.given_name is distinct from s.given_name
       or t.family_name is distinct from s.family_name or t.email is distinct from s.email or t.roster_role is distinct from s.roster_role
       or t.school_id is distinct from s.school_id or t.offered_role is distinct from s.offered_role or not t.active)`,
    [districtId],
  );
  counts.updated += updated;
  counts.unchanged += matched - updated;
  counts.created += await written(
    client,
    `insert into roster_staff (id, district_id, sourced_id, given_name, family_name, email, roster_role, school_id, offered_role, active)
     select id, $1, sourced_id, given_name, family_name, email, roster_role, school_id, offered_role, true
     from roster_stage_staff s where not exists (select 1 from roster_staff t where t.district_id = $1 and t.sourced_id = s.sourced_id)`,
    [districtId],
  );
}

/**
 * Classes from `classes.csv`, and a class known only by its sourcedId for every active enrollment
 * that names a class the export does not describe (no `classes.csv`, or a delta); its title is the
 * sourcedId until a `classes.csv` names it. `schoolIds`: every school of the district by sourcedId.
 */
export async function applyClasses(
  deps: Deps,
  client: pg.ClientBase,
  districtId: string,
  model: RosterModel,
  schoolIds: Map<string, string>,
  mode: Mode,
  counts: Counts,
) {
  const described = lastOf(model.classes);
  const named = new Set(described.map((c) => c.sourcedId));
  const placeholders = new Map<string, RosterModel['enrollments'][number]>();
  for (const e of model.enrollments) if (e.active && !named.has(e.classSourcedId) && !placeholders.has(e.classSourcedId)) placeholders.set(e.classSourcedId, e);
  const schoolOf = (sourcedId: string | null) => (sourcedId ? (schoolIds.get(sourcedId) ?? null) : null);
  await stage(
    client,
    'roster_stage_classes',
    ['id uuid', 'sourced_id text', 'title text', 'school_id uuid', 'active boolean', 'described boolean'],
    [
      ...described.map((c) => [deps.ids.uuid(), c.sourcedId, c.title, schoolOf(c.schoolSourcedId), c.active, true]),
      ...[...placeholders.values()].map((e) => [deps.ids.uuid(), e.classSourcedId, e.classSourcedId, schoolOf(e.schoolSourcedId), true, false]),
    ],
  );
  // Counted before the update: a class the file ends (`tobedeleted`) is deactivated, not updated.
  const changes = await counted<'ended' | 'changed' | 'same'>(
    client,
    `select count(*) filter (where c.changed and t.active and not s.active)::int as ended,
            count(*) filter (where c.changed and not (t.active and not s.active))::int as changed,
            count(*) filter (where not c.changed)::int as same
     from roster_stage_classes s join classes t on t.district_id = $1 and t.sourced_id = s.sourced_id,
     lateral (select t.title is distinct from s.title or t.school_id is distinct from s.school_id or t.active is distinct from s.active as changed) c
     where s.described`,
    [districtId],
  );
  await client.query(
    `update classes t set title = s.title, school_id = s.school_id, active = s.active
     from roster_stage_classes s
     where s.described and t.district_id = $1 and t.sourced_id = s.sourced_id
       and (t.title is distinct from s.title or t.school_id is distinct from s.school_id or t.active is distinct from s.active)`,
    [districtId],
  );
  counts.deactivated += changes.ended;
  counts.updated += changes.changed;
  counts.unchanged += changes.same;
  // A bulk classes.csv is every class: the ones it leaves out have ended (kept, inactive).
  if (mode === 'bulk')
    counts.deactivated += await written(
      client,
      `update classes t set active = false where t.district_id = $1 and t.active
         and not exists (select 1 from roster_stage_classes s where s.described and s.sourced_id = t.sourced_id)`,
      [districtId],
    );
  counts.created += await written(
    client,
    `insert into classes (id, district_id, sourced_id, title, school_id, active)
     select id, $1, sourced_id, title, school_id, active from roster_stage_classes s
     where not exists (select 1 from classes t where t.district_id = $1 and t.sourced_id = s.sourced_id)`,
    [districtId],
  );
}

/**
 * Student and teacher enrollments, matched by sourcedId: a student by the student's sourcedId, a
 * teacher by the roster staff row (a Haven user through its e-mail, `teachesStudent`). A bulk
 * enrollments.csv deactivates the enrollments it leaves out; `tobedeleted` deactivates.
 */
export async function applyEnrollments(
  deps: Deps,
  client: pg.ClientBase,
  districtId: string,
  model: RosterModel,
  mode: Mode,
  counts: Counts & { unmatched: number },
) {
  if (mode === 'absent') return;
  await stage(
    client,
    'roster_stage_enrollments',
    ['id uuid', 'sourced_id text', 'class_sourced_id text', 'user_sourced_id text', 'role text', 'active boolean'],
    lastOf(model.enrollments).map((e) => [deps.ids.uuid(), e.sourcedId, e.classSourcedId, e.userSourcedId, e.role, e.active]),
  );
  await client.query(
    `create temporary table roster_matched_enrollments on commit drop as
     select e.id, e.sourced_id, e.role, e.active, c.id as class_id,
       case when e.role = 'student' then st.id end as student_id, case when e.role = 'teacher' then rs.id end as roster_staff_id,
       x.id as match_id, x.active as was_active, x.class_id as was_class_id, x.role as was_role,
       x.student_id as was_student_id, x.roster_staff_id as was_roster_staff_id
     from roster_stage_enrollments e
     left join classes c on c.district_id = $1 and c.sourced_id = e.class_sourced_id
     left join (select distinct on (sourced_id) id, sourced_id from students where district_id = $1 and sourced_id is not null order by sourced_id, created_at desc) st
       on e.role = 'student' and st.sourced_id = e.user_sourced_id
     left join roster_staff rs on e.role = 'teacher' and rs.district_id = $1 and rs.sourced_id = e.user_sourced_id
     left join class_enrollments x on x.district_id = $1 and x.sourced_id = e.sourced_id`,
    [districtId],
  );
  const found = await counted<'unmatched' | 'matched'>(
    client,
    `select count(*) filter (where class_id is null or (student_id is null and roster_staff_id is null))::int as unmatched,
            count(*) filter (where match_id is not null and class_id is not null and (student_id is not null or roster_staff_id is not null))::int as matched
     from roster_matched_enrollments where active`,
  );
  counts.unmatched += found.unmatched;
  counts.deactivated += await written(
    client,
    `update class_enrollments t set active = false from roster_matched_enrollments m
     where t.id = m.match_id and t.district_id = $1 and not m.active and m.was_active`,
    [districtId],
  );
  const updated = await written(
    client,
    `update class_enrollments t set class_id = m.class_id, role = m.role, student_id = m.student_id, roster_staff_id = m.roster_staff_id, active = true
     from roster_matched_enrollments m
     where t.id = m.match_id and t.district_id = $1 and m.active and m.class_id is not null
       and (m.student_id is not null or m.roster_staff_id is not null)
       and (m.was_class_id is distinct from m.class_id or m.was_role is distinct from m.role or m.was_student_id is distinct from m.student_id
         or m.was_roster_staff_id is distinct from m.roster_staff_id or not m.was_active)`,
    [districtId],
  );
  counts.updated += updated;
  counts.unchanged += found.matched - updated;
  counts.created += await written(
    client,
    `insert into class_enrollments (id, district_id, sourced_id, class_id, role, student_id, roster_staff_id, active)
     select id, $1, sourced_id, class_id, role, student_id, roster_staff_id, true from roster_matched_enrollments
     where match_id is null and active and class_id is not null and (student_id is not null or roster_staff_id is not null)`,
    [districtId],
  );
  if (mode === 'bulk')
    counts.deactivated += await written(
      client,
      `update class_enrollments t set active = false where t.district_id = $1 and t.active
         and not exists (select 1 from roster_stage_enrollments s where s.sourced_id = t.sourced_id)`,
      [districtId],
    );
}
