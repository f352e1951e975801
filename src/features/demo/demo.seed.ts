import { count } from 'drizzle-orm';
import { districts } from '../../data/districts.ts';
import { partnerOrganizations } from '../../data/partners.ts';
import { guardians, type raceEthnicityCodes, studentGuardians, students } from '../../data/students.ts';
import type { Deps } from '../../platform/deps.ts';
import { addUser } from '../accounts/index.ts';
import { addChannelForDistrict } from '../crisis-reports/index.ts';
import { addDistrict, addSchool } from '../districts/index.ts';
import { type DemoPerson, seedDemoCare } from './demo.care.ts';
import { demoTeacherClass, seedDemoClasses } from './demo.classes.ts';
import { seedDemoCrisisTeams } from './demo.crisis.ts';
import { demoAccounts, demoChannels, demoPartnerName, demoSchools, languageGroups } from './demo.data.ts';
import { seedDemoFunding, seedDemoReadiness, seedDemoStaffing } from './demo.leadership.ts';
import { seedDemoPartners } from './demo.partners.ts';
import { seedDemoReports } from './demo.reports.ts';
import { seedDemoScreening } from './demo.screening.ts';

/** A small seeded generator (mulberry32): the same seed gives the same district every time. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const chance = (p: number) => next() < p;
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((Number.parseInt(hex[16] as string, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
  return { next, pick, chance, uuid };
}

export async function databaseIsEmpty(deps: Pick<Deps, 'db'>): Promise<boolean> {
  const [row] = await deps.db.system.select({ n: count() }).from(districts);
  return (row?.n ?? 0) === 0;
}

/**
 * Seeds the fictional district `demo`: three schools, about 1,500 students with believable
 * grades, home languages and equity attributes, their guardians, one account per role, homerooms
 * from a roster, and a day's work under way for each role. The ids of its records come from a
 * seeded generator of their own (the students' draws stay as they were; the audit trail keeps its
 * own ids), so two runs give the same ids and names: a link or a walk-through written against the
 * demo keeps working.
 */
