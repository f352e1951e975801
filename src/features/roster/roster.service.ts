import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { rosterImports, rosterSettings } from '../../data/roster.ts';
import { type CsvRecord, CsvSyntaxError, readCsv } from '../../platform/csv-reader.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { conflict } from '../../platform/errors.ts';
import { readZip, rosterZipLimits, type ZipLimits } from '../../platform/zip.ts';
import { followRosterLeavers } from '../accounts/index.ts';
import { buildRoster } from './oneroster.rules.ts';
import {
  type Finding,
  type Manifest,
  type Mode,
  manifestFromFiles,
  RosterFileError,
  type Row,
  readFiles,
  readManifest,
  readRows,
} from './oneroster-files.rules.ts';
import { applyModel, emptySummary, type RosterSummary } from './roster-apply.service.ts';

export type { RosterSummary } from './roster-apply.service.ts';

/** The CSV files OneRoster 1.0–1.2 defines; nothing else in an upload is unpacked. */
const oneRosterFiles = new Set(
  [
    'manifest',
    'academicSessions',
    'categories',
    'classes',
    'classResources',
    'courses',
    'courseResources',
    'demographics',
    'enrollments',
    'lineItems',
    'lineItemLearningObjectiveIds',
    'lineItemScoreScales',
    'orgs',
    'resources',
    'results',
    'resultLearningObjectiveIds',
    'resultScoreScales',
    'roles',
    'scoreScales',
    'userProfiles',
    'userResources',
    'users',
  ].map((n) => `${n.toLowerCase()}.csv`),
);

/**
 * Unpacks a OneRoster .zip within limits (entry count, size of each file and of all, once
 * unpacked): a file that inflates past them is refused quickly with the limit it broke.
 */
export function readExportZip(bytes: Uint8Array, limits: ZipLimits = rosterZipLimits): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, content] of readZip(bytes, (n) => oneRosterFiles.has(n.toLowerCase()), limits)) files.set(name, new TextDecoder().decode(content));
  return files;
}

/** Reads a OneRoster export from a folder or a .zip: file name -> text. */
export function readExport(source: string): Map<string, string> {
  const files = new Map<string, string>();
  if (source.toLowerCase().endsWith('.zip')) {
    return readExportZip(fs.readFileSync(source));
  } else {
    for (const name of fs.readdirSync(source)) if (name.toLowerCase().endsWith('.csv')) files.set(name, fs.readFileSync(path.join(source, name), 'utf8'));
  }
  return files;
}

async function records(file: string, text: string): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  try {
    for await (const record of readCsv([text])) out.push(record);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new RosterFileError(file, error.line, error.message.replace(/^line \d+: /, ''));
    throw error;
  }
  return out;
}

/**
 * What was read from an export before any roster rule is applied: the same shape whether it came
 * as CSV files or as OneRoster REST objects, so both go through the same rules and the same apply.
 * `rows` are keyed by the CSV file name the rules read (`users.csv`, `roles.csv`…).
 */
export type RosterRead = {
  version: '1.1' | '1.2';
  modes: Record<string, Mode>;
  rows: Record<string, Row[]>;
  warnings: Finding[];
  rejected: Finding[];
};

/**
 * Reads a OneRoster 1.0–1.2 CSV export (file name -> text). A file that cannot be read at all
 * throws RosterFileError with its file and line, before anything is written.
 */
export async function readOneRosterCsv(files: Map<string, string>): Promise<RosterRead> {
  // File names are matched in any letter case (`Users.csv`, `userProfiles.csv`).
  const byName = new Map([...files].map(([name, text]) => [path.basename(name).toLowerCase(), text]));
  const manifestText = byName.get('manifest.csv');
  const manifest: Manifest = manifestText ? readManifest(await records('manifest.csv', manifestText)) : manifestFromFiles(byName.keys());
  const { version, modes } = manifest;
  if (!modes['users.csv'] && !modes['orgs.csv']) throw new RosterFileError('manifest.csv', 1, 'the export has neither users.csv nor orgs.csv to read');
  const rows: Record<string, Row[]> = {};
  const warnings: Finding[] = [...manifest.warnings];
  const rejected: Finding[] = [];
  for (const [name, mode] of Object.entries(modes)) {
    if (mode === 'absent' || !readFiles.includes(name)) continue;
    const text = byName.get(name);
    if (text === undefined) {
      if (['orgs.csv', 'users.csv', 'roles.csv', 'enrollments.csv', 'demographics.csv'].includes(name))
        throw new RosterFileError('manifest.csv', 1, `the manifest lists ${name} as ${mode}, but the export has no such file`);
      continue;
    }
    const read = readRows(name, await records(name, text));
    rows[name] = read.rows;
    warnings.push(...read.warnings);
    rejected.push(...read.rejected);
  }
  return { version, modes, rows, warnings, rejected };
}

