import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Runtime } from '../../platform/runtime.ts';
import { ZipRefused } from '../../platform/zip.ts';
import { findDistrictBySlug } from '../districts/index.ts';
import { importCommand } from '../screening/index.ts';
import { guessMapping, studentFields } from './csv-students.rules.ts';
import { importStudentCsv } from './csv-students.service.ts';
import { RosterFileError } from './oneroster-files.rules.ts';
import { RosterSyncError, syncRoster } from './rest-sync.service.ts';
import type { RosterSettingsInput } from './roster.schema.ts';
import { importOneRoster, readExport } from './roster.service.ts';
import { saveRosterSettings } from './roster-settings.service.ts';
import { describe } from './roster-summary.rules.ts';
import { watchDropFolder } from './watch.ts';

export { describe } from './roster-summary.rules.ts';

type Helpers = {
  print: (line: string) => void;
  withRuntime: (work: (runtime: Runtime) => Promise<number | undefined>) => Promise<number>;
  exit: (code: number) => void;
};

/** `haven import oneroster <folder-or-zip> --district <slug> [--dry-run]`, and `haven roster sync|settings|watch`. */
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
              source: 'command line',
              file: path.basename(source),
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
  registerRosterSync(program, { print, withRuntime, exit });
}

/** `haven roster sync|settings|watch`: the OneRoster REST source and the SFTP drop folder. */
function registerRosterSync(program: Command, { print, withRuntime, exit }: Helpers) {
  const roster = program.command('roster').description('keep the roster current: OneRoster REST sync and a drop folder');
  roster
    .command('sync')
    .description("sync now from the district's OneRoster REST source (the first sync reads everything, later ones what changed)")
    .requiredOption('--district <slug>', 'district slug')
    .option('--dry-run', 'show what would change, and change nothing')
    .option('--full', 'read the whole roster, not only what changed (students the source leaves out become inactive)')
    .action(async (options: { district: string; dryRun?: boolean; full?: boolean }) => {
      exit(
        await withRuntime(async ({ deps }) => {
          const district = await findDistrictBySlug(deps, options.district);
          try {
            const summary = await syncRoster(deps, district.id, {
              dryRun: options.dryRun ?? false,
              full: options.full ?? false,
              by: 'system: command line roster sync',
            });
            for (const line of describe(summary)) print(line);
            return 0;
          } catch (error) {
            if (!(error instanceof RosterSyncError)) throw error;
            process.stderr.write(`${error.message}\n`);
            return 2;
          }
        }),
      );
    });
  roster
    .command('settings')
    .description('set the OneRoster REST source and the nightly sync time (what is not given is kept)')
    .requiredOption('--district <slug>', 'district slug')
    .option('--base-url <url>', 'the rostering service, e.g. https://sis.example.org/ims/oneroster/rostering/v1p2')
    .option('--token-url <url>', 'the OAuth 2 token endpoint')
    .option('--client-id <id>', 'OAuth 2 client ID')
    .option('--client-secret <secret>', 'OAuth 2 client secret (stored encrypted; or set HAVEN_ROSTER_CLIENT_SECRET)')
    .option('--version <version>', 'OneRoster version: 1.1 or 1.2')
    .option('--sync-time <HH:MM>', 'local time of the nightly sync in the district\'s time zone, or "off"')
    .option('--remove', 'remove the source and the nightly sync')
    .action(async (options: Record<string, string | boolean | undefined> & { district: string }) => {
      const version = options.version as string | undefined;
      if (version !== undefined && version !== '1.1' && version !== '1.2') {
        process.stderr.write(`--version is "${version}"; use 1.1 or 1.2.\n`);
        return exit(2);
      }
      const syncTime = options.syncTime as string | undefined;
      const change: RosterSettingsInput = options.remove
        ? { baseUrl: null }
        : {
            ...(options.baseUrl !== undefined ? { baseUrl: String(options.baseUrl) } : {}),
            ...(options.tokenUrl !== undefined ? { tokenUrl: String(options.tokenUrl) } : {}),
            ...(options.clientId !== undefined ? { clientId: String(options.clientId) } : {}),
            ...((options.clientSecret ?? process.env.HAVEN_ROSTER_CLIENT_SECRET)
              ? { clientSecret: String(options.clientSecret ?? process.env.HAVEN_ROSTER_CLIENT_SECRET) }
              : {}),
            ...(version ? { version } : {}),
            ...(syncTime !== undefined ? { syncTime: syncTime === 'off' ? null : syncTime } : {}),
          };
      if (change.syncTime && !/^([01]\d|2[0-3]):[0-5]\d$/.test(change.syncTime)) {
        process.stderr.write(`--sync-time is "${change.syncTime}"; write HH:MM on a 24-hour clock, e.g. 02:00, or "off".\n`);
        return exit(2);
      }
      exit(
        await withRuntime(async ({ deps }) => {
          const district = await findDistrictBySlug(deps, options.district);
          const saved = await saveRosterSettings(deps, district.id, change, { userId: null, label: 'system: command line' });
          print(
            saved.baseUrl
              ? `OneRoster ${saved.version} from ${saved.baseUrl} (client ${saved.clientId}, secret ${saved.clientSecretSet ? 'set' : 'not set'}); nightly sync ${saved.syncTime ? `at ${saved.syncTime} ${saved.timeZone}` : 'off'}.`
              : 'No OneRoster source: the roster changes only by import.',
          );
          return 0;
        }),
      );
    });
  roster
    .command('watch <folder>')
    .description('import each OneRoster .zip that appears in a folder (an SFTP drop), then move it to done/ or failed/ with its summary')
    .requiredOption('--district <slug>', 'district slug')
    .option('--interval <seconds>', 'how often to look', '5')
    .action(async (folder: string, options: { district: string; interval: string }) => {
      if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
        process.stderr.write(`${folder} is not a folder.\n`);
        return exit(2);
      }
      const interval = Number(options.interval);
      if (!Number.isFinite(interval) || interval < 1) {
        process.stderr.write('--interval is the number of seconds between looks, 1 or more.\n');
        return exit(2);
      }
      exit(
        await withRuntime(async ({ deps }) => {
          const district = await findDistrictBySlug(deps, options.district);
          const stop = new AbortController();
          for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
          print(`Watching ${path.resolve(folder)} for OneRoster .zip files for ${district.slug}; Ctrl+C stops.`);
          await watchDropFolder(deps, district.id, folder, { intervalMs: interval * 1000, log: print, signal: stop.signal });
          return 0;
        }),
      );
    });
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
