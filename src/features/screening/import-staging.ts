import { once } from 'node:events';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { actFor, type TenantScope } from '../../platform/db/client.ts';
import type { ScoreResult } from './scoring.rules.ts';

/**
 * How an import's rows reach `screening_results`. PostgreSQL refuses COPY into a table with
 * row-level security, so the rows are copied into a temporary table of the import's transaction
 * and moved with INSERT ... SELECT, which the tenant policy checks row by row. The database, not
 * the reading and scoring, is the slow part of a large import, so the two run side by side: while
 * one batch is copied and moved, the next is read and scored into memory. The connection still
 * runs one statement at a time, in order.
 */

/** The columns staged for each row, in the order of each COPY line; the rest are the same for the whole import. */
const stagedColumns =
  'id, student_id, school_id, instrument_id, instrument_version, answers, context, score, band, subscales, flags, actions, prorated, valid, administered_at, follow_up_due_on';

/** The temporary table an import copies into: the staged columns, no policy, dropped at the end of the transaction. */
const staging = 'screening_import_rows';
const moveStaged = `insert into screening_results (district_id, source, import_id, ${stagedColumns}) select $1, 'import', $2, ${stagedColumns} from ${staging}`;

/** One imported result as a line of COPY text, in the order of `stagedColumns`. */
export function stagedLine(row: {
  id: string;
  studentId: string;
  schoolId: string;
  result: ScoreResult;
  answers: Record<string, unknown>;
  context: Record<string, unknown>;
  administeredAt: string;
  followUpDueOn: string | null;
}): string {
  const { result } = row;
  return `${row.id}\t${row.studentId}\t${row.schoolId}\t${copyText(result.instrument)}\t${copyText(result.version)}\t${copyText(JSON.stringify(row.answers))}\t${copyText(JSON.stringify(row.context))}\t${result.score ?? '\\N'}\t${result.band === null ? '\\N' : copyText(result.band)}\t${copyText(JSON.stringify(result.subscales))}\t{${result.flags.join(',')}}\t{${result.actions.join(',')}}\t${result.prorated ? 't' : 'f'}\t${result.valid ? 't' : 'f'}\t${row.administeredAt}\t${row.followUpDueOn ?? '\\N'}\n`;
}

/**
 * Rows per batch. Large enough that each INSERT ... SELECT is one cheap statement, small enough
 * that a batch (about 250 bytes a row) stays within the session's temporary buffers (8 MB) and
 * two batches in memory are a few megabytes.
 */
const moveEvery = 25_000;

/** Opens the import's transaction acting for its district, with an empty staging table to COPY into. */
export async function beginStaging(client: PoolClient, scope: TenantScope): Promise<void> {
  await client.query('begin');
  await actFor(client, scope);
  await client.query(`create temporary table ${staging} on commit drop as select ${stagedColumns} from screening_results with no data`);
}

export type StagedCopy = {
  /** Adds COPY lines (`rows` of them); resolves when the caller may go on reading. */
  write(text: string, rows: number): Promise<void>;
  /** Copies what is left; with `move`, moves it too. Resolves when all is done, or throws the first failure. */
  finish(move: boolean): Promise<void>;
  /** Gives up: drops what is not sent yet and waits for the statement running now, so the connection is free for a ROLLBACK. Never throws. */
  abandon(): Promise<void>;
};

/**
 * Batches of COPY lines, each copied into the staging table, moved into screening_results and
 * the table emptied, on the connection's own queue (`lane`). The caller waits while a batch is
 * copied (a COPY only moves when this process gives the socket its turn, so it must not be
 * starved by scoring) and reads and scores the next batch while that one is moved. At most one
 * batch is in the database while the next is filled, so memory stays bounded and a failure
 * surfaces within a batch.
 */
export function stagedCopy(client: PoolClient, into: { districtId: string; importId: string }): StagedCopy {
  let failure: unknown;
  let abandoned = false;
  let lane: Promise<void> = Promise.resolve();
  // Held as bytes, outside the JavaScript heap: a batch waiting its turn costs the garbage collector nothing.
  let batch: Buffer[] = [];
  let staged = 0;
  const fail = (error: unknown) => {
    failure ??= error;
  };
  /** Queues the copy (and with `move`, the move) of `chunks`; resolves when the copy is done. */
  const send = (chunks: Buffer[], move: boolean) => {
    const copied = lane.then(async () => {
      if (failure === undefined && !abandoned) await copyChunks(client, chunks);
    });
    lane = copied
      .then(async () => {
        if (!move || failure !== undefined || abandoned) return;
        await client.query(moveStaged, [into.districtId, into.importId]);
        await client.query(`truncate ${staging}`);
      })
      .catch(fail);
    return copied.catch(fail);
  };
  const rethrow = () => {
    if (failure !== undefined) throw failure;
  };
  return {
    async write(text, rows) {
      rethrow();
      batch.push(Buffer.from(text));
      staged += rows;
      if (staged < moveEvery) return;
      // Waits for the batch before this one to be moved, then for this one to be copied.
      await send(batch, true);
      batch = [];
      staged = 0;
      rethrow();
    },
    async finish(move) {
      send(batch, move);
      batch = [];
      await lane;
      rethrow();
    },
    async abandon() {
      abandoned = true;
      batch = [];
      await lane;
    },
  };
}

/** One COPY of the given lines into the staging table, honouring the socket's back-pressure. */
async function copyChunks(client: PoolClient, chunks: Buffer[]): Promise<void> {
  if (chunks.length === 0) return;
  const stream = client.query(copyFrom(`copy ${staging} (${stagedColumns}) from stdin`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  done.catch(() => undefined); // awaited below; a failure while writing must not be an unhandled rejection first
  for (const chunk of chunks) {
    if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), done]);
  }
  stream.end();
  await done;
}

/** COPY text format: backslash, tab, newline and carriage return are escaped. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] as string);
}
