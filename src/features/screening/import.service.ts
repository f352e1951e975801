import type { Readable } from 'node:stream';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { PoolClient } from 'pg';
import { districts } from '../../data/districts.ts';
import { screeningResults } from '../../data/screening.ts';
import { alertFlags } from '../../data/screening.values.ts';
import { students } from '../../data/students.ts';
import { CsvSyntaxError, readCsv } from '../../platform/csv-reader.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { districtDay } from '../../platform/time-zone.ts';
import type { InstrumentDefinition } from './definition.schema.ts';
import { addSchoolDays } from './eligibility.rules.ts';
import { readHeader, rowReader } from './import.rules.ts';
import { type ImportLanguage, importText } from './import.text.ts';
import { beginStaging, type StagedCopy, stagedCopy, stagedLine } from './import-staging.ts';
import { instrumentsFor } from './instruments.service.ts';
import { importConsentCheck } from './result-consent.service.ts';
import { alertUrgencyOf, raiseScreeningAlerts } from './results.service.ts';

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
/**
 * Imports screening results from another tool's CSV. Every row is validated and scored by the
 * same engine; the file is written with COPY in one transaction, so it is all or nothing unless
 * `skipInvalid` is set (then only valid rows are written and the rest reported by line). Every
 * risk flag raises its alert after commit; a crash in between is caught by the worker's sweep.
 * Each row checks consent as a screen would (the window it falls in, or a school-year opt-out);
 * a row without consent is refused by line, unless it shows suicide risk (then it is kept).
 *
 * It runs on the app connection acting for `districtId`, like any request (decision 22): the
 * caller must have authorized the import for that district. Rows reach `screening_results`
 * through a staging table (import-staging.ts), moved in batches while the next batch is scored;
 * a file refused at its first bad row stops moving rows at once and reads on only to report
 * every problem and keep the rows that show risk.
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
  const dates = districtDates(district.timeZone, district.screeningFollowUpDays);
  // Rows that show risk, as COPY lines: kept even if the rest of the file is refused.
  let riskRows = '';

  const client = await deps.db.app.$client.connect();
  let copy: StagedCopy | null = null;
  let broken: unknown;
  try {
    await beginStaging(client, scope);
    copy = stagedCopy(client, { districtId, importId });
    let buffer = '';
    let buffered = 0;
    /** The file is refused: stop moving rows now (the rest is read only to report it and keep risk rows). */
    const refuse = async () => {
      if (!copy) return;
      const abandoned = copy;
      copy = null;
      buffer = '';
      buffered = 0;
      await abandoned.abandon();
      await client.query('rollback');
      summary.imported = 0;
    };
    const flush = async () => {
      if (!buffer || !copy) return;
      const [text, rows] = [buffer, buffered];
      buffer = '';
      buffered = 0;
      await copy.write(text, rows);
    };
    let header: ReturnType<typeof readHeader> | undefined;
    let readRow: ReturnType<typeof rowReader> | undefined;
    try {
      for await (const record of readCsv(input)) {
        if (!header) {
          header = readHeader(record.cells, [...definitions.values()], Boolean(options.instrument), lang);
          if (!header.ok) {
            fail(record.line, header.message);
            await refuse();
            break;
          }
          readRow = rowReader(header.header, (id) => definitions.get(id), options.instrument ?? null, lang);
          continue;
        }
        if (!readRow) break;
        summary.rows += 1;
        if (summary.rows % 50_000 === 0) options.onProgress?.(summary.rows);
        const row = readRow(record.cells);
        if (!row.ok) {
          fail(record.line, row.errors.join('; '));
          if (!options.skipInvalid) await refuse();
          continue;
        }
        const student = roster.get(row.studentLocalId);
        if (!student) {
          fail(record.line, t.noStudent(row.studentLocalId));
          if (!options.skipInvalid) await refuse();
          continue;
        }
        const instrument = library.get(row.instrumentId);
        const result = instrument?.score(row.answers, row.context);
        const alerted = result ? alertUrgencyOf(result.flags) !== null : false;
        const riskKey = alerted ? `${student.id}|${row.instrumentId}|${row.administeredAt.toISOString()}` : '';
        if (alerted && stored.has(riskKey)) {
          summary.alreadyStored += 1;
          continue;
        }
        if (!instrument || !result?.valid) {
          const problems = result ? (lang === 'es' ? result.errorsEs : result.errors).join('; ') : t.unknownInstrument(row.instrumentId);
          if (result && alerted) {
            // A risk answer is never dropped: stored as an invalid, flagged result, with its alert.
            if (summary.errors.length < maxReportedErrors) summary.errors.push({ line: record.line, message: t.keptInvalid(problems) });
          } else {
            fail(record.line, problems);
            if (!options.skipInvalid) await refuse();
            continue;
          }
        }
        const when = dates(row.administeredAt);
        const refusal = (await consentRefusal(student, row.instrumentId, when.day))?.[lang];
        if (refusal && !alerted) {
          summary.noConsent += 1;
          fail(record.line, t.noConsent(refusal));
          if (!options.skipInvalid) await refuse();
          continue;
        }
        if (refusal && summary.errors.length < maxReportedErrors) {
          // Decisions 17 and 20: a risk answer is never dropped, consent or not; its alert reaches the crisis team.
          summary.errors.push({ line: record.line, message: t.keptWithoutConsent(refusal) });
        }
        if (alerted) summary.alerts += 1;
        const due = alerted ? when.day : result.flags.includes('positive') ? when.followUpOn : null;
        const line = stagedLine({
          id: deps.ids.uuid(),
          studentId: student.id,
          schoolId: student.schoolId,
          result,
          answers: row.answers,
          context: row.context,
          administeredAt: when.iso,
          followUpDueOn: due,
        });
        if (alerted) {
          riskRows += line;
          stored.add(riskKey);
          summary.keptForSafety += result.valid && !refusal ? 0 : 1;
        }
        if (!copy) continue;
        buffer += line;
        buffered += 1;
        summary.imported += 1;
        if (buffer.length > 65_536) await flush();
      }
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      fail(error.line, t.csv(error.message.replace(/^line \d+: /, '')));
      await refuse();
    }
    if (!header) {
      fail(1, t.emptyFile);
      await refuse();
    }
    await flush();
    const writing: StagedCopy | null = copy;
    if (!writing) {
      summary.keptForSafety = await keepRiskRows(deps, client, scope, riskRows, summary, options.by);
      summary.alerts = summary.keptForSafety;
      if (summary.keptForSafety === 0) return summary;
    } else {
      await writing.finish(true);
      copy = null;
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
    broken = error;
    await (copy as StagedCopy | null)?.abandon();
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    // A connection left mid-COPY by a failure is closed, not handed to the next request.
    client.release(broken instanceof Error ? broken : undefined);
  }
  await raiseImportAlertsNow(deps);
  return summary;
}

