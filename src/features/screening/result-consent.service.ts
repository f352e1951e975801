import { and, arrayContains, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { districts } from '../../data/districts.ts';
import { screeningConsents, screeningNotices, screeningWindows } from '../../data/screening.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import type { ConsentRow } from './consent.rules.ts';
import { type Bilingual, resultRefusalIn } from './eligibility.rules.ts';

export type WindowOnDay = { id: string; name: string; opensOn: string; firstNoticeOn: string | null };

/**
 * The windows a result given on `day` belongs to: open that day, for the student's school and
 * grade, with this instrument; each with the day the family was first told about it (for
 * passive consent). Most days there is none.
 */
export async function windowsOnDay(
  tx: Transaction,
  student: { id: string; schoolId: string; grade: string },
  instrumentId: string,
  day: string,
): Promise<WindowOnDay[]> {
  const windows = await tx
    .select({ id: screeningWindows.id, name: screeningWindows.name, opensOn: screeningWindows.opensOn })
    .from(screeningWindows)
    .where(
      and(
        lte(screeningWindows.opensOn, day),
        gte(screeningWindows.closesOn, day),
        arrayContains(screeningWindows.schoolIds, [student.schoolId]),
        arrayContains(screeningWindows.grades, [student.grade]),
        arrayContains(screeningWindows.instrumentIds, [instrumentId]),
      ),
    );
  if (windows.length === 0) return [];
  const notices = await tx
    .select({ windowId: screeningNotices.windowId, first: sql<string>`min(${screeningNotices.sentAt})::date::text` })
    .from(screeningNotices)
    .where(
      and(
        eq(screeningNotices.studentId, student.id),
        inArray(
          screeningNotices.windowId,
          windows.map((w) => w.id),
        ),
      ),
    )
    .groupBy(screeningNotices.windowId);
  return windows.map((w) => ({ ...w, firstNoticeOn: notices.find((n) => n.windowId === w.id)?.first ?? null }));
}

type ImportStudent = { id: string; schoolId: string; grade: string; dateOfBirth: string | null };

/**
 * For an import: the same check as `resultRefusal` for each row, with the district's windows and
 * consent rows read once (and each window's notices the first time a row falls in it). The row's
 * day is the district's day of its time, which the caller works out once per distinct time. The
 * reason comes in English and Spanish, for the report in the importing person's language.
 */
export async function importConsentCheck(
  deps: Pick<Deps, 'db'>,
  district: typeof districts.$inferSelect,
): Promise<(student: ImportStudent, instrumentId: string, day: string) => Promise<Bilingual | null>> {
  // Each read is its own short transaction acting for the district (the import's own connection is busy with its COPY).
  const read = <T>(work: (tx: Transaction) => Promise<T>) => withTenant(deps.db.app, { districtId: district.id }, work);
  const windows = await read((tx) => tx.select().from(screeningWindows).where(eq(screeningWindows.districtId, district.id)));
  const consents = new Map<string, ConsentRow[]>();
  const rows = await read((tx) =>
    tx
      .select({
        studentId: screeningConsents.studentId,
        kind: screeningConsents.kind,
        windowId: screeningConsents.windowId,
        schoolYear: screeningConsents.schoolYear,
        instrumentId: screeningConsents.instrumentId,
        recordedAt: screeningConsents.recordedAt,
      })
      .from(screeningConsents)
      .where(eq(screeningConsents.districtId, district.id)),
  );
  for (const { studentId, ...row } of rows) consents.set(studentId, [...(consents.get(studentId) ?? []), row]);
  const notices = new Map<string, Map<string, string>>();
  const policy = { consent: district.screeningConsent, selfConsentAge: district.screeningSelfConsentAge, noticeDays: district.screeningNoticeDays };
  return async (student, instrumentId, day) => {
    const open = windows.filter(
      (w) =>
        w.opensOn <= day &&
        day <= w.closesOn &&
        w.schoolIds.includes(student.schoolId) &&
        w.grades.includes(student.grade) &&
        w.instrumentIds.includes(instrumentId),
    );
    for (const w of open) {
      if (notices.has(w.id)) continue;
      const first = await read((tx) =>
        tx
          .select({ studentId: screeningNotices.studentId, first: sql<string>`min(${screeningNotices.sentAt})::date::text` })
          .from(screeningNotices)
          .where(eq(screeningNotices.windowId, w.id))
          .groupBy(screeningNotices.studentId),
      );
      notices.set(w.id, new Map(first.map((n) => [n.studentId, n.first])));
    }
    return resultRefusalIn({
      student,
      day,
      instrumentId,
      policy,
      windows: open.map((w) => ({ id: w.id, name: w.name, opensOn: w.opensOn, firstNoticeOn: notices.get(w.id)?.get(student.id) ?? null })),
      consents: consents.get(student.id) ?? [],
    });
  };
}
