import type pg from 'pg';
import type { Deps } from '../../platform/deps.ts';
import { counted, stage, written } from './import-staging.ts';
import type { RosterModel } from './oneroster.rules.ts';
import type { Mode } from './oneroster-files.rules.ts';

/**
 * Students, guardians and the links between them, written set-based from staging tables (see
 * import-staging.ts). A student is matched by sourcedId, else by the district's student number;
 * a row whose every field already holds the export's value is left alone, so an unchanged export
 * writes nothing. Nothing is deleted: a student a bulk file leaves out becomes inactive.
 */

type Counts = { created: number; updated: number; unchanged: number; deactivated: number };

/** Each file row once, the last one winning, as a later row would overwrite an earlier one. */
function lastOf<T extends { sourcedId: string }>(rows: T[]): T[] {
  return [...new Map(rows.map((r) => [r.sourcedId, r])).values()];
}

/** A student id per sourcedId (the table has no unique index on it, so duplicates are collapsed). */
const studentBySourced = `(select distinct on (sourced_id) id, sourced_id from students where district_id = $1 and sourced_id is not null order by sourced_id, created_at desc)`;

/**
 * Upserts the students in the caller's transaction. Optional fields (demographics, `ext_*`) change a
 * stored value only when the export carries them: each has a `null` meaning "not given".
 */
export async function applyStudents(
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
    'roster_stage_students',
    [
      'id uuid',
      'sourced_id text',
      'local_id text',
      'first_name text',
      'last_name text',
      'preferred_name text',
      'grade text',
      'school_id uuid',
      'has_birth_date boolean',
      'date_of_birth date',
      'gender text',
      'race_ethnicity text[]',
      'home_language text',
      'section_504 boolean',
      'iep boolean',
      'free_reduced_lunch boolean',
    ],
    lastOf(model.students).map((s) => [
      deps.ids.uuid(),
      s.sourcedId,
      s.localId,
      s.firstName,
      s.lastName,
      s.preferredName,
      s.grade,
      schoolIds.get(s.schoolSourcedId),
      s.dateOfBirth !== undefined,
      s.dateOfBirth,
      s.gender || null,
      s.raceEthnicity ?? null,
      s.homeLanguage || null,
      s.section504,
      s.iep,
      s.freeReducedLunch,
    ]),
  );
  // Each row and the student it is: by sourcedId first, else by student number.
  await client.query(
    `create temporary table roster_matched_students on commit drop as
     select s.*, coalesce(by_sourced.id, by_local.id) as match_id
     from roster_stage_students s
     left join ${studentBySourced} by_sourced on by_sourced.sourced_id = s.sourced_id
     left join students by_local on by_local.district_id = $1 and by_local.local_id = s.local_id`,
    [districtId],
  );
  const now = deps.clock.now();
  const updated = await written(
    client,
    `update students t set
       sourced_id = m.sourced_id, local_id = m.local_id, first_name = m.first_name, last_name = m.last_name,
       preferred_name = m.preferred_name, grade = m.grade, school_id = m.school_id, active = true,
       date_of_birth = case when m.has_birth_date then m.date_of_birth else t.date_of_birth end,
       gender = coalesce(m.gender, t.gender), race_ethnicity = coalesce(m.race_ethnicity, t.race_ethnicity),
       home_language = coalesce(m.home_language, t.home_language), section_504 = coalesce(m.section_504, t.section_504),
       iep = coalesce(m.iep, t.iep), free_reduced_lunch = coalesce(m.free_reduced_lunch, t.free_reduced_lunch),
       updated_at = $2
     from roster_matched_students m
     where t.id = m.match_id and t.district_id = $1 and (
       t.sourced_id is distinct from m.sourced_id or t.local_id is distinct from m.local_id
       or t.first_name is distinct from m.first_name or t.last_name is distinct from m.last_name
       or t.preferred_name is distinct from m.preferred_name or t.grade is distinct from m.grade
       or t.school_id is distinct from m.school_id or not t.active
       or (m.has_birth_date and t.date_of_birth is distinct from m.date_of_birth)
       or t.gender is distinct from coalesce(m.gender, t.gender)
       or t.race_ethnicity is distinct from coalesce(m.race_ethnicity, t.race_ethnicity)
       or t.home_language is distinct from coalesce(m.home_language, t.home_language)
       or t.section_504 is distinct from coalesce(m.section_504, t.section_504)
       or t.iep is distinct from coalesce(m.iep, t.iep)
       or t.free_reduced_lunch is distinct from coalesce(m.free_reduced_lunch, t.free_reduced_lunch))`,
    [districtId, now],
  );
  const { matched } = await counted<'matched'>(client, 'select count(*)::int as matched from roster_matched_students where match_id is not null');
  counts.updated += updated;
  counts.unchanged += matched - updated;
  // Defaults as the table declares them, for fields the export did not carry.
  counts.created += await written(
    client,
    `insert into students (id, district_id, sourced_id, local_id, first_name, last_name, preferred_name, grade, school_id, active,
       date_of_birth, gender, race_ethnicity, home_language, section_504, iep, free_reduced_lunch)
     select id, $1, sourced_id, local_id, first_name, last_name, preferred_name, grade, school_id, true,
       date_of_birth, coalesce(gender, 'unspecified'), coalesce(race_ethnicity, '{}'), coalesce(home_language, 'en'),
       coalesce(section_504, false), coalesce(iep, false), coalesce(free_reduced_lunch, false)
     from roster_matched_students where match_id is null`,
    [districtId],
  );
  // A bulk file is the whole roster: students it leaves out are no longer enrolled (kept, inactive).
  // A delta names the ones who left (`tobedeleted`).
  const leaving =
    usersMode === 'bulk'
      ? 'not exists (select 1 from roster_stage_students s where s.sourced_id = t.sourced_id)'
      : 't.sourced_id in (select unnest($3::text[]))';
  counts.deactivated += await written(
    client,
    `update students t set active = false, updated_at = $2 where t.district_id = $1 and t.active and t.sourced_id is not null and ${leaving}`,
    usersMode === 'bulk' ? [districtId, now] : [districtId, now, model.deleted],
  );
}