/**
 * The district day of a time, its ISO form and the follow-up day of a positive on it, worked out
 * once per distinct time: most files give one date for thousands of rows, and the time zone
 * arithmetic would otherwise cost more than scoring.
 */
function districtDates(timeZone: string, followUpDays: number) {
  const seen = new Map<number, { iso: string; day: string; followUpOn: string }>();
  return (at: Date) => {
    const key = at.getTime();
    let dates = seen.get(key);
    if (!dates) {
      if (seen.size >= 100_000) seen.clear();
      const day = districtDay(at, timeZone);
      dates = { iso: at.toISOString(), day, followUpOn: addSchoolDays(day, followUpDays) };
      seen.set(key, dates);
    }
    return dates;
  };
}

/**
 * Raises the alerts of the rows just imported before answering, several at a time: the crisis
 * team hears of every risk row as soon as the import commits, not at the worker's next sweep.
 */
async function raiseImportAlertsNow(deps: Deps): Promise<void> {
  while ((await raisePendingImportAlerts(deps, 200)) > 0);
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
  const copy = stagedCopy(client, { districtId, importId: summary.importId });
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
    const raising = pending.flatMap((result) => {
      const student = byId.get(result.studentId);
      const urgency = alertUrgencyOf(result.flags);
      return student && urgency
        ? [
            {
              resultId: result.id,
              alert: { districtId: result.districtId, student, instrumentName: `${result.instrumentId}, imported`, urgency, flags: result.flags },
            },
          ]
        : [];
    });
    const reportIds = await raiseScreeningAlerts(
      deps,
      raising.map((r) => r.alert),
    );
    if (raising.length > 0)
      await tx.execute(
        sql`update screening_results set alert_report_id = raised.report_id from unnest(${uuidArray(raising.map((r) => r.resultId))}::uuid[], ${uuidArray(reportIds)}::uuid[]) as raised(result_id, report_id) where screening_results.id = raised.result_id`,
      );
    return pending.length;
  });
}

/** A PostgreSQL array literal of identifiers (a JavaScript array would be sent as a row, not an array). */
const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;
