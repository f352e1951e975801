import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A public sample file (OneRoster, HSDS, FHIR) from the shared fixtures kept beside the repository
 * and read verbatim (they are not copied in). A clone made elsewhere finds them beside the
 * repository it was cloned from; HAVEN_SHARED_FIXTURES names the folder explicitly.
 */
export function sharedFixture(relative: string): string {
  const candidates = [process.env.HAVEN_SHARED_FIXTURES, path.resolve(repository, '../shared/fixtures'), originFixtures()].filter((c): c is string =>
    Boolean(c),
  );
  for (const folder of candidates) {
    const full = path.join(folder, relative);
    if (fs.existsSync(full)) return full;
  }
  throw new Error(`The shared fixture ${relative} is not in ${candidates.join(' or ')}; set HAVEN_SHARED_FIXTURES to the folder that holds it.`);
}

function originFixtures(): string | undefined {
  try {
    const origin = execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd: repository, encoding: 'utf8' }).trim();
    return origin && !/^[a-z]+:\/\//i.test(origin) && !origin.includes('@') ? path.resolve(repository, origin, '../shared/fixtures') : undefined;
  } catch {
    return undefined;
  }
}
