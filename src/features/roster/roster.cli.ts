import fs from 'node:fs';
import type { Command } from 'commander';
import type { Runtime } from '../../platform/runtime.ts';
import { findDistrictBySlug } from '../districts/districts.service.ts';
import { importCommand } from '../screening/screening.cli.ts';
import { RosterFileError } from './oneroster.rules.ts';
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
    .description('import a OneRoster 1.1 or 1.2 CSV export (a folder or a .zip): schools, students, guardians, staff')
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
            if (!(error instanceof RosterFileError)) throw error;
            process.stderr.write(`${error.message}\nNothing was imported.\n`);
            return 2;
          }
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
    `rejected   ${s.rejected.length}`,
    ...s.rejected.slice(0, 20).map((r) => `  ${r.file}, line ${r.line}: ${r.reason}`),
  ];
}
