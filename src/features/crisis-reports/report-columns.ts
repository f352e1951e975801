import { getTableColumns } from 'drizzle-orm';
import { reports } from '../../data/reports.ts';

const { followUpCodeHash: _followUpCodeHash, ...readable } = getTableColumns(reports);

/**
 * The columns of a report the app role may read (migration 0027): every one but the hash of the
 * reporter's follow-up code, which a reader could brute-force. Signed-in staff read reports with
 * these; only anonymous intake by code (the maintenance role) reads the hash.
 */
export const reportColumns = readable;
export type ReadableReport = Omit<typeof reports.$inferSelect, 'followUpCodeHash'>;
