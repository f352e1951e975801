import fs from 'node:fs';
import type { Command } from 'commander';
import type { Runtime } from '../../platform/runtime.ts';
import { ZipRefused } from '../../platform/zip.ts';
import { findDistrictBySlug } from '../districts/districts.service.ts';
import { importCommand } from '../screening/screening.cli.ts';
import { guessMapping, studentFields } from './csv-students.rules.ts';
import { importStudentCsv } from './csv-students.service.ts';
import { type Finding, RosterFileError } from './oneroster-files.rules.ts';
import { importOneRoster, type RosterSummary, readExport } from './roster.service.ts';

type Helpers = {
  print: (line: string) => void;
  withRuntime: (work: (runtime: Runtime) => Promise<number | undefined>) => Promise<number>;
  exit: (code: number) => void;
};

/** `haven import oneroster <folder-or-zip> --district <slug> [--dry-run]`. */
export function registerRosterCommands(program: Command, { print, withRuntime, exit }: Helpers): void {
  importCommand(program)
    .command('oneroster <source>')
    .description('import a OneRoster 1.1 or 1.2 CSV export (a folder or a .zip): schools, students, guardians, staff, classes and enrollments')
    .requiredOption('--district <slug>', 'district slug')
    .option('--dry-run', 'show what would change, and change nothing')
    .action(async (source: string, options: { district: string; dryRun?: boolean }) => {
      if (!fs.existsSync(source)) {
        process.stderr.write(`Cannot read ${source}.\n`);
        return exit(2);
      }
      exit(
        await withRuntime(async ({ deps }) => {
          const district = await findDistrictBySlug(deps, options.district);
          try {
            const summary = await importOneRoster(deps, district.id, readExport(source), {
              dryRun: options.dryRun ?? false,
              source,
              by: 'system: command line roster import',
            });
            for (const line of describe(summary)) print(line);
            return 0;
          } catch (error) {
            if (!(error instanceof RosterFileError || error instanceof ZipRefused)) throw error;
            process.stderr.write(`${error.message}\nNothing was imported.\n`);
            return 2;
          }
        }),
      );
    });
  registerStudentCsv(program, { print, withRuntime, exit });
}

function registerStudentCsv(program: Command, { print, withRuntime, exit }: Helpers) {
  importCommand(program)
    .command('students <file>')
    .description('import students from a plain CSV (no OneRoster): columns are guessed from the header, or given with --map')
    .requiredOption('--district <slug>', 'district slug')
    .option('--map <pairs>', `field=Column pairs, e.g. "localId=Student Number,grade=Gr"; fields: ${studentFields.join(', ')}`)
    .option('--dry-run', 'show what would change, and change nothing')
    .action(async (file: string, options: { district: string; map?: string; dryRun?: boolean }) => {
      if (!fs.existsSync(file)) {
        process.stderr.write(`Cannot read ${file}.\n`);
        return exit(2);
      }
      const text = fs.readFileSync(file, 'utf8');
      const header = (text.split(/\r?\n/, 1)[0] ?? '').split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
      const mapping: Record<string, string | null> = guessMapping(header);
      for (const pair of (options.map ?? '').split(',').filter(Boolean)) {
        const [field, column] = pair.split('=').map((p) => p.trim());
        if (!field || !(studentFields as readonly string[]).includes(field)) {
          process.stderr.write(`"${field}" is not a student field; use one of ${studentFields.join(', ')}.\n`);
          return exit(2);
        }
        mapping[field] = column ?? null;
      }
      print(
        `Columns: ${studentFields
          .filter((f) => mapping[f])
          .map((f) => `${f}=${mapping[f]}`)
          .join(', ')}`,
      );
      exit(
        await withRuntime(async ({ deps }) => {
          const district = await findDistrictBySlug(deps, options.district);
          const summary = await importStudentCsv(deps, district.id, text, mapping, {
            dryRun: options.dryRun ?? false,
            by: 'system: command line student CSV import',
          });
          print(
            `${summary.dryRun ? 'Dry run (nothing changed): ' : ''}${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.rejected.length} rejected.`,
          );
          for (const r of summary.rejected.slice(0, 20)) print(`  line ${r.line}: ${r.reason}`);
          return 0;
        }),
      );
    });
}

export function describe(s: RosterSummary): string[] {
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
    ...list.slice(0, 20).map((f) => `  ${f.file}, line ${f.line}${f.field ? `, ${f.field}` : ''}: ${f.reason}`),
    ...(list.length > 20 ? [`  … and ${list.length - 20} more`] : []),
  ];
}