/** Upserts guardians (matched by sourcedId) and adds the student–guardian links the export names. */
export async function applyGuardians(
  deps: Deps,
  client: pg.ClientBase,
  districtId: string,
  model: RosterModel,
  summary: { guardians: Counts; links: { created: number } },
) {
  await stage(
    client,
    'roster_stage_guardians',
    ['id uuid', 'sourced_id text', 'first_name text', 'last_name text', 'email text', 'phone text'],
    lastOf(model.guardians).map((g) => [deps.ids.uuid(), g.sourcedId, g.firstName, g.lastName, g.email, g.phone]),
  );
  await client.query(
    `create temporary table roster_matched_guardians on commit drop as
     select s.*, g.id as match_id
     from roster_stage_guardians s
     left join (select distinct on (sourced_id) id, sourced_id from guardians where district_id = $1 and sourced_id is not null order by sourced_id, created_at desc) g
       on g.sourced_id = s.sourced_id`,
    [districtId],
  );
  const updated = await written(
    client,
    `update guardians t set first_name = m.first_name, last_name = m.last_name, email = m.email, phone = m.phone
     from roster_matched_guardians m
     where t.id = m.match_id and t.district_id = $1 and (t.first_name is distinct from m.first_name
       or t.last_name is distinct from m.last_name or t.email is distinct from m.email or t.phone is distinct from m.phone)`,
    [districtId],
  );
  const { matched } = await counted<'matched'>(client, 'select count(*)::int as matched from roster_matched_guardians where match_id is not null');
  summary.guardians.updated += updated;
  summary.guardians.unchanged += matched - updated;
  summary.guardians.created += await written(
    client,
    `insert into guardians (id, district_id, sourced_id, first_name, last_name, email, phone)
     select id, $1, sourced_id, first_name, last_name, email, phone from roster_matched_guardians where match_id is null`,
    [districtId],
  );
  if (model.links.length === 0) return;
  await stage(
    client,
    'roster_stage_links',
    ['student_sourced_id text', 'guardian_sourced_id text', 'relationship text'],
    model.links.map((l) => [l.studentSourcedId, l.guardianSourcedId, l.relationship]),
  );
  // Links already stored are kept as they are (their relationship and primary contact are staff's to edit).
  summary.links.created += await written(
    client,
    `insert into student_guardians (district_id, student_id, guardian_id, relationship, primary_contact)
     select $1, s.id, g.id, l.relationship, false
     from roster_stage_links l
     join ${studentBySourced} s on s.sourced_id = l.student_sourced_id
     join (select distinct on (sourced_id) id, sourced_id from guardians where district_id = $1 and sourced_id is not null order by sourced_id, created_at desc) g
       on g.sourced_id = l.guardian_sourced_id
     where not exists (select 1 from student_guardians x where x.student_id = s.id and x.guardian_id = g.id)
     on conflict do nothing`,
    [districtId],
  );
}
