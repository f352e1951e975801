import path from 'node:path';
import { fileURLToPath } from 'node:url';

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

/**
 * A file or folder under `test/fixtures/` (public sample files kept verbatim, and Haven's own;
 * see `test/fixtures/SOURCES.md`). Tests read nothing outside the repository, so a fresh clone
 * passes `npm test` on its own.
 */
export function fixture(relative: string): string {
  return path.join(folder, relative);
}
