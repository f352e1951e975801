import type { CsvRecord } from '../../platform/csv-reader.ts';

/**
 * Reading OneRoster CSV files as other systems really write them (1.0, 1.1, 1.2; bulk and delta):
 * the manifest with blank or unknown entries, file and column names in any letter case, vendor
 * columns, short rows. Pure: records in, rows and the problems found out.
 *
 * What is wrong with one row is about that row only (a rejection naming file, line and field);
 * what is merely odd is a warning. Only a file that cannot be read at all (no manifest version Haven
 * knows, a required column missing, broken CSV quoting) stops the import, so nothing half-done
 * is ever written.
 */

export class RosterFileError extends Error {
  constructor(
    public readonly file: string,
    public readonly line: number,
    message: string,
  ) {
    super(`${file}, line ${line}: ${message}`);
  }
}

export type Mode = 'bulk' | 'delta' | 'absent';
export type Row = { line: number; get(column: string): string; has(column: string): boolean };
/** A row left out (rejection) or a note about what was read (warning): always file and line, and the field when there is one. */
export type Finding = { file: string; line: number; field?: string; reason: string };

/** Columns each file must have to be read at all. */
const required: Record<string, string[]> = {
  'orgs.csv': ['sourcedId', 'name', 'type'],
  'users.csv': ['sourcedId', 'givenName', 'familyName'],
  'roles.csv': ['userSourcedId', 'role', 'orgSourcedId'],
  'enrollments.csv': ['sourcedId', 'classSourcedId', 'userSourcedId', 'role'],
  'classes.csv': ['sourcedId', 'title'],
  'demographics.csv': [],
};

