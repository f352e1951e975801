/** Pure rules about reports: follow-up codes, duplicate linking, what a reporter may see. */

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** A follow-up code from 60 random bits (12 symbols), shown as XXXX-XXXX-XXXX. */
export function formatFollowUpCode(random: Uint8Array): string {
  let bits = 0n;
  for (const byte of random.slice(0, 8)) bits = (bits << 8n) | BigInt(byte);
  bits >>= 4n; // 64 bits in, the top 60 used
  let code = '';
  for (let i = 0; i < 12; i++) {
    code += alphabet[Number(bits & 31n)];
    bits >>= 5n;
  }
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Reads a code as people type it: any case, spaces or dashes, O for 0 and I or L for 1. */
export function normalizeFollowUpCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{12}$/.test(compact)) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
}

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length >= 4),
  );
}

/** Jaccard similarity of the reports' words (0..1). */
export function similarity(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared += 1;
  return shared / (x.size + y.size - shared);
}

export const duplicateWindowHours = 72;

export type Comparable = { schoolId: string | null; aboutPerson: string | null; description: string; receivedAt: Date };

/**
 * Two reports belong to one incident when they arrive within 72 hours and either name the same
 * person, or concern the same school with similar words. They are linked, never merged or dropped:
 * a hoax can bring hundreds of reports, and one of them may be the real one.
 */
export function sameIncident(a: Comparable, b: Comparable): boolean {
  if (Math.abs(a.receivedAt.getTime() - b.receivedAt.getTime()) > duplicateWindowHours * 3_600_000) return false;
  const person = (p: string | null) => p?.trim().toLowerCase().replace(/\s+/g, ' ') || null;
  if (person(a.aboutPerson) && person(a.aboutPerson) === person(b.aboutPerson)) return true;
  return a.schoolId !== null && a.schoolId === b.schoolId && similarity(a.description, b.description) >= 0.5;
}

/** What the reporter sees: only whether someone is acting, never who or what was found. */
export function reporterStatus(report: { status: string; acknowledgedAt: Date | null }): 'received' | 'in_progress' | 'closed' {
  if (report.status === 'closed') return 'closed';
  return report.acknowledgedAt ? 'in_progress' : 'received';
}