export async function seedDemoDistrict(unseeded: Deps, password: string) {
  const random = seededRandom(20261128);
  // Its reports are routed as they are filed (whatever HAVEN_WORKER says): the seed acknowledges
  // and closes some of them next, and no worker may be running yet.
  const deps: Deps = { ...unseeded, ids: { uuid: seededRandom(20261129).uuid }, settings: { ...unseeded.settings, routeInline: true } };
  const district = await addDistrict(deps, { slug: 'demo', name: 'Demo Valley School District', timeZone: 'America/Denver', mfaRequired: false });
  const schoolIds = new Map<string, string>();
  for (const school of demoSchools) {
    const created = await addSchool(deps, district.id, { code: school.code, name: school.name, level: school.level });
    schoolIds.set(school.code, created.id);
  }
  for (const kind of ['sms', 'email'] as const)
    await addChannelForDistrict(deps, district.id, kind, demoChannels[kind], { userId: null, label: 'system: demo seed' });
  const partnerId = random.uuid();
  await deps.db.system.insert(partnerOrganizations).values({ id: partnerId, districtId: district.id, name: demoPartnerName });
  const people = new Map<string, DemoPerson>();
  for (const account of demoAccounts) {
    const schoolId = account.school ? (schoolIds.get(account.school) ?? null) : null;
    const added = await addUser(deps, {
      districtId: district.id,
      email: account.email,
      role: account.role,
      displayName: account.displayName,
      schoolCode: account.school ?? undefined,
      partnerOrganizationId: account.role === 'partner' ? partnerId : undefined,
      password,
    });
    people.set(account.email, { userId: added.userId, email: account.email, displayName: account.displayName, role: account.role, schoolId });
  }

  const studentRows: (typeof students.$inferInsert)[] = [];
  const guardianRows: (typeof guardians.$inferInsert)[] = [];
  const linkRows: (typeof studentGuardians.$inferInsert)[] = [];
  let localNumber = 100_000;
  for (const school of demoSchools) {
    for (let i = 0; i < school.students; i++) {
      const group = pickLanguage(random.next());
      const lastName = random.pick(group.last);
      const grade = school.grades[i % school.grades.length] as (typeof school.grades)[number];
      const gradeNumber = grade === 'K' ? 0 : Number(grade);
      const birthYear = 2026 - 6 - gradeNumber + (random.chance(0.3) ? 0 : 1) - 1;
      const nonEnglish = group.language !== 'en';
      const race: (typeof raceEthnicityCodes)[number][] =
        group.language === 'es'
          ? ['hispanic_latino']
          : group.language === 'vi' || group.language === 'zh' || group.language === 'ne'
            ? ['asian']
            : group.language === 'so'
              ? ['black_african_american']
              : group.language === 'ar' || group.language === 'ru'
                ? ['white']
                : pickRace(random.next());
      const id = random.uuid();
      studentRows.push({
        id,
        districtId: district.id,
        schoolId: schoolIds.get(school.code) as string,
        localId: String(localNumber++),
        firstName: random.pick(group.first),
        lastName,
        grade,
        dateOfBirth: `${birthYear}-${String(1 + Math.floor(random.next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random.next() * 28)).padStart(2, '0')}`,
        homeLanguage: group.language,
        interpreterNeeded: nonEnglish && random.chance(0.45),
        englishLearner: nonEnglish && random.chance(0.55),
        iep: random.chance(0.14),
        section504: random.chance(0.035),
        freeReducedLunch: random.chance(nonEnglish ? 0.7 : 0.38),
        homeless: random.chance(0.02),
        fosterCare: random.chance(0.005),
        raceEthnicity: race,
        gender: random.chance(0.015) ? 'nonbinary' : random.chance(0.5) ? 'female' : 'male',
      });
      const guardianCount = random.chance(0.65) ? 2 : 1;
      for (let g = 0; g < guardianCount; g++) {
        const guardianId = random.uuid();
        const first = random.pick(group.first);
        guardianRows.push({
          id: guardianId,
          districtId: district.id,
          firstName: first,
          lastName,
          phone: `303-555-${String(Math.floor(random.next() * 10_000)).padStart(4, '0')}`,
          email: random.chance(0.8)
            ? `${first
                .normalize('NFD')
                .replace(/[^a-zA-Z]/g, '')
                .toLowerCase()}.${localNumber}@example.org`
            : null,
          preferredLanguage: nonEnglish && random.chance(0.7) ? group.language : 'en',
        });
        linkRows.push({
          districtId: district.id,
          studentId: id,
          guardianId,
          relationship: random.chance(0.9) ? (g === 0 ? 'mother' : 'father') : random.pick(['grandparent', 'guardian', 'foster_parent', 'relative'] as const),
          primaryContact: g === 0,
        });
      }
    }
  }
  let classes = new Map<string, { id: string; studentIds: string[] }>();
  await deps.db.system.transaction(async (tx) => {
    for (let i = 0; i < studentRows.length; i += 500) await tx.insert(students).values(studentRows.slice(i, i + 500));
    for (let i = 0; i < guardianRows.length; i += 500) await tx.insert(guardians).values(guardianRows.slice(i, i + 500));
    for (let i = 0; i < linkRows.length; i += 500) await tx.insert(studentGuardians).values(linkRows.slice(i, i + 500));
    await seedDemoCrisisTeams(deps, tx, district.id, schoolIds.get('lincoln-ms') as string);
    const lincolnId = schoolIds.get('lincoln-ms') as string;
    const codeOf = new Map([...schoolIds].map(([code, id]) => [id, code]));
    classes = await seedDemoClasses(
      deps,
      tx,
      district.id,
      schoolIds,
      studentRows.map((s) => ({ id: s.id as string, schoolCode: codeOf.get(s.schoolId) as string, grade: s.grade })),
    );
    const teacher = people.get('teacher@demo.haven.test') as DemoPerson;
    const homeroom = classes.get(demoTeacherClass) as { id: string };
    await seedDemoScreening(deps, tx, { districtId: district.id, lincolnId, proctor: { userId: teacher.userId, classId: homeroom.id } }, random);
    await seedDemoPartners(
      deps,
      tx,
      { districtId: district.id, partnerId, lincolnId },
      studentRows.filter((s) => s.schoolId === lincolnId),
      random,
    );
    await seedDemoStaffing(deps, tx, district.id, schoolIds, random);
    await seedDemoFunding(deps, tx, district.id, random);
    await seedDemoReadiness(deps, tx, district.id, schoolIds, random);
    await deps.audit.append(
      tx,
      district.id,
      { userId: null, label: 'system: demo seed' },
      {
        action: 'roster.seeded',
        subjectType: 'district',
        subjectId: district.id,
        detail: { students: studentRows.length, guardians: guardianRows.length },
      },
    );
  });
  // After the commit: the case and plans go through the services, which see only committed rows.
  const studentsOf = (sourcedId: string) =>
    (classes.get(sourcedId)?.studentIds ?? []).map((id) => {
      const s = studentRows.find((row) => row.id === id) as (typeof studentRows)[number];
      return { id, firstName: s.firstName, lastName: s.lastName };
    });
  const guardianNames = new Map(guardianRows.map((g) => [g.id, `${g.firstName} ${g.lastName}`]));
  await seedDemoCare(deps, {
    districtId: district.id,
    people,
    homeroom7a: studentsOf(demoTeacherClass),
    homeroom8a: studentsOf('demo-class-lincoln-8a'),
    guardianOf: (studentId) => {
      const link = linkRows.find((l) => l.studentId === studentId && l.primaryContact);
      const name = link && guardianNames.get(link.guardianId);
      return link && name ? { name, relationship: link.relationship ?? 'guardian' } : undefined;
    },
  });
  await seedDemoReports(deps, { districtId: district.id, people });
  return { district, students: studentRows.length, guardians: guardianRows.length };
}

function pickLanguage(r: number) {
  let acc = 0;
  for (const group of languageGroups) {
    acc += group.share;
    if (r < acc) return group;
  }
  return languageGroups[0];
}

function pickRace(r: number): (typeof raceEthnicityCodes)[number][] {
  if (r < 0.72) return ['white'];
  if (r < 0.82) return ['black_african_american'];
  if (r < 0.86) return ['american_indian_alaska_native'];
  if (r < 0.87) return ['native_hawaiian_pacific_islander'];
  if (r < 0.9) return ['asian'];
  return ['white', 'black_african_american'];
}
