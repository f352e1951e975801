import fs from 'node:fs';
import path from 'node:path';
import { isDatabaseUnavailable } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { HttpProblem, loggableError } from '../../platform/errors.ts';
import { ZipRefused } from '../../platform/zip.ts';
import { RosterFileError } from './oneroster-files.rules.ts';
import { importOneRoster, readExportZip, recordFailedImport } from './roster.service.ts';
import { describe } from './roster-summary.rules.ts';

/**
 * The SFTP drop folder: an SIS (or a person) puts a OneRoster .zip in a folder, and Haven imports
 * it like an upload. A file is read only once its size and modification time have held still
 * between two looks, because an SFTP upload in progress is already visible with part of its
 * bytes. Each file then moves to `done/` or `failed/` with `<name>.summary.txt` beside it, so the
 * folder itself only ever holds what is still to come, and a file is never imported twice.
 * The folder is polled rather than watched: inotify does not see writes made over NFS or by some
 * SFTP servers, and a poll every few seconds costs nothing.
 */

const by = 'system: roster drop folder';

export type DropFolderSeen = Map<string, { size: number; mtimeMs: number }>;
export type DropOutcome = { file: string; outcome: 'done' | 'failed'; movedTo: string };

/** A name in `dir` that is not taken: `export.zip`, else `export-2026-11-29T09-00-00Z.zip`. */
function freeName(dir: string, name: string, now: Date): string {
  if (!fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const ext = path.extname(name);
  for (let n = 1; ; n++) {
    const candidate = path.join(dir, `${path.basename(name, ext)}-${stamp}${n > 1 ? `-${n}` : ''}${ext}`);
    if (!fs.existsSync(candidate)) return candidate;
  }
}

function settle(folder: string, name: string, outcome: 'done' | 'failed', lines: string[], now: Date): DropOutcome {
  const dir = path.join(folder, outcome);
  fs.mkdirSync(dir, { recursive: true });
  const target = freeName(dir, name, now);
  fs.renameSync(path.join(folder, name), target);
  fs.writeFileSync(`${target}.summary.txt`, `${lines.join('\n')}\n`);
  return { file: name, outcome, movedTo: target };
}

/**
 * One look at the folder: files that have held still since the last look are imported and moved;
 * the others are remembered for the next. A file another import is busy for (409), or that met a
 * database outage, stays where it is and is tried again.
 */
export async function scanDropFolder(
  deps: Deps,
  districtId: string,
  folder: string,
  seen: DropFolderSeen,
  options: { log?: (message: string) => void } = {},
): Promise<DropOutcome[]> {
  const outcomes: DropOutcome[] = [];
  const names = fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.zip'))
    .map((e) => e.name)
    .sort();
  for (const name of [...seen.keys()]) if (!names.includes(name)) seen.delete(name);
  for (const name of names) {
    const stat = fs.statSync(path.join(folder, name));
    const before = seen.get(name);
    seen.set(name, { size: stat.size, mtimeMs: stat.mtimeMs });
    if (!before || before.size !== stat.size || before.mtimeMs !== stat.mtimeMs || stat.size === 0) continue;
    const now = deps.clock.now();
    try {
      const files = readExportZip(new Uint8Array(fs.readFileSync(path.join(folder, name))));
      const summary = await importOneRoster(deps, districtId, files, { dryRun: false, source: 'drop folder', by, file: name });
      outcomes.push(settle(folder, name, 'done', describe(summary), now));
      options.log?.(`Imported ${name}; its summary is beside it in done/.`);
    } catch (error) {
      if ((error instanceof HttpProblem && error.status === 409) || isDatabaseUnavailable(error)) {
        options.log?.(`${name} waits: ${error instanceof HttpProblem ? error.detail : 'the database is unreachable'}.`);
        continue;
      }
      const known = error instanceof RosterFileError || error instanceof ZipRefused;
      const message = known
        ? `${error.message}${error.message.endsWith('.') ? '' : '.'} Nothing was imported.`
        : 'An unexpected error; the log has the details. Nothing was imported.';
      if (!known) options.log?.(`Could not import ${name}: ${loggableError(error).message}`);
      await recordFailedImport(deps, districtId, { source: 'drop folder', format: 'oneroster', by, error: message, file: name });
      outcomes.push(settle(folder, name, 'failed', [`Failed: ${message}`], now));
      options.log?.(`Could not import ${name}; it is in failed/ with why.`);
    }
    seen.delete(name);
  }
  return outcomes;
}

/** Looks at the folder every `intervalMs` until `signal` aborts: `haven roster watch`. */
export async function watchDropFolder(
  deps: Deps,
  districtId: string,
  folder: string,
  options: { intervalMs?: number; log?: (message: string) => void; signal?: AbortSignal } = {},
): Promise<void> {
  const seen: DropFolderSeen = new Map();
  for (const sub of ['done', 'failed']) fs.mkdirSync(path.join(folder, sub), { recursive: true });
  while (!options.signal?.aborted) {
    try {
      await scanDropFolder(deps, districtId, folder, seen, options);
    } catch (error) {
      // The folder vanished for a moment (a remount) or the database is away: look again later.
      options.log?.(`The drop folder could not be read this time: ${loggableError(error).message}`);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.intervalMs ?? 5000);
      options.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}
