/**
 * A plain student CSV from a district without OneRoster, read through a column mapping the person
 * confirms (Haven guesses it from the header). Pure: records in, students and rejected rows out.
 */
export const studentFields = [
  'localId',
  'firstName',
  'lastName',
  'grade',
  'school',
  'preferredName',
  'dateOfBirth',
  'homeLanguage',
  'englishLearner',
  'iep',
  'section504',
  'freeReducedLunch',
  'homeless',
  'fosterCare',
] as const;
export type StudentField = (typeof studentFields)[number];
export const requiredFields: readonly StudentField[] = ['localId', 'firstName', 'lastName', 'grade', 'school'];

const synonyms: Record<StudentField, string[]> = {
  localId: ['student number', 'student id', 'studentid', 'local id', 'id', 'sis id', 'student_number'],
  firstName: ['first name', 'first', 'given name', 'firstname', 'first_name'],
  lastName: ['last name', 'last', 'family name', 'surname', 'lastname', 'last_name'],
  grade: ['grade', 'grade level', 'gr'],
  school: ['school', 'school code', 'school name', 'building'],
  preferredName: ['preferred name', 'nickname', 'goes by'],
  dateOfBirth: ['date of birth', 'birth date', 'birthdate', 'dob'],
  homeLanguage: ['home language', 'language', 'primary language'],
  englishLearner: ['english learner', 'el', 'ell', 'ml', 'multilingual learner'],
  iep: ['iep', 'special education', 'sped'],
  section504: ['504', 'section 504'],
  freeReducedLunch: ['free reduced lunch', 'frl', 'free/reduced lunch', 'lunch status'],
  homeless: ['homeless', 'mckinney-vento', 'mckinney vento'],
  fosterCare: ['foster', 'foster care'],
};

const normal = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, ' ');

/** The header column each field most likely comes from, or null. */
export function guessMapping(header: string[]): Record<StudentField, string | null> {
  const names = header.map((h) => ({ raw: h, n: normal(h) }));
  return Object.fromEntries(studentFields.map((field) => [field, names.find((h) => synonyms[field].includes(h.n))?.raw ?? null])) as Record<
    StudentField,
    string | null
  >;
}

const yes = /^(y|yes|true|1|x)$/i;
const no = /^(n|no|false|0|)$/i;

function grade(raw: string): string | null {
  const v = raw.trim().toUpperCase();
  if (v === 'K' || v === 'KG' || v === 'KINDERGARTEN') return 'K';
  if (v === 'PK' || v === 'PRE-K' || v === 'PREK') return 'PK';
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 12 ? String(n) : null;
}

function day(raw: string): string | null {
  const v = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  return us ? `${us[3]}-${(us[1] as string).padStart(2, '0')}-${(us[2] as string).padStart(2, '0')}` : null;
}

export type MappedStudent = {
  localId: string;
  firstName: string;
  lastName: string;
  grade: string;
  schoolId: string;
  preferredName?: string | null;
  dateOfBirth?: string | null;
  homeLanguage?: string;
} & Partial<Record<'englishLearner' | 'iep' | 'section504' | 'freeReducedLunch' | 'homeless' | 'fosterCare', boolean>>;

/**
 * Maps each row; a row with a problem is rejected with its line and every reason, the rest go on.
 * The school column may hold the school's code or its name.
 */
export function mapStudents(
  header: string[],
  rows: { line: number; cells: string[] }[],
  mapping: Partial<Record<StudentField, string | null>>,
  schools: { id: string; code: string; name: string }[],
): { students: MappedStudent[]; rejected: { line: number; reason: string }[]; missing: StudentField[] } {
  const missing = requiredFields.filter((f) => !mapping[f] || !header.includes(mapping[f] as string));
  if (missing.length > 0) return { students: [], rejected: [], missing };
  const col = (f: StudentField) => (mapping[f] ? header.indexOf(mapping[f] as string) : -1);
  const students: MappedStudent[] = [];
  const rejected: { line: number; reason: string }[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const get = (f: StudentField) => (col(f) >= 0 ? (row.cells[col(f)] ?? '').trim() : '');
    const problems: string[] = [];
    const localId = get('localId');
    if (!localId) problems.push('the student number is empty');
    else if (seen.has(localId)) problems.push(`student number ${localId} appears twice`);
    if (!get('firstName') || !get('lastName')) problems.push('a name is empty');
    const g = grade(get('grade'));
    if (!g) problems.push(`grade "${get('grade')}" is not PK, K or 1–12`);
    const schoolText = get('school').toLowerCase();
    const school = schools.find((s) => s.code === schoolText || s.name.toLowerCase() === schoolText);
    if (!school) problems.push(`school "${get('school')}" is not one of this district's schools`);
    const student: MappedStudent = { localId, firstName: get('firstName'), lastName: get('lastName'), grade: g ?? '', schoolId: school?.id ?? '' };
    if (mapping.preferredName) student.preferredName = get('preferredName') || null;
    if (mapping.dateOfBirth && get('dateOfBirth')) {
      student.dateOfBirth = day(get('dateOfBirth'));
      if (!student.dateOfBirth) problems.push(`date of birth "${get('dateOfBirth')}" is not a date (2013-05-20 or 5/20/2013)`);
    }
    if (mapping.homeLanguage && get('homeLanguage')) student.homeLanguage = get('homeLanguage').toLowerCase().slice(0, 3);
    for (const flag of ['englishLearner', 'iep', 'section504', 'freeReducedLunch', 'homeless', 'fosterCare'] as const) {
      if (!mapping[flag]) continue;
      const v = get(flag);
      if (yes.test(v)) student[flag] = true;
      else if (no.test(v)) student[flag] = false;
      else problems.push(`${flag} "${v}" is not yes or no`);
    }
    if (problems.length > 0) rejected.push({ line: row.line, reason: problems.join('; ') });
    else {
      seen.add(localId);
      students.push(student);
    }
  }
  return { students, rejected, missing: [] };
}