export type ApplyOptions = {
  dryRun: boolean;
  /** How the roster came: `upload`, `rest sync`, `drop folder`, `command line` (shown in the history). */
  source: string;
  by: string;
  /** The export's file name, kept in the summary (drop folder, command line). */
  file?: string;
  /** Stored as the import's format; `oneroster <version>` by default. */
  format?: string;
  /** Renames where a finding was found (a REST sync names the collection and record, not a CSV file and line). */
  findingAs?: (finding: Finding) => Finding;
  /** More to write in the same transaction, only when the import is kept (e.g. the sync's next delta point). */
  alsoInTransaction?: (tx: Transaction, summary: RosterSummary) => Promise<void>;
};

class DryRun extends Error {
  constructor(public readonly summary: RosterSummary) {
    super('dry run');
  }
}

/**
 * Imports a OneRoster 1.1 or 1.2 CSV export into a district: `readOneRosterCsv`, then
 * `applyOneRoster`. A malformed file rejects the whole import (RosterFileError, with file and
 * line) and nothing is written.
 */
export async function importOneRoster(deps: Deps, districtId: string, files: Map<string, string>, options: ApplyOptions): Promise<RosterSummary> {
  return applyOneRoster(deps, districtId, await readOneRosterCsv(files), options);
}

/**
 * Applies what was read, in one transaction, with the district's `ext_*` mapping. Rows are matched
 * by sourcedId (or a student's number), so the same export twice changes nothing; a bulk users file
 * deactivates students missing from it, and `tobedeleted` deactivates; nothing is ever deleted.
 * One import at a time per district (a nightly sync and an upload would otherwise race on the same
 * rows): a second one is refused at once with 409. Runs on the app connection acting for the
 * district, like any request (decision 22).
 */
export async function applyOneRoster(deps: Deps, districtId: string, read: RosterRead, options: ApplyOptions): Promise<RosterSummary> {
  const [settings] = await withTenant(deps.db.app, { districtId }, (tx) =>
    tx.select({ extMapping: rosterSettings.extMapping }).from(rosterSettings).where(eq(rosterSettings.districtId, districtId)),
  );
  const model = buildRoster(read.version, read.rows, settings?.extMapping ?? {});
  const name = options.findingAs ?? ((f: Finding) => f);
  const summary: RosterSummary = {
    ...emptySummary(read.version, options.dryRun),
    rejected: [...read.rejected, ...model.rejected].map(name),
    warnings: [...read.warnings, ...model.warnings].map(name),
    ...(options.file ? { file: options.file } : {}),
  };
  try {
    await withTenant(deps.db.app, { districtId }, async (tx) => {
      const lock = await tx.execute(sql`select pg_try_advisory_xact_lock(hashtextextended(${`haven.roster.${districtId}`}, 0)) as locked`);
      if (!lock.rows[0]?.locked)
        throw conflict('Another roster import or sync is running for this district; try again when it has finished. Nothing was changed.');
      await applyModel(deps, tx, districtId, model, read.modes, summary);
      if (options.dryRun) throw new DryRun(summary);
      await tx.insert(rosterImports).values({
        id: deps.ids.uuid(),
        districtId,
        at: deps.clock.now(),
        source: options.source,
        format: options.format ?? `oneroster ${read.version}`,
        dryRun: false,
        summary,
        byLabel: options.by,
      });
      await deps.audit.append(
        tx,
        districtId,
        { userId: null, label: options.by },
        {
          action: 'roster.imported',
          subjectType: 'district',
          subjectId: districtId,
          detail: {
            source: options.source,
            students: summary.students,
            guardians: summary.guardians,
            classes: summary.classes,
            enrollments: summary.enrollments,
            rejected: summary.rejected.length,
            warnings: summary.warnings.length,
          },
        },
      );
      await options.alsoInTransaction?.(tx, summary);
    });
  } catch (error) {
    if (error instanceof DryRun) return error.summary;
    throw error;
  }
  await followRosterLeavers(deps, districtId);
  return summary;
}

/**
 * Lists an import that failed as a whole (a sync whose source refused or broke, a dropped file
 * that could not be read): nothing was changed, and the history says why. `alsoInTransaction`
 * writes what must go with it (the sync's state, the administrators' e-mail) atomically.
 */
export async function recordFailedImport(
  deps: Deps,
  districtId: string,
  failure: { source: string; format: string; by: string; error: string; file?: string },
  alsoInTransaction?: (tx: Transaction) => Promise<void>,
): Promise<void> {
  const summary: RosterSummary = { ...emptySummary('', false), error: failure.error, ...(failure.file ? { file: failure.file } : {}) };
  await withTenant(deps.db.app, { districtId }, async (tx) => {
    await tx.insert(rosterImports).values({
      id: deps.ids.uuid(),
      districtId,
      at: deps.clock.now(),
      source: failure.source,
      format: failure.format,
      dryRun: false,
      summary,
      byLabel: failure.by,
    });
    await deps.audit.append(
      tx,
      districtId,
      { userId: null, label: failure.by },
      { action: 'roster.import_failed', subjectType: 'district', subjectId: districtId, detail: { source: failure.source, error: failure.error } },
    );
    await alsoInTransaction?.(tx);
  });
}
