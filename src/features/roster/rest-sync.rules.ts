import { instantAt, minutesOfDay, wallTime } from '../../platform/time-zone.ts';
import type { Finding, Mode, Row } from './oneroster-files.rules.ts';

/**
 * OneRoster REST (1EdTech OneRoster 1.1 and 1.2 rostering service), read into the same rows the
 * CSV import reads, so one set of roster rules and one apply code serve both. Pure: JSON objects
 * in, rows out; and when the nightly sync is due. No I/O, no clock.
 */

export type RestVersion = '1.1' | '1.2';
export type Collection = 'orgs' | 'users' | 'classes' | 'enrollments' | 'demographics';
/** Collections a sync reads; orgs and users are required, the rest are taken when the source offers them. */
export const collections: readonly Collection[] = ['orgs', 'users', 'classes', 'enrollments', 'demographics'];
export const requiredCollections: readonly Collection[] = ['orgs', 'users'];

/** The service root each version defines under a host (OneRoster 1.1 §3, 1.2 Rostering §4). */
const servicePath: Record<RestVersion, string> = { '1.1': '/ims/oneroster/v1p1', '1.2': '/ims/oneroster/rostering/v1p2' };

/** The OAuth 2 scopes that read the roster and demographics, per version. */
export const scopes: Record<RestVersion, string> = {
  '1.1': 'https://purl.imsglobal.org/spec/or/v1p1/scope/roster-core.readonly https://purl.imsglobal.org/spec/or/v1p1/scope/roster-demographics.readonly',
  '1.2': 'https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly https://purl.imsglobal.org/spec/or/v1p2/scope/roster-demographics.readonly',
};

/**
 * Where a collection lives. A base URL that already names the service (`…/ims/oneroster/…`) is
 * used as given; a bare host gets the version's standard path, as vendors document either.
 */
export function collectionUrl(baseUrl: string, version: RestVersion, path: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${/\/ims\/oneroster\//i.test(`${base}/`) ? base : `${base}${servicePath[version]}`}/${path}`;
}

/**
 * A delta asks for what changed since the last successful sync began, less ten minutes: an SIS
 * clock running a little behind Haven's would otherwise hide a change, and a record read twice
 * changes nothing.
 */
export const deltaMarginMs = 10 * 60_000;
export function deltaFilter(deltaFrom: Date): string {
  return `dateLastModified>'${new Date(deltaFrom.getTime() - deltaMarginMs).toISOString()}'`;
}

/**
 * Why a source URL is refused, or null. The client secret and the roster travel to these
 * addresses, so they must be HTTPS; plain HTTP only to this machine (a local test server or a
 * tunnel). No credentials in the URL, where logs would keep them.
 */
export function sourceUrlProblem(label: string, value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${label} is not a web address; write it in full, e.g. https://sis.example.org/ims/oneroster/v1p1.`;
  }
  if (url.username || url.password) return `${label} must not contain a user name or password; enter the client ID and secret in their own fields.`;
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && local)) return null;
  return `${label} must start with https:// (the roster and the client secret must travel encrypted).`;
}

/** "02:00": the local time of the nightly sync. */
export const syncTimePattern = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * When the nightly sync is due: the district's clock has reached today's sync time, no sync
 * started since that moment, and the settings were not saved after it (a schedule set at 10:00
 * for 02:00 starts tomorrow, not at once). A night the server missed is caught up later the same
 * day. Returns today's scheduled instant when due, so that one worker can claim it.
 */
export function nightlyDue(input: { syncTime: string | null; timeZone: string; lastSyncAt: Date | null; settingsSavedAt: Date; now: Date }): Date | null {
  if (!input.syncTime || !syncTimePattern.test(input.syncTime)) return null;
  const today = wallTime(input.now, input.timeZone);
  const scheduled = instantAt(today.year, today.month, today.day, minutesOfDay(input.syncTime), input.timeZone);
  if (input.now < scheduled || input.settingsSavedAt >= scheduled) return null;
  if (input.lastSyncAt && input.lastSyncAt >= scheduled) return null;
  return scheduled;
}

type Json = Record<string, unknown>;

/** A scalar as the CSV would carry it: booleans and numbers as text, anything else blank. */
function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}
/** A GUIDRef (`{ sourcedId, type, href }`), or a bare id as some servers send. */
function ref(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  return value && typeof value === 'object' ? text((value as Json).sourcedId) : '';
}
/** A list of GUIDRefs, or of strings (grades), as the CSV's comma-separated value. */
function list(value: unknown, each: (v: unknown) => string = ref): string {
  if (Array.isArray(value)) return value.map(each).filter(Boolean).join(',');
  return each(value);
}

/**
 * Extensions travel in `metadata` in REST. Each scalar is offered as `metadata.<key>` and, for the
 * district's `ext_*` mapping, as `ext_<key>` (or the key itself when it already starts `ext_`), so
 * a mapping written for the CSV export finds the same field in the REST source.
 */
function metadataFields(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value as Json)) {
    if (typeof v === 'object' && v !== null) continue;
    out[`metadata.${key}`] = text(v);
    out[key.toLowerCase().startsWith('ext_') ? key : `ext_${key}`] = text(v);
  }
  return out;
}

/** A row over an object's fields; methods on the prototype, as a sync holds hundreds of thousands of them. */
class ObjectRow implements Row {
  constructor(
    readonly line: number,
    private readonly fields: Record<string, string>,
  ) {}
  get(column: string): string {
    return this.fields[column] ?? '';
  }
  has(column: string): boolean {
    return column in this.fields;
  }
}

