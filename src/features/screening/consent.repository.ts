import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import { screeningConsents } from '../../data/screening.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { ConsentRow } from './consent.rules.ts';

const columns = {
  studentId: screeningConsents.studentId,
  kind: screeningConsents.kind,
  windowId: screeningConsents.windowId,
  schoolYear: screeningConsents.schoolYear,
  instrumentId: screeningConsents.instrumentId,
  recordedAt: screeningConsents.recordedAt,
};

/**
 * The consent rows that can speak for these students in one window (its own rows, school-year and
 * standing opt-outs), outside any window (`windowId` null: school-year and standing ones only), or
 * every row (`windowId` undefined). The rules in consent.rules.ts decide which of them count.
 */
export async function consentRowsOf(tx: Transaction, studentIds: string[], windowId?: string | null): Promise<Map<string, ConsentRow[]>> {
  const byStudent = new Map<string, ConsentRow[]>();
  if (studentIds.length === 0) return byStudent;
  const rows = await tx
    .select(columns)
    .from(screeningConsents)
    .where(
      and(
        inArray(screeningConsents.studentId, studentIds),
        windowId === undefined
          ? undefined
          : windowId
            ? or(eq(screeningConsents.windowId, windowId), isNull(screeningConsents.windowId))
            : isNull(screeningConsents.windowId),
      ),
    );
  for (const { studentId, ...row } of rows) byStudent.set(studentId, [...(byStudent.get(studentId) ?? []), row]);
  return byStudent;
}