const common = ['sourcedId', 'status', 'dateLastModified'];
/** The columns OneRoster 1.0–1.2 defines for the files Haven reads, and known vendor variants. */
const known: Record<string, string[]> = {
  'orgs.csv': [...common, 'name', 'type', 'identifier', 'parentSourcedId', 'metadata.classification', 'metadata.gender', 'metadata.boarding'],
  'users.csv': [
    ...common,
    'enabledUser',
    'orgSourcedIds',
    'primaryOrgSourcedId',
    'role',
    'username',
    'userIds',
    'givenName',
    'familyName',
    'middleName',
    'preferredFirstName',
    'preferredMiddleName',
    'preferredLastName',
    'preferredFamilyName',
    'preferredGivenName',
    'pronouns',
    'identifier',
    'userMasterIdentifier',
    'email',
    'sms',
    'phone',
    'agentSourcedIds',
    'grades',
    'password',
    'resourceSourcedIds',
  ],
  'roles.csv': [...common, 'userSourcedId', 'roleType', 'role', 'beginDate', 'endDate', 'orgSourcedId', 'userProfileSourcedId'],
  'enrollments.csv': [...common, 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role', 'primary', 'beginDate', 'endDate'],
  'classes.csv': [
    ...common,
    'title',
    'grades',
    'courseSourcedId',
    'classCode',
    'classType',
    'location',
    'schoolSourcedId',
    'termSourcedIds',
    'subjects',
    'subjectCodes',
    'periods',
    'resources',
  ],
  'demographics.csv': [
    ...common,
    'userSourcedId',
    'birthDate',
    'sex',
    'americanIndianOrAlaskaNative',
    'asian',
    'blackOrAfricanAmerican',
    'nativeHawaiianOrOtherPacificIslander',
    'white',
    'demographicRaceTwoOrMoreRaces',
    'hispanicOrLatinoEthnicity',
    'countryOfBirthCode',
    'stateOfBirthAbbreviation',
    'cityOfBirth',
    'publicSchoolResidenceStatus',
  ],
};

/** OneRoster's booleans as exports write them: `true`, `TRUE`, `1`, `yes`. */
export const isTrue = (value: string) => /^(true|1|yes|y)$/i.test(value.trim());

/** The files Haven reads. */
export const readFiles = Object.keys(required);

export type Manifest = { version: '1.1' | '1.2'; modes: Record<string, Mode>; warnings: Finding[] };

/**
 * The manifest: `oneroster.version` 1.0 or 1.1 (read alike) or 1.2, and `file.<name>` modes. A
 * blank value means absent; a property Haven does not know is ignored; names and values are read
 * in any letter case (`file.userProfiles`, `Bulk`). A mode Haven cannot read leaves that file
 * unread, with a warning, rather than guessing bulk (which would deactivate students).
 */
export function readManifest(records: CsvRecord[]): Manifest {
  const warnings: Finding[] = [];
  const entries = records.slice(1).map((r) => ({ line: r.line, key: (r.cells[0] ?? '').trim(), value: (r.cells[1] ?? '').trim() }));
  const version = entries.find((e) => e.key.toLowerCase() === 'oneroster.version')?.value ?? '';
  if (!['1.0', '1.1', '1.2'].includes(version))
    throw new RosterFileError('manifest.csv', 1, `oneroster.version is "${version}"; Haven reads OneRoster 1.0, 1.1 and 1.2`);
  const modes: Record<string, Mode> = {};
  for (const { line, key, value } of entries) {
    if (!key.toLowerCase().startsWith('file.')) continue;
    const file = `${key.slice(5).toLowerCase()}.csv`;
    const mode = value.toLowerCase();
    if (mode === '' || mode === 'absent') modes[file] = 'absent';
    else if (mode === 'bulk' || mode === 'delta') modes[file] = mode;
    else {
      modes[file] = 'absent';
      if (readFiles.includes(file))
        warnings.push({ file: 'manifest.csv', line, field: key, reason: `"${value}" is not bulk, delta or absent; ${file} was not read` });
    }
  }
  return { version: version === '1.2' ? '1.2' : '1.1', modes, warnings };
}

/**
 * An export with no manifest (OneRoster 1.0, or a hand-made zip): read the files it has, as deltas.
 * Never as bulk, because a bulk users file deactivates every student it leaves out.
 */
export function manifestFromFiles(names: Iterable<string>): Manifest {
  const present = [...names].map((n) => n.toLowerCase());
  const modes = Object.fromEntries(readFiles.filter((f) => present.includes(f)).map((f) => [f, 'delta' as Mode]));
  return {
    version: present.includes('roles.csv') ? '1.2' : '1.1',
    modes,
    warnings: [
      {
        file: 'manifest.csv',
        line: 1,
        reason: 'the export has no manifest.csv; its files were read as changes (delta), so no student was deactivated',
      },
    ],
  };
}

/**
 * One row, read by column name. A class rather than two closures per row: a 100,000-student
 * export has hundreds of thousands of rows, and a column the file lacks must not index the cells
 * with -1 (a slow lookup in V8), since the rules ask for optional columns on every row.
 */
class CsvRow implements Row {
  constructor(
    readonly line: number,
    private readonly cells: string[],
    private readonly index: Map<string, number>,
  ) {}
  get(column: string): string {
    const i = this.index.get(column);
    return i === undefined ? '' : (this.cells[i] ?? '').trim();
  }
  has(column: string): boolean {
    return this.index.has(column);
  }
}

export type FileRows = { rows: Row[]; warnings: Finding[]; rejected: Finding[] };

/**
 * Rows of one file, addressed by OneRoster column name whatever the header's letter case. Columns
 * OneRoster does not define are ignored with a warning (vendor `ext_*` columns are kept for the
 * district's mapping, silently); a short row is read with its missing values blank (warned); a row
 * with more values than columns is rejected, because a comma outside quotes has shifted its values.
 */
export function readRows(file: string, records: CsvRecord[]): FileRows {
  const warnings: Finding[] = [];
  const rejected: Finding[] = [];
  const header = records[0];
  if (!header) return { rows: [], warnings, rejected };
  const knownHere = known[file] ?? [];
  const canonical = new Map(knownHere.map((name) => [name.toLowerCase(), name]));
  const index = new Map<string, number>();
  header.cells.forEach((raw, i) => {
    const name = raw.trim();
    const column = canonical.get(name.toLowerCase()) ?? (name.toLowerCase().startsWith('ext_') ? name : undefined);
    if (!name) warnings.push({ file, line: header.line, reason: `column ${i + 1} has no name; it was ignored` });
    else if (!column) warnings.push({ file, line: header.line, field: name, reason: `"${name}" is not a OneRoster column; it was ignored` });
    else if (index.has(column)) warnings.push({ file, line: header.line, field: name, reason: `"${name}" appears twice; the first was read` });
    else index.set(column, i);
  });
  for (const column of required[file] ?? ['sourcedId']) {
    if (!index.has(column)) throw new RosterFileError(file, header.line, `the header has no "${column}" column`);
  }
  const width = header.cells.length;
  const rows: Row[] = [];
  for (const record of records.slice(1)) {
    if (record.cells.length === 1 && record.cells[0]?.trim() === '') continue; // a blank line
    if (record.cells.length > width) {
      rejected.push({ file, line: record.line, reason: `${record.cells.length} values for ${width} columns; a value with a comma must be in quotes` });
      continue;
    }
    if (record.cells.length < width)
      warnings.push({ file, line: record.line, reason: `${record.cells.length} values for ${width} columns; the missing ones were read as blank` });
    rows.push(new CsvRow(record.line, record.cells, index));
  }
  return { rows, warnings, rejected };
}
