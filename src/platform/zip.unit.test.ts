import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readZip, ZipRefused } from './zip.ts';

const csv = (text: string) => new TextEncoder().encode(text);
const limits = { maxEntries: 5, maxEntryBytes: 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024 };
const all = () => true;

describe('reading an uploaded .zip within limits', () => {
  it('unpacks the wanted entries by base name, and leaves the rest packed', () => {
    const files = readZip(zipSync({ 'export/users.csv': csv('sourcedId\nu1\n'), 'export/notes.txt': csv('hello') }), (n) => n.endsWith('.csv'), limits);
    expect([...files.keys()]).toEqual(['users.csv']);
    expect(new TextDecoder().decode(files.get('users.csv'))).toBe('sourcedId\nu1\n');
  });

  it('stops a file that inflates past the per-file limit while it is inflating, and says which', () => {
    // 64 MB of zeros packs into about 64 KB: a small "zip bomb".
    const bomb = zipSync({ 'users.csv': new Uint8Array(64 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(200 * 1024);
    const started = performance.now();
    expect(() => readZip(bomb, all, limits)).toThrow(new ZipRefused('users.csv is larger than 1 MB once unpacked.'));
    // Stopped at the limit, not after inflating all 64 MB.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('stops when all the files together pass the total limit', () => {
    const part = new Uint8Array(900 * 1024);
    expect(() => readZip(zipSync({ 'a.csv': part, 'b.csv': part, 'c.csv': part }), all, limits)).toThrow('The archive is larger than 2 MB once unpacked.');
  });

  it('refuses an archive with too many entries, and a file that is not a zip', () => {
    const many = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.csv`, csv('x')]));
    expect(() => readZip(zipSync(many), all, limits)).toThrow('The archive holds more than 5 files.');
    expect(() => readZip(csv('student_id,name\n1,Ana\n'), all, limits)).toThrow('That file is not a readable .zip archive.');
  });
});
