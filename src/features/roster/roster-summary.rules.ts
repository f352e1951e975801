import type { Finding } from './oneroster-files.rules.ts';
import type { RosterSummary } from './roster-apply.service.ts';

/**
 * A roster summary as lines of text: what the command line prints and what the drop folder writes
 * beside each file. Scripts read the per-kind lines (`students   N created, M updated, K
 * unchanged`), so their shape stays.
 */
export function describe(s: RosterSummary): string[] {
  if (s.error) return [`Failed: ${s.error}`];
  const c = (name: string, k: { created: number; updated: number; unchanged: number; deactivated: number }) =>
    `${name.padEnd(10)} ${k.created} created, ${k.updated} updated, ${k.unchanged} unchanged${k.deactivated ? `, ${k.deactivated} deactivated` : ''}`;
  return [
    `OneRoster ${s.version}${s.dryRun ? ' (dry run: nothing was changed)' : ''}`,
    c('schools', s.schools),
    c('students', s.students),
    c('guardians', s.guardians),
    `links      ${s.links.created} student–guardian links created`,
    c('staff', s.staff),
    c('classes', s.classes),
    `${c('enrollments', s.enrollments)}${s.enrollments.unmatched ? `, ${s.enrollments.unmatched} naming no student or staff member` : ''}`,
    ...findings('rejected', s.rejected),
    ...findings('warnings', s.warnings ?? []),
  ];
}

/** `rejected 3 (users.csv 2, enrollments.csv 1)`, then the first twenty with file, line and field. */
function findings(label: string, list: Finding[]): string[] {
  const perFile = new Map<string, number>();
  for (const f of list) perFile.set(f.file, (perFile.get(f.file) ?? 0) + 1);
  const files = [...perFile].map(([file, n]) => `${file} ${n}`).join(', ');
  return [
    `${label.padEnd(10)} ${list.length}${list.length ? ` (${files})` : ''}`,
    ...list.slice(0, 20).map((f) => `  ${where(f)}${f.field ? `, ${f.field}` : ''}: ${f.reason}`),
    ...(list.length > 20 ? [`  … and ${list.length - 20} more`] : []),
  ];
}

/** A CSV finding names its line; a REST sync's names the record's position in the collection; 0 is the whole file or collection. */
export function where(f: Finding): string {
  if (!f.line) return f.file;
  return `${f.file}, ${/\.csv$/i.test(f.file) ? 'line' : 'record'} ${f.line}`;
}
