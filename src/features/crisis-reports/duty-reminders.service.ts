import { inArray, sql } from 'drizzle-orm';
import { reports } from '../../data/reports.ts';
import { mandatoryReportCategories } from '../../data/reports.values.ts';
import type { Deps } from '../../platform/deps.ts';
import type { SourceHandlers } from '../../platform/outbox/outbox.sender.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';

/** Hours between reminders to the person who filed a concern of abuse, while the duty is unmet. */
export const dutyReminderHours = 4;
/** Reminders stop after this long; the case's own escalation and the administrators take over. */
const remindForHours = 72;

const hotline = '1-844-CO-4-KIDS (1-844-264-5437)';

/** The outbox source of a reminder: the report it is about. */
const dutyReminderSource = 'report.duty_reminder';

/**
 * The duty to report suspected abuse belongs to whoever suspects it and cannot be handed to a
 * principal (C.R.S. 19-3-304). The staff member who filed such a concern is reminded, every few
 * hours, until a mandatory report is recorded on a case opened from it or an administrator records
 * a finding of no reasonable cause. The reminder names no student. It goes through the outbox, and
 * counts as given only once it has gone: the audit event that marks it is written by the sender
 * on success (`dutyReminderOutboxSources`). While one is waiting to go, no other is queued, so two
 * workers never remind twice and a restart loses nothing. Returns how many were queued.
 */
export async function remindReportingDuty(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const due = new Date(now.getTime() - dutyReminderHours * 3_600_000);
  const since = new Date(now.getTime() - remindForHours * 3_600_000);
  return deps.db.system.transaction(async (tx) => {
    const { rows } = await tx.execute<{ id: string; district_id: string; email: string; language: string; received_at: Date }>(sql`
      select r.id, r.district_id, u.email, u.preferred_language as language, r.received_at
      from reports r join users u on u.id = r.entered_by_user_id
      where r.category in (${sql.join(
        mandatoryReportCategories.map((c) => sql`${c}`),
        sql`, `,
      )})
        and r.received_at > ${since} and r.received_at <= ${due}
        and not exists (select 1 from case_reports cr join case_records rec on rec.case_id = cr.case_id and rec.kind = 'mandatory_report'
                        where cr.report_id = r.id)
        and not exists (select 1 from audit_events a where a.district_id = r.district_id and a.subject_id = r.id::text
                          and a.action = 'report.no_cause_finding')
        and coalesce((select max(a.at) from audit_events a where a.district_id = r.district_id and a.subject_id = r.id::text
                        and a.action = 'report.duty_reminded'), r.received_at) <= ${due}
        and not exists (select 1 from outbox o where o.source_type = ${dutyReminderSource} and o.source_id = r.id::text and o.status = 'pending')
      order by r.received_at
      limit 100
      for update of r skip locked`);
    for (const row of rows) {
      const spanish = row.language.startsWith('es');
      const hours = Math.floor((now.getTime() - new Date(row.received_at).getTime()) / 3_600_000);
      await enqueueMessage(deps, tx, {
        districtId: row.district_id,
        purpose: dutyReminderSource,
        source: { type: dutyReminderSource, id: row.id },
        message: {
          kind: 'email',
          to: row.email,
          subject: spanish ? 'Haven: su deber de reportar sigue pendiente' : 'Haven: your duty to report is still open',
          text: spanish
            ? `Hace ${hours} horas usted registró una sospecha de abuso o negligencia. El deber de reportar es suyo y no se puede delegar en la dirección: llame a la línea de Colorado ${hotline} (o a la policía) si aún no lo hizo. Cuando el reporte quede registrado en Haven, estos recordatorios paran.\n${deps.settings.publicUrl}`
            : `${hours} hours ago you recorded a concern of suspected abuse or neglect. The duty to report is yours and cannot be handed to a principal: call the Colorado hotline ${hotline} (or law enforcement) if you have not yet. These reminders stop when the report is recorded in Haven.\n${deps.settings.publicUrl}`,
        },
      });
    }
    return rows.length;
  });
}

/**
 * A reminder that has gone is recorded on its report (the audit event the next sweep counts four
 * hours from), in the transaction that marks the message sent. One that failed is not: the
 * next sweep queues another.
 */
export function dutyReminderOutboxSources(deps: Pick<Deps, 'audit'>): SourceHandlers {
  return {
    [dutyReminderSource]: async (tx, settled) => {
      const sent = settled.filter((s) => s.ok && s.districtId);
      if (sent.length === 0) return;
      const received = await tx
        .select({ id: reports.id, receivedAt: reports.receivedAt })
        .from(reports)
        .where(
          inArray(
            reports.id,
            sent.map((s) => s.sourceId),
          ),
        );
      for (const s of sent) {
        const at = received.find((r) => r.id === s.sourceId)?.receivedAt;
        const hours = at ? Math.floor((s.at.getTime() - at.getTime()) / 3_600_000) : null;
        await deps.audit.append(
          tx,
          s.districtId as string,
          { userId: null, label: 'Haven' },
          { action: 'report.duty_reminded', subjectType: 'report', subjectId: s.sourceId, detail: { hours } },
        );
      }
    },
  };
}
