import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { districts } from '../../data/districts.ts';
import { screeningResults } from '../../data/screening.ts';
import { alertFlags } from '../../data/screening.values.ts';
import { students } from '../../data/students.ts';
import { CsvSyntaxError, readCsv } from '../../platform/csv-reader.ts';
import { actFor, type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { districtDay } from '../../platform/time-zone.ts';
import type { InstrumentDefinition } from './definition.schema.ts';
import { addSchoolDays } from './eligibility.rules.ts';
import { readHeader, readRow } from './import.rules.ts';
import { type ImportLanguage, importText } from './import.text.ts';
import { instrumentsFor } from './instruments.service.ts';
import { importConsentCheck } from './result-consent.service.ts';
import { alertUrgencyOf, raiseScreeningAlert } from './results.service.ts';

export type ImportSummary = {
  importId: string;
  rows: number;
  imported: number;
  rejected: number;
  alerts: number;
  committed: boolean;
  /** Rows stored although the file was refused or they could not be scored, because they show risk. */
  keptForSafety: number;
  /** Risk rows already stored by an earlier try of the same file (not stored twice). */
  alreadyStored: number;
  /**
   * Rows refused for consent: the family opted out of the window the row falls in (or of the
   * school year), or under active consent had not consented to it. A row that shows suicide risk
   * is stored and alerted all the same (and counted in `keptForSafety`), decision 20.
   */
  noConsent: number;
  errors: { line: number; message: string }[];
};

export type ImportOptions = {
  instrument?: string | undefined;
  skipInvalid: boolean;
  by: { userId: string | null; label: string };
  onProgress?: (rows: number) => void;
  /** The language the report's problems are written in: the importing person's (English by default). */
  language?: ImportLanguage;
};

const maxReportedErrors = 10_000;
const copyColumns =
  'id, district_id, student_id, school_id, instrument_id, instrument_version, source, answers, context, score, band, subscales, flags, actions, prorated, valid, administered_at, follow_up_due_on, import_id';

/**
 * Imports screening results from another tool's CSV. Every row is validated and scored by the
 * same engine; the file is written with COPY in one transaction, so it is all or nothing unless
 * `skipInvalid` is set (then only valid rows are written and the rest reported by line). Every
 * risk flag raises its alert after commit; a crash in between is caught by the worker's sweep.
 * Each row checks consent as a screen would (the window it falls in, or a school-year opt-out);
 * a row without consent is refused by line, unless it shows suicide risk (then it is kept).
 *
 * It runs on the app connection acting for `districtId`, like any request (decision 22): the
 * caller must have authorized the import for that district. PostgreSQL does not allow COPY into
 * a table with row-level security, so the rows are copied into a temporary table of the
 * transaction and moved into `screening_results` with one INSERT ... SELECT, which the tenant
 * policy checks row by row.
 */
export async function importResults(deps: Deps, districtId: string, input: Readable | AsyncIterable<string>, options: ImportOptions): Promise<ImportSummary> {
  const importId = deps.ids.uuid();
  const lang = options.language ?? 'en';
  const t = importText[lang];
  const summary: ImportSummary = {
    importId,
    rows: 0,
    imported: 0,
    rejected: 0,
    alerts: 0,
    committed: false,
    keptForSafety: 0,
    alreadyStored: 0,
    noConsent: 0,
    errors: [],
  };
  const fail = (line: number, message: string) => {
    summary.rejected += 1;
    if (summary.errors.length < maxReportedErrors) summary.errors.push({ line, message });
  };
  const library = await instrumentsFor(deps, districtId);
  if (options.instrument && !library.has(options.instrument)) {
    fail(0, t.unknownInstrumentOf(options.instrument, [...library.keys()]));
    return summary;
  }
  const scope = { districtId, userId: options.by.userId };
  const { district, people, stored } = await withTenant(deps.db.app, scope, async (tx) => {
    const [district] = await tx.select().from(districts).where(eq(districts.id, districtId));
    const people = await tx
      .select({ id: students.id, localId: students.localId, schoolId: students.schoolId, grade: students.grade, dateOfBirth: students.dateOfBirth })
      .from(students)
      .where(eq(students.districtId, districtId));
    return { district, people, stored: await storedRiskRows(tx, districtId) };
  });
  if (!district) throw new Error('unknown district');
  const roster = new Map<string, { id: string; schoolId: string; grade: string; dateOfBirth: string | null }>();
  for (const { localId, ...s } of people) roster.set(localId, s);
  const consentRefusal = await importConsentCheck(deps, district);
  const definitions = new Map<string, InstrumentDefinition>([...library].map(([id, i]) => [id, i.definition]));
  // Rows that show risk, as COPY lines: kept even if the rest of the file is refused.
  let riskRows = '';

  const client = await deps.db.app.$client.connect();
  let writing = true;
  try {
    await beginStaging(client, scope);
    const copy = stagedCopy(client);
    let buffer = '';
    let buffered = 0;
    const flush = async () => {
      if (!buffer) return;
      const [text, rows] = [buffer, buffered];
      buffer = '';
      buffered = 0;
      await copy.write(text, rows);
    };
    let header: ReturnType<typeof readHeader> | undefined;
    try {
      for await (const record of readCsv(input)) {
        if (!header) {
          header = readHeader(record.cells, [...definitions.values()], Boolean(options.instrument), lang);
          if (!header.ok) {
            fail(record.line, header.message);
            writing = false;
            break;
          }
          continue;
        }
        if (!header.ok) break;
        summary.rows += 1;
        if (summary.rows % 50_000 === 0) options.onProgress?.(summary.rows);
        const row = readRow(record.cells, header.header, (id) => definitions.get(id), options.instrument ?? null, lang);
        if (!row.ok) {
          fail(record.line, row.errors.join('; '));
          if (!options.skipInvalid) writing = false;
          continue;
        }
        const student = roster.get(row.studentLocalId);
        if (!student) {
          fail(record.line, t.noStudent(row.studentLocalId));
          if (!options.skipInvalid) writing = false;
          continue;
        }
        const instrument = library.get(row.instrumentId);
        const result = instrument?.score(row.answers, row.context);
        const problems = result ? (lang === 'es' ? result.errorsEs : result.errors).join('; ') : t.unknownInstrument(row.instrumentId);
        const alerted = result ? alertUrgencyOf(result.flags) !== null : false;
        const riskKey = `${student.id}|${row.instrumentId}|${row.administeredAt.toISOString()}`;
        if (alerted && stored.has(riskKey)) {
          summary.alreadyStored += 1;
          continue;
        }
        if (!instrument || !result?.valid) {
          if (result && alerted) {
            // A risk answer is never dropped: stored as an invalid, flagged result, with its alert.
            if (summary.errors.length < maxReportedErrors)
              summary.errors.push({
                line: record.line,
                message: t.keptInvalid(problems),
              });
          } else {
            fail(record.line, problems);
            if (!options.skipInvalid) writing = false;
            continue;
          }
        }
        const refusal = (await consentRefusal(student, row.instrumentId, row.administeredAt))?.[lang];
        if (refusal && !alerted) {
          summary.noConsent += 1;
          fail(record.line, t.noConsent(refusal));
          if (!options.skipInvalid) writing = false;
          continue;
        }
        if (refusal && summary.errors.length < maxReportedErrors) {
          // Decisions 17 and 20: a risk answer is never dropped, consent or not; its alert reaches the crisis team.
          summary.errors.push({ line: record.line, message: t.keptWithoutConsent(refusal) });
        }
        if (alerted) summary.alerts += 1;
        const due =
          alerted || result.flags.includes('positive')
            ? (() => {
                const day = districtDay(row.administeredAt, district.timeZone);
                return alerted ? day : addSchoolDays(day, district.screeningFollowUpDays);
              })()
            : null;
        const line = `${deps.ids.uuid()}\t${districtId}\t${student.id}\t${student.schoolId}\t${row.instrumentId}\t${copyText(result.version)}\timport\t${copyText(JSON.stringify(row.answers))}\t${copyText(JSON.stringify(row.context))}\t${result.score ?? '\\N'}\t${result.band === null ? '\\N' : copyText(result.band)}\t${copyText(JSON.stringify(result.subscales))}\t{${result.flags.join(',')}}\t{${result.actions.join(',')}}\t${result.prorated ? 't' : 'f'}\t${result.valid ? 't' : 'f'}\t${row.administeredAt.toISOString()}\t${due ?? '\\N'}\t${importId}\n`;
        if (alerted) {
          riskRows += line;
          stored.add(riskKey);
          summary.keptForSafety += result.valid && !refusal ? 0 : 1;
        }
        if (!writing) continue;
        buffer += line;
        buffered += 1;
        summary.imported += 1;
        if (buffer.length > 65_536) await flush();
      }
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      fail(error.line, t.csv(error.message.replace(/^line \d+: /, '')));
      writing = false;
    }
    if (!header) {
      fail(1, t.emptyFile);
      writing = false;
    }
    await flush();
    await copy.finish(writing);
    if (!writing) {
      await client.query('rollback');
      summary.imported = 0;
      summary.keptForSafety = await keepRiskRows(deps, client, scope, riskRows, summary, options.by);
      summary.alerts = summary.keptForSafety;
      if (summary.keptForSafety === 0) return summary;
    } else {
      // The audit event commits with the rows it describes.
      await deps.audit.append(drizzle(client) as unknown as Transaction, districtId, options.by, {
        action: 'screening.results_imported',
        subjectType: 'screening_import',
        subjectId: importId,
        detail: { rows: summary.rows, imported: summary.imported, rejected: summary.rejected, alerts: summary.alerts },
      });
      await client.query('commit');
      summary.committed = true;
    }
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  while ((await raisePendingImportAlerts(deps, 200)) > 0);
  return summary;
}

/** Keys (student, instrument, time) of imported risk results, so a second try stores none twice. */
async function storedRiskRows(tx: Transaction, districtId: string): Promise<Set<string>> {
  const rows = await tx
    .select({ studentId: screeningResults.studentId, instrumentId: screeningResults.instrumentId, administeredAt: screeningResults.administeredAt })
    .from(screeningResults)
    .where(
      and(eq(screeningResults.districtId, districtId), eq(screeningResults.source, 'import'), sql`${screeningResults.flags} && ${sql.raw(alertFlagsArray)}`),
    );
  return new Set(rows.map((r) => `${r.studentId}|${r.instrumentId}|${r.administeredAt.toISOString()}`));
}

const alertFlagsArray = `array[${alertFlags.map((f) => `'${f}'`).join(', ')}]`;

/** The temporary table an import copies into: the COPY columns, no policy, dropped at the end of the transaction. */
const staging = 'screening_import_rows';
const moveStaged = `insert into screening_results (${copyColumns}) select ${copyColumns} from ${staging}`;

/** Staged rows are moved into screening_results this often, so the staging table stays small enough to stay in memory. */
const moveEvery = 10_000;

/** Opens the import's transaction acting for its district, with an empty staging table to COPY into. */
async function beginStaging(client: PoolClient, scope: { districtId: string; userId: string | null }): Promise<void> {
  await client.query('begin');
  await actFor(client, scope);
  await client.query(`create temporary table ${staging} on commit drop as select ${copyColumns} from screening_results with no data`);
}

/**
 * A COPY into the staging table that moves what it holds into screening_results every
 * `moveEvery` rows (one INSERT ... SELECT each, checked by the tenant policy), then empties it.
 */
function stagedCopy(client: PoolClient) {
  const open = () => {
    const stream = client.query(copyFrom(`copy ${staging} (${copyColumns}) from stdin`));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    done.catch(() => undefined); // awaited in end(); a failure must not be an unhandled rejection before then
    return { stream, done };
  };
  let current = open();
  let staged = 0;
  const end = async () => {
    current.stream.end();
    await current.done;
  };
  return {
    async write(text: string, rows: number) {
      if (!current.stream.write(text)) await once(current.stream, 'drain');
      staged += rows;
      if (staged < moveEvery) return;
      await end();
      await client.query(moveStaged);
      await client.query(`truncate ${staging}`);
      staged = 0;
      current = open();
    },
    /** Ends the COPY; with `move`, moves what is still staged into screening_results. */
    async finish(move: boolean) {
      await end();
      if (move) await client.query(moveStaged);
    },
  };
}

/**
 * When a file is refused, the rows that show risk are stored all the same (and alerted): a
 * student's "yes" must not wait for someone to fix another student's row.
 */
async function keepRiskRows(
  deps: Deps,
  client: PoolClient,
  scope: { districtId: string; userId: string | null },
  lines: string,
  summary: ImportSummary,
  by: ImportOptions['by'],
): Promise<number> {
  if (!lines) return 0;
  const { districtId } = scope;
  const count = lines.split('\n').length - 1;
  await beginStaging(client, scope);
  const copy = stagedCopy(client);
  await copy.write(lines, count);
  await copy.finish(true);
  await deps.audit.append(drizzle(client) as unknown as Transaction, districtId, by, {
    action: 'screening.results_imported',
    subjectType: 'screening_import',
    subjectId: summary.importId,
    detail: { rows: summary.rows, imported: 0, rejected: summary.rejected, alerts: count, keptForSafety: count },
  });
  await client.query('commit');
  return count;
}

/** COPY text format: backslash, tab, newline and carriage return are escaped. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] as string);
}

/**
 * Raises the alert of imported risk results that have none yet, oldest first. Rows are locked
 * while their alerts go out, so two servers never raise the same one. Returns how many.
 */
export async function raisePendingImportAlerts(deps: Deps, limit = 50): Promise<number> {
  return deps.db.system.transaction(async (tx) => {
    const pending = await tx
      .select({
        id: screeningResults.id,
        districtId: screeningResults.districtId,
        studentId: screeningResults.studentId,
        instrumentId: screeningResults.instrumentId,
        flags: screeningResults.flags,
      })
      .from(screeningResults)
      .where(
        and(
          isNull(screeningResults.alertReportId),
          eq(screeningResults.source, 'import'),
          sql`${screeningResults.flags} && array['suicide_risk', 'imminent_risk']`,
        ),
      )
      .orderBy(screeningResults.administeredAt)
      .limit(limit)
      .for('update', { skipLocked: true });
    if (pending.length === 0) return 0;
    const people = await tx
      .select()
      .from(students)
      .where(inArray(students.id, [...new Set(pending.map((p) => p.studentId))]));
    const byId = new Map(people.map((p) => [p.id, p]));
    for (const result of pending) {
      const student = byId.get(result.studentId);
      const urgency = alertUrgencyOf(result.flags);
      if (!student || !urgency) continue;
      const reportId = await raiseScreeningAlert(deps, {
        districtId: result.districtId,
        student,
        instrumentName: `${result.instrumentId}, imported`,
        urgency,
        flags: result.flags,
      });
      await tx.update(screeningResults).set({ alertReportId: reportId }).where(eq(screeningResults.id, result.id));
    }
    return pending.length;
  });
}
