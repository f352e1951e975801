import { sql } from 'drizzle-orm';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { mandatoryReportCategories } from './crisis-reports.values.ts';

/** Hours between reminders to the person who filed a concern of abuse, while the duty is unmet. */
export const dutyReminderHours = 4;
/** Reminders stop after this long; the case's own escalation and the administrators take over. */
const remindForHours = 72;

const hotline = '1-844-CO-4-KIDS (1-844-264-5437)';

/**
 * The duty to report suspected abuse belongs to whoever suspects it and cannot be handed to a
 * principal (C.R.S. 19-3-304). The staff member who filed such a concern is reminded, every few
 * hours, until a mandatory report is recorded on a case opened from it or an administrator records
 * a finding of no reasonable cause. The reminder names no student; the last one sent is an audit
 * event, so two workers never remind twice and a restart loses nothing. Returns how many went out.
 */
export async function remindReportingDuty(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const due = new Date(now.getTime() - dutyReminderHours * 3_600_000);
  const since = new Date(now.getTime() - remindForHours * 3_600_000);
  const { rows } = await deps.db.system.execute<{ id: string; district_id: string; email: string; name: string; language: string; received_at: Date }>(sql`
    select r.id, r.district_id, u.email, u.display_name as name, u.preferred_language as language, r.received_at
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
    order by r.received_at
    limit 100`);
  let sent = 0;
  for (const row of rows) {
    const spanish = row.language.startsWith('es');
    const hours = Math.floor((now.getTime() - new Date(row.received_at).getTime()) / 3_600_000);
    try {
      await deps.mailer.send({
        to: row.email,
        subject: spanish ? 'Haven: su deber de reportar sigue pendiente' : 'Haven: your duty to report is still open',
        text: spanish
          ? `Hace ${hours} horas usted registró una sospecha de abuso o negligencia. El deber de reportar es suyo y no se puede delegar en la dirección: llame a la línea de Colorado ${hotline} (o a la policía) si aún no lo hizo. Cuando el reporte quede registrado en Haven, estos recordatorios paran.\n${deps.settings.publicUrl}`
          : `${hours} hours ago you recorded a concern of suspected abuse or neglect. The duty to report is yours and cannot be handed to a principal: call the Colorado hotline ${hotline} (or law enforcement) if you have not yet. These reminders stop when the report is recorded in Haven.\n${deps.settings.publicUrl}`,
      });
    } catch {
      continue; // not marked: the next sweep tries again
    }
    await withTenant(deps.db.app, { districtId: row.district_id }, (tx) =>
      deps.audit.append(
        tx,
        row.district_id,
        { userId: null, label: 'Haven' },
        { action: 'report.duty_reminded', subjectType: 'report', subjectId: row.id, detail: { hours } },
      ),
    );
    sent += 1;
  }
  return sent;
}
