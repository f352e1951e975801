/**
 * Substance-use programs (42 CFR Part 2). What such a program tells the school about a student is
 * a Part 2 record: it may flow back only as far as the student's written consent allows, and every
 * time school staff see it, it comes with the federal notice against redisclosure (42 CFR 2.32).
 * Pure and table-tested; the views apply it to everything the school sees of the referral.
 */

/** The partner directory's service type for a substance-use program (matching.rules.ts). */
export const isPart2Service = (serviceType: string) => serviceType === 'substance_use';

/**
 * What the student's Part 2 consent lets the program tell the school: nothing, whether the student
 * is coming (accepted, scheduled, attended, finished), or that and the program's own notes.
 */
export const part2Scopes = ['none', 'attendance', 'attendance_and_progress'] as const;
export type Part2Scope = (typeof part2Scopes)[number];

export const part2ScopeMeaning: Record<Part2Scope, string> = {
  none: "The student's consent lets the program tell the school nothing about their care.",
  attendance: "The student's consent lets the program tell the school about attendance only (accepted, scheduled, attended, ended), not the program's notes.",
  attendance_and_progress: "The student's consent lets the program tell the school about attendance and progress, with the program's notes.",
};

/**
 * 42 CFR 2.32(a)(1), "Statement 1", as amended by the final rule of February 16, 2024 (89 FR
 * 12472), word for word. 2.32(b) also asks for the consent or a clear explanation of its scope,
 * which the views give beside it (part2ScopeMeaning).
 */
export const redisclosureNotice = [
  'This record which has been disclosed to you is protected by Federal confidentiality rules (42 CFR part 2). These rules prohibit you from using or disclosing this record, or testimony that describes the information contained in this record, in any civil, criminal, administrative, or legislative proceedings by any Federal, State, or local authority, against the patient, unless authorized by the consent of the patient, except as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, the Federal rules prohibit you from making any other use or disclosure of this record unless at least one of the following applies:',
  '(i) Further use or disclosure is expressly permitted by the written consent of the individual whose information is being disclosed in this record or as otherwise permitted by 42 CFR part 2.',
  '(ii) You are a covered entity or business associate and have received the record for treatment, payment, or health care operations, or',
  '(iii) You have received the record from a covered entity or business associate as permitted by 45 CFR part 164, subparts A and E.',
  'A general authorization for the release of medical or other information is NOT sufficient to meet the required elements of written consent to further use or redisclose the record (see 42 CFR 2.31).',
].join('\n');

export type FlowEvent = { at: string; side: string; from: string | null; to: string; reason: string | null };

/**
 * What the school may see of a referral to a Part 2 program. With no scope (not a Part 2 program)
 * or "attendance and progress", everything. With "attendance", the statuses and the appointment but
 * none of the program's reasons or notes. With "none", only what the school itself did: the
 * program's moves, the appointment and the first visit stay with the program.
 */
export function schoolSees<A>(
  scope: Part2Scope | undefined,
  r: { status: string; statusReason: string | null; appointment: A | null; firstSeenAt: string | null; events: FlowEvent[] },
): { status: string; statusReason: string | null; appointment: A | null; firstSeenAt: string | null; events: FlowEvent[]; withheld: boolean } {
  if (scope === undefined || scope === 'attendance_and_progress') return { ...r, withheld: false };
  if (scope === 'attendance') {
    const last = r.events.at(-1);
    return {
      ...r,
      statusReason: last?.side === 'partner' ? null : r.statusReason,
      events: r.events.map((e) => (e.side === 'partner' ? { ...e, reason: null } : e)),
      withheld: true,
    };
  }
  const own = r.events.filter((e) => e.side !== 'partner');
  const last = own.at(-1);
  return { status: last?.to ?? 'requested', statusReason: last?.reason ?? null, appointment: null, firstSeenAt: null, events: own, withheld: true };
}

/** The follow-through may tell the counselor about appointments only if attendance may flow back. */
export const followThroughAllowed = (scope: Part2Scope | undefined) => scope !== 'none';

/**
 * The Part 2 scope that governs a referral: none for any other service; for a substance-use
 * program, the scope recorded at sending, or nothing at all when none was recorded (a referral
 * sent before scopes were recorded), because without a consent on file nothing may flow back.
 */
export function part2ScopeOf(serviceType: string, recorded: Part2Scope | undefined): Part2Scope | undefined {
  if (!isPart2Service(serviceType)) return undefined;
  return recorded ?? 'none';
}
