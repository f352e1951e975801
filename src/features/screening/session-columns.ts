import { getTableColumns } from 'drizzle-orm';
import { screeningSessions } from '../../data/screening.ts';

const { codeHash: _codeHash, holdTokenHash: _holdTokenHash, ...readable } = getTableColumns(screeningSessions);

/**
 * The columns of a screening sitting the app role may read (migration 0027): every one but the
 * hashes of the student's code and of the held device's token, which a reader could brute-force.
 * Only the student's own screen (the maintenance role, by code) reads them.
 */
export const sessionColumns = readable;
