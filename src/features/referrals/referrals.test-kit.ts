import { eq } from 'drizzle-orm';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { addCounselingService } from '../../../test/support/partners.ts';
import { guardians, studentGuardians, type students } from '../../data/students.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';

/**
 * The referral feature tests' shared scene: a Haven that keeps every e-mail it sends, Lincoln
 * Middle's district with Dr. Cho's Front Range Family Counseling, and students whose guardian
 * reads the given language at an address of her own. Not a test file itself.
 */
export async function referralScene(serviceTypes: string[] = ['counseling']) {
  const mail: Mail[] = [];
  const haven: TestHaven = await startTestHaven({ mailer: { send: async (m) => void mail.push(m) } });
  const d = await createDistrict(haven.deps);
  const service = await addCounselingService(haven.deps, d.district.id, d.partnerId, { serviceTypes });
  // A request, then the outbox's pass the worker would make, so `mail` holds what went out.
  const call = async (session: Session, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const response = await haven.app.inject({ method, url, headers: session.headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
    await sendOutbox(haven.deps);
    return response;
  };
  const sessions = async () => ({
    rivera: await signIn(haven.app, d.people.rivera.email),
    cho: await signIn(haven.app, d.people.cho.email),
    whitfield: await signIn(haven.app, d.people.whitfield.email),
  });
  /** A Lincoln student; her mother, Rosa, has an e-mail address and reads `language`. */
  const student = async (overrides: Partial<typeof students.$inferInsert> = {}, language = 'es') => {
    const s = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, overrides);
    const [link] = await haven.deps.db.system.select().from(studentGuardians).where(eq(studentGuardians.studentId, s.id));
    const email = `rosa.${s.id.slice(-12)}@family.test`;
    await haven.deps.db.system
      .update(guardians)
      .set({ email, preferredLanguage: language })
      .where(eq(guardians.id, link?.guardianId as string));
    return { id: s.id, guardianEmail: email };
  };
  const draft = async (session: Session, studentId: string, change: Record<string, unknown> = {}) => {
    const created = await call(session, 'POST', '/api/v1/referrals', {
      studentId,
      serviceId: service.id,
      serviceType: serviceTypes[0],
      urgency: 'routine',
      preferences: { language: 'es', languageRequired: true, insurance: 'medicaid', times: 'after school' },
      familySharedNote: 'Counselor: anxious about grades at home.',
      ...change,
    });
    if (created.statusCode !== 201) throw new Error(`draft failed: ${created.body}`);
    return created.json().id as string;
  };
  const accessLog = async (session: Session, studentId: string) =>
    (await call(session, 'GET', `/api/v1/students/${studentId}/access-log`)).json().entries as { action: string; actor: string; reason: string | null }[];
  return { haven, d, service, mail, call, sessions, student, draft, accessLog };
}
