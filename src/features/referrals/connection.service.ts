import type { z } from 'zod';
import { type Actor, auditActor } from '../../access/actor.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { factsOf, guardianMayBeTold } from './consent-paths.rules.ts';
import { loadReferral, recordFacts, sideOf } from './referral-access.ts';
import type { guardianTellInput } from './referrals.schema.ts';

/**
 * The guardian of a student-initiated connection may now be told: the student agreed (either
 * side records it), or the treating clinician finds telling the guardian necessary (C.R.S.
 * 12-245-203.5 leaves that to the professional, so only the partner's side may record it, and
 * only with the reason). From then on the partner sees the guardian's contact and the guardian is
 * sent the appointment invitation; the access log keeps who decided, when and why.
 */
export async function letGuardianBeTold(deps: Deps, actor: Actor, id: string, input: z.infer<typeof guardianTellInput>) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const r = isUuid(id) ? await loadReferral(tx, id) : undefined;
    const side = r ? sideOf(actor, r) : null;
    if (!r || !side) throw notFound('That referral');
    const connection = factsOf(r.preferences).studentConnection;
    if (!connection)
      throw badRequest(
        r.status === 'draft'
          ? "Choose the student's own consent when you send the referral, with what the student decides about their guardian."
          : "This referral was not sent on the student's own consent; nothing about the guardian is held back.",
        {
          code: 'not_student_consent',
          es:
            r.status === 'draft'
              ? 'Elija el consentimiento del propio estudiante al enviar la derivación, junto con lo que el estudiante decida sobre su tutor.'
              : 'Esta derivación no se envió con el consentimiento del propio estudiante; no se oculta nada sobre el tutor.',
        },
      );
    if (input.because === 'clinician_necessity' && side !== 'partner')
      throw badRequest('Only the treating clinician at the partner can record that telling the guardian is necessary.', {
        code: 'clinician_only',
        es: 'Solo el profesional clínico del socio que atiende al estudiante puede registrar que es necesario informar al tutor.',
      });
    const reason = input.reason?.trim() || null;
    if (input.because === 'clinician_necessity' && !reason)
      throw badRequest("Say why telling the guardian is necessary (C.R.S. 12-245-203.5); the reason is kept in the student's access log.", {
        code: 'necessity_reason_required',
        es: 'Explique por qué es necesario informar al tutor (C.R.S. 12-245-203.5); el motivo se guarda en el registro de acceso del estudiante.',
      });
    if (guardianMayBeTold(connection)) return { id: r.id, guardianMayBeTold: true };
    const guardianTold = { because: input.because, reason, byUserId: actor.userId, at: deps.clock.now().toISOString() };
    await recordFacts(tx, r.id, { studentConnection: { ...connection, guardianTold } });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'referral.guardian_may_be_told',
      subjectType: 'referral',
      subjectId: r.id,
      studentId: r.studentId,
      reason:
        input.because === 'clinician_necessity'
          ? `the treating clinician found telling the guardian necessary: ${reason}`
          : `the student agreed that the guardian may be told${reason ? `: ${reason}` : ''}`,
      detail: { because: input.because, side, fields: ['guardian_contact'] },
    });
    return { id: r.id, guardianMayBeTold: true };
  });
}