/**
 * Columns that, in the CSV, carry what the REST object carries under another name or shape. The
 * fields every object has (sourcedId, status, dateLastModified) are written out in each literal
 * rather than spread in from a helper: the spread made a 250,000-user sync forty times slower.
 */
const convert: Record<Exclude<Collection, 'users'>, (o: Json) => Record<string, string>> = {
  orgs: (o) => ({
    sourcedId: text(o.sourcedId),
    status: text(o.status),
    dateLastModified: text(o.dateLastModified),
    name: text(o.name),
    type: text(o.type),
    identifier: text(o.identifier),
    parentSourcedId: ref(o.parent),
  }),
  classes: (o) => ({
    sourcedId: text(o.sourcedId),
    status: text(o.status),
    dateLastModified: text(o.dateLastModified),
    title: text(o.title),
    classCode: text(o.classCode),
    classType: text(o.classType),
    location: text(o.location),
    grades: list(o.grades, text),
    courseSourcedId: ref(o.course),
    schoolSourcedId: ref(o.school),
    termSourcedIds: list(o.terms),
  }),
  enrollments: (o) => ({
    sourcedId: text(o.sourcedId),
    status: text(o.status),
    dateLastModified: text(o.dateLastModified),
    classSourcedId: ref(o.class),
    schoolSourcedId: ref(o.school),
    userSourcedId: ref(o.user),
    role: text(o.role),
    primary: text(o.primary),
    beginDate: text(o.beginDate),
    endDate: text(o.endDate),
  }),
  demographics: (o) => {
    const fields: Record<string, string> = {
      sourcedId: text(o.sourcedId),
      status: text(o.status),
      dateLastModified: text(o.dateLastModified),
      userSourcedId: ref(o.user) || text(o.userSourcedId),
    };
    for (const key of [
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
    ])
      fields[key] = text(o[key]);
    return fields;
  },
};

/**
 * A user: 1.1 names one `role` and its `orgs`; 1.2 lists `roles` (each with its org), which become
 * `roles.csv` rows, and a `primaryOrg`. `agents` are the guardians (or, on a guardian, the students).
 * The password, if a server sends one, is never read.
 */
function userFields(o: Json): Record<string, string> {
  return {
    sourcedId: text(o.sourcedId),
    status: text(o.status),
    dateLastModified: text(o.dateLastModified),
    enabledUser: text(o.enabledUser),
    orgSourcedIds: list(o.orgs),
    primaryOrgSourcedId: ref(o.primaryOrg),
    role: text(o.role),
    username: text(o.username),
    givenName: text(o.givenName),
    familyName: text(o.familyName),
    middleName: text(o.middleName),
    preferredFirstName: text(o.preferredFirstName) || text(o.preferredGivenName),
    identifier: text(o.identifier),
    email: text(o.email),
    sms: text(o.sms),
    phone: text(o.phone),
    agentSourcedIds: list(o.agents),
    grades: list(o.grades, text),
  };
}

/**
 * One collection's objects as the rows of the CSV file the rules read (`users` also fills
 * `roles.csv` from 1.2's `roles`). A row's line is the object's position in the collection (1 = the
 * first read), which is what a finding from a sync names.
 */
export function rowsFromObjects(collection: Collection, objects: readonly unknown[]): Record<string, Row[]> {
  const main: Row[] = [];
  const roles: Row[] = [];
  objects.forEach((value, index) => {
    const line = index + 1;
    const o = value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
    const fields = collection === 'users' ? userFields(o) : convert[collection](o);
    main.push(new ObjectRow(line, o.metadata ? { ...metadataFields(o.metadata), ...fields } : fields));
    if (collection === 'users' && Array.isArray(o.roles))
      for (const r of o.roles as Json[])
        roles.push(
          new ObjectRow(line, {
            sourcedId: '',
            status: '',
            userSourcedId: fields.sourcedId ?? '',
            roleType: text(r?.roleType),
            role: text(r?.role),
            orgSourcedId: ref(r?.org),
          }),
        );
  });
  return collection === 'users' && roles.length > 0 ? { 'users.csv': main, 'roles.csv': roles } : { [`${collection}.csv`]: main };
}

/**
 * Users a delta names but does not carry: the user of a changed demographics record, and the
 * guardians and students on either side of a changed user's agents. They are read one by one, so
 * a changed demographic reaches its student and a new guardian link is made.
 */
export function usersToFetch(rows: Record<string, Row[]>): string[] {
  const have = new Set((rows['users.csv'] ?? []).map((u) => u.get('sourcedId')));
  const wanted = new Set<string>();
  for (const d of rows['demographics.csv'] ?? []) wanted.add(d.get('userSourcedId') || d.get('sourcedId'));
  for (const u of rows['users.csv'] ?? []) for (const agent of u.get('agentSourcedIds').split(',')) wanted.add(agent.trim());
  return [...wanted].filter((id) => id && !have.has(id)).sort();
}

/** How each file is read: a full sync is the whole roster (bulk); a delta only changes. Orgs are always read whole, as students are placed by them. */
export function syncModes(full: boolean, present: readonly Collection[]): Record<string, Mode> {
  return Object.fromEntries(present.map((c) => [`${c}.csv`, full || c === 'orgs' ? 'bulk' : 'delta']));
}

/** A finding from a sync names the collection and the record's position, not a CSV file (roles live on the user in REST). */
export function restFinding(finding: Finding): Finding {
  const file = finding.file.replace(/\.csv$/i, '');
  return { ...finding, file: file === 'roles' ? 'users' : file };
}
