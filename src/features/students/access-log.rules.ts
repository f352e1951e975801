/**
 * A student's access log in words a family reads (FERPA 34 CFR 99.32 and 99.10): who looked, in
 * what role, at what, and why; to whom something was disclosed and on what basis. Audit events
 * keep codes and English reasons (they are hashed and never rewritten); this turns each one into
 * sentences in English or Spanish, and never shows a code. Pure, so it is a table test.
 */

export type LogLanguage = 'en' | 'es';
export type LogKind = 'look' | 'disclosure' | 'notice' | 'change';

export type LogEvent = {
  action: string;
  actor: string;
  reason: string | null;
  subjectType: string | null;
  subjectId: string | null;
  detail: Record<string, unknown>;
};

export type DescribedEvent = { kind: LogKind; who: string; whom: string | null; what: string; why: string };

type Words = Record<LogLanguage, string>;
const w = (en: string, es: string): Words => ({ en, es });

const roles: Record<string, Words> = {
  district_admin: w('district administrator', 'administrador(a) del distrito'),
  school_admin: w('school administrator', 'administrador(a) de la escuela'),
  counselor: w('counselor', 'consejero(a)'),
  crisis_team: w('crisis team member', 'miembro del equipo de crisis'),
  staff: w('teacher or school staff', 'maestro(a) o personal de la escuela'),
  partner: w('community partner', 'profesional de una organización de la comunidad'),
  analyst: w('data analyst', 'analista de datos'),
};
/** Roles as audit reasons wrote them: the code with its first underscore as a space. */
const roleByWords = new Map(Object.keys(roles).map((code) => [code.replace('_', ' '), code]));

export const kindWords: Record<LogKind, Words> = {
  look: w('Look', 'Consulta'),
  disclosure: w('Disclosure', 'Divulgación'),
  notice: w('Notice to the family', 'Aviso a la familia'),
  change: w('Change', 'Cambio'),
};

const places: Record<string, Words> = {
  student_search: w('student search results', 'los resultados de una búsqueda de estudiantes'),
  support_queue: w('the “Needs support now” list', 'la lista «Necesita apoyo ahora»'),
  follow_up_queue: w('the list of screenings waiting for follow-up', 'la lista de evaluaciones pendientes de seguimiento'),
  caseload: w('their caseload', 'su lista de estudiantes asignados'),
  screening_roster: w('the list of students in a screening', 'la lista de estudiantes de una evaluación'),
  referral_list: w('the school’s list of referrals', 'la lista de derivaciones de la escuela'),
  partner_referral_list: w('the list of referrals sent to their organization', 'la lista de derivaciones enviadas a su organización'),
  case_list: w('the list of crisis cases', 'la lista de casos de crisis'),
  report_list: w('the list of crisis reports', 'la lista de reportes de crisis'),
  screening_notices: w('printed screening notices for families', 'los avisos de evaluación impresos para las familias'),
};

const bases: Record<string, Words> = {
  guardian_consent: w('the guardian’s written consent', 'el consentimiento por escrito del padre, la madre o el tutor'),
  school_official: w(
    'a partner under contract acting as a school official (34 CFR 99.31(a)(1))',
    'una organización con contrato que actúa como funcionario escolar (34 CFR 99.31(a)(1))',
  ),
  emergency_99_36: w('a health-or-safety emergency (34 CFR 99.36)', 'una emergencia de salud o seguridad (34 CFR 99.36)'),
  student_consent: w('the student’s own consent, as Colorado law allows', 'el consentimiento del propio estudiante, como lo permite la ley de Colorado'),
};

const fields: Record<string, Words> = {
  name: w('name', 'nombre'),
  name_given_by_student: w('the name the student gave', 'el nombre que dio el estudiante'),
  age_or_grade: w('age and grade', 'edad y grado'),
  age: w('age', 'edad'),
  grade: w('grade', 'grado'),
  guardian_contact: w('guardian’s contact details', 'datos de contacto de la familia'),
  need: w('the help needed', 'la ayuda que necesita'),
  urgency: w('how soon', 'la urgencia'),
  language: w('language', 'idioma'),
  preferences: w('preferences', 'preferencias'),
  family_shared_note: w('what the family chose to share', 'lo que la familia decidió compartir'),
  student_note: w('what the student chose to share', 'lo que el estudiante decidió compartir'),
  contact_route: w('how to reach the student', 'cómo comunicarse con el estudiante'),
};

const statuses: Record<string, Words> = {
  requested: w('sent', 'enviada'),
  accepted: w('accepted', 'aceptada'),
  rejected: w('declined', 'rechazada'),
  scheduled: w('appointment made', 'cita programada'),
  'in-progress': w('first visit attended', 'primera cita atendida'),
  'on-hold': w('on hold', 'en pausa'),
  completed: w('completed', 'terminada'),
  failed: w('did not happen', 'no se realizó'),
  cancelled: w('cancelled', 'cancelada'),
};

const caseRecords: Record<string, Words> = {
  suicide_assessment: w('a suicide risk assessment', 'una evaluación del riesgo de suicidio'),
  threat_assessment: w('a threat assessment', 'una evaluación de amenaza'),
  safety_plan: w('a safety plan', 'un plan de seguridad'),
  guardian_notice: w('the call to the family', 'la llamada a la familia'),
  reentry_plan: w('a plan for returning to school', 'un plan de regreso a la escuela'),
  handoff: w('a hand-off to crisis services', 'un traslado a servicios de crisis'),
  mandatory_report: w('the mandatory report of suspected abuse or neglect', 'el reporte obligatorio de sospecha de abuso o negligencia'),
  closure: w('how the case ended', 'cómo terminó el caso'),
};

const handoffTargets: Record<string, Words> = {
  colorado_crisis_services: w('Colorado Crisis Services', 'Colorado Crisis Services'),
  '988': w('the 988 Suicide & Crisis Lifeline', 'la línea 988 de prevención del suicidio y crisis'),
  emergency_services_911: w('emergency services (911)', 'los servicios de emergencia (911)'),
  mobile_crisis: w('a mobile crisis team', 'un equipo móvil de crisis'),
  emergency_department: w('a hospital emergency department', 'la sala de emergencias de un hospital'),
};

/** What each action did, as a sentence; `{x}` is filled from the event. */
const actions: Record<string, [LogKind, Words]> = {
  'student.read': ['look', w('Opened the student’s profile', 'Abrió el perfil del estudiante')],
  'student.listed': ['look', w('Saw the student’s name in {place}', 'Vio el nombre del estudiante en {place}')],
  'student.timeline_read': ['look', w('Read the student’s timeline', 'Leyó la cronología del estudiante')],
  'student.teacher_notes_read': ['look', w('Read what the student’s plans ask of teachers', 'Leyó lo que los planes del estudiante piden a los maestros')],
  'student.contact_recorded': ['change', w('Recorded a conversation with the student', 'Anotó una conversación con el estudiante')],
  'student.access_log.read': ['look', w('Read this access log', 'Leyó este registro de accesos')],
  'student.access_log.exported': ['look', w('Prepared this access log for the family', 'Preparó este registro de accesos para la familia')],
  'plan.read': ['look', w('Read the student’s support plans', 'Leyó los planes de apoyo del estudiante')],
  'plan.created': ['change', w('Made a support plan', 'Hizo un plan de apoyo')],
  'plan.progress_recorded': ['change', w('Recorded progress on a support plan', 'Anotó el progreso de un plan de apoyo')],
  'plan.reviewed': ['change', w('Reviewed a support plan', 'Revisó un plan de apoyo')],
  'screening.history_read': ['look', w('Read the student’s screening results', 'Leyó los resultados de las evaluaciones del estudiante')],
  'screening.result_recorded': ['change', w('Recorded a screening result', 'Anotó el resultado de una evaluación')],
  'screening.results_imported': ['change', w('Brought in a screening result from another tool', 'Importó el resultado de una evaluación de otra herramienta')],
  'screening.followed_up': ['change', w('Followed up a screening result', 'Dio seguimiento al resultado de una evaluación')],
  'screening.code_issued': ['change', w('Gave the student a code to start a screening', 'Dio al estudiante un código para empezar una evaluación')],
  'screening.absent': ['change', w('Marked the student absent for a screening', 'Marcó al estudiante ausente en una evaluación')],
  'screening.started': ['change', w('The student started a screening', 'El estudiante empezó una evaluación')],
  'screening.declined': ['change', w('The student chose not to take part in a screening', 'El estudiante decidió no participar en una evaluación')],
  'screening.proctor_alerted': [
    'change',
    w('Asked the screening’s proctor to stay with the student', 'Pidió a quien aplicaba la evaluación que se quedara con el estudiante'),
  ],
  'screening.hold_released': [
    'change',
    w(
      'Released the screening device once the student was with the crisis team',
      'Liberó el dispositivo cuando el estudiante ya estaba con el equipo de crisis',
    ),
  ],
  'screening.consent': ['change', w('Recorded the family’s answer about screening', 'Anotó la respuesta de la familia sobre la evaluación')],
  'referral.created': ['change', w('Started a referral (nothing was sent yet)', 'Empezó una derivación (todavía no se envió nada)')],
  'referral.consent_recorded': [
    'change',
    w('Recorded the guardian’s written consent to share with partners', 'Anotó el consentimiento por escrito de la familia para compartir con organizaciones'),
  ],
  'referral.disclosed': ['disclosure', w('Sent a referral with: {fields}', 'Envió una derivación con: {fields}')],
  'referral.guardian_notified': [
    'notice',
    w('E-mailed the family who received the referral, and why', 'Envió un correo a la familia sobre quién recibió la derivación y por qué'),
  ],
  'referral.guardian_may_be_told': [
    'notice',
    w('Recorded that the family may be told about the student’s connection', 'Anotó que se puede informar a la familia sobre la conexión del estudiante'),
  ],
  'referral.read': ['look', w('Read a referral for the student', 'Leyó una derivación del estudiante')],
  'referral.exported': ['look', w('Exported a referral to another system', 'Exportó una derivación a otro sistema')],
  'referral.listed': ['look', w('Saw the student’s referral in a list', 'Vio la derivación del estudiante en una lista')],
  'referral.moved': ['change', w('Updated a referral: {status}', 'Actualizó una derivación: {status}')],
  'referral.follow_up_done': ['change', w('Completed a follow-up on a referral', 'Completó un seguimiento de una derivación')],
  'referral.consent_withdrawn': ['change', w('Recorded that the guardian withdrew consent', 'Anotó que la familia retiró su consentimiento')],
  'referral.access_withdrawn': [
    'change',
    w('Stopped sharing a referral after the consent was withdrawn', 'Dejó de compartir una derivación porque se retiró el consentimiento'),
  ],
  'case.read': ['look', w('Read a crisis case about the student', 'Leyó un caso de crisis sobre el estudiante')],
  'case.opened': ['change', w('Opened a crisis case', 'Abrió un caso de crisis')],
  'case.student_linked': ['change', w('Added the student to a crisis case', 'Agregó al estudiante a un caso de crisis')],
  'case.break_glass': [
    'look',
    w('Opened a crisis case from outside its team, in an emergency', 'Abrió un caso de crisis sin ser de su equipo, por una emergencia'),
  ],
  'case.safety_plan_printed': ['look', w('Printed the student’s safety plan', 'Imprimió el plan de seguridad del estudiante')],
  'case.safety_plan_shared': ['notice', w('Shared the safety plan with the family', 'Compartió el plan de seguridad con la familia')],
  'case.handoff_recorded': ['disclosure', w('Handed the student over to {target}', 'Pasó al estudiante a {target}')],
  'case.recorded': ['change', w('Recorded {record} on a crisis case', 'Anotó {record} en un caso de crisis')],
  'case.other': ['change', w('Moved a crisis case forward', 'Avanzó un caso de crisis')],
  'report.read': ['look', w('Read a crisis report about the student', 'Leyó un reporte de crisis sobre el estudiante')],
  'report.acknowledged': ['change', w('Took charge of a crisis report about the student', 'Se hizo cargo de un reporte de crisis sobre el estudiante')],
  'report.first_action': ['change', w('Acted on a crisis report about the student', 'Actuó sobre un reporte de crisis sobre el estudiante')],
  'report.student_contacted': ['change', w('Met with the student about a crisis report', 'Habló con el estudiante sobre un reporte de crisis')],
  'report.connected_to_help': [
    'change',
    w('Connected the student with help after a crisis report', 'Conectó al estudiante con ayuda después de un reporte de crisis'),
  ],
  'report.closed': ['change', w('Closed a crisis report about the student', 'Cerró un reporte de crisis sobre el estudiante')],
};
const fallback: [LogKind, Words] = ['change', w('Worked on the student’s record', 'Trabajó en el expediente del estudiante')];

/** Which sentence an action takes: exact first, then its family (case records, consent kinds). */
function actionOf(action: string): [LogKind, Words] {
  const exact = actions[action];
  if (exact) return exact;
  if (action.startsWith('screening.consent.')) return actions['screening.consent'] as [LogKind, Words];
  if (action.startsWith('case.') && action.endsWith('_recorded')) return actions['case.recorded'] as [LogKind, Words];
  if (action.startsWith('case.')) return actions['case.other'] as [LogKind, Words];
  return fallback;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const roleName = (code: string, lang: LogLanguage) => roles[code]?.[lang] ?? code.replaceAll('_', ' ');

/** "rivera (counselor, school_admin)" → "rivera, counselor and school administrator"; the system as Haven. */
export function personOf(label: string, lang: LogLanguage): string {
  if (label.startsWith('system')) return lang === 'es' ? 'Haven (automático)' : 'Haven (automatic)';
  const m = /^(.*) \(([a-z_, ]+)\)$/.exec(label);
  if (!m) return label;
  const list = (m[2] as string).split(', ').map((code) => roleName(code, lang));
  const joined = list.length > 1 ? `${list.slice(0, -1).join(', ')} ${lang === 'es' ? 'y' : 'and'} ${list.at(-1)}` : (list[0] ?? '');
  return `${m[1]}, ${joined}`;
}

/** "counselor at Lincoln Middle School" and the other stored reasons, said in the family's language. */
export function reasonIn(reason: string | null, lang: LogLanguage, organization: string | null): string {
  if (!reason) return '—';
  const es = lang === 'es';
  let m = /^([a-z ]+) at (.+)$/.exec(reason);
  const role = m ? roleByWords.get(m[1] as string) : undefined;
  if (m && role) {
    const where = m[2] === 'district level' ? (es ? 'todo el distrito' : 'the whole district') : (m[2] as string);
    return es ? `Su función: ${roleName(role, lang)} (${where})` : `Their role: ${roleName(role, lang)} (${where})`;
  }
  m = /^([a-z ]+) \((.+)\)$/.exec(reason);
  const inRole = m ? roleByWords.get(m[1] as string) : undefined;
  if (m && inRole) return es ? `Su función: ${roleName(inRole, lang)}` : `Their role: ${roleName(inRole, lang)}`;
  m = /^partner (.+): referral sent to them$/.exec(reason);
  if (m) return es ? `La derivación se envió a su organización (${m[1]})` : `The referral was sent to their organization (${m[1]})`;
  m = /^disclosed to .+ on (.+)$/.exec(reason);
  if (m) {
    const basis = bases[(m[1] as string).replaceAll(' ', '_')] ?? bases[m[1] as string];
    if (basis) return es ? `Con ${basis.es}` : `On ${basis.en}`;
  }
  if (reason.startsWith('connected with ')) return es ? `Con ${bases.student_consent?.es}` : `On ${bases.student_consent?.en}`;
  const known: Record<string, Words> = {
    'break the glass': w(
      'An emergency: the reason was recorded and the crisis team was told',
      'Una emergencia: se anotó el motivo y se avisó al equipo de crisis',
    ),
    'access log review': w('Reviewing who has seen the record', 'Revisar quién ha visto el expediente'),
    'referring school staff': w('School staff who made or follow the referral', 'Personal de la escuela que hizo o sigue la derivación'),
    "responsible for the student's support plan": w('Responsible for the student’s support plan', 'Responsable del plan de apoyo del estudiante'),
    'named proctor of the screening window': w('Named to give the screening', 'Designado(a) para aplicar la evaluación'),
    'named on the re-entry plan': w('Named on the plan for returning to school', 'Nombrado(a) en el plan de regreso a la escuela'),
    'assigned to the crisis case': w('Assigned to the crisis case', 'Asignado(a) al caso de crisis'),
    'staff at the school (what a support plan asks of teachers)': w('Staff at the school', 'Personal de la escuela'),
    'told of a disclosure under the health-or-safety emergency (34 CFR 99.36)': w(
      'The law asks the school to tell the family after an emergency disclosure',
      'La escuela informa a la familia después de compartir información por una emergencia',
    ),
    'the guardian withdrew the consent it was sent on; the partner no longer sees it': w(
      `The family withdrew consent; ${organization ?? 'the partner'} no longer sees it`,
      `La familia retiró su consentimiento; ${organization ?? 'la organización'} ya no la ve`,
    ),
    "answering a parent's request to inspect the record (FERPA 34 CFR 99.10)": w(
      'A family’s request to see the record (34 CFR 99.10)',
      'La solicitud de una familia de ver el expediente (34 CFR 99.10)',
    ),
  };
  return known[reason]?.[lang] ?? reason;
}

/** One event in words: what kind it is, who, to whom (disclosures), what was done, and why. */
export function describeEvent(e: LogEvent, lang: LogLanguage, organizationName: (id: string) => string | undefined): DescribedEvent {
  const [kind, sentence] = actionOf(e.action);
  const organization = (str(e.detail.organizationId) && organizationName(str(e.detail.organizationId) as string)) || str(e.detail.organization);
  const fieldList = Array.isArray(e.detail.fields) ? (e.detail.fields as string[]).map((f) => fields[f]?.[lang] ?? f.replaceAll('_', ' ')).join(', ') : '';
  const fill: Record<string, string> = {
    place: places[str(e.detail.where) ?? '']?.[lang] ?? (lang === 'es' ? 'una lista' : 'a list'),
    fields: fieldList,
    status: statuses[str(e.detail.to) ?? '']?.[lang] ?? '',
    target: handoffTargets[str(e.detail.target) ?? '']?.[lang] ?? (lang === 'es' ? 'servicios de crisis' : 'crisis services'),
    record: caseRecords[e.action.replace(/^case\./, '').replace(/_recorded$/, '')]?.[lang] ?? (lang === 'es' ? 'una anotación' : 'a record'),
  };
  let what = sentence[lang].replace(/\{(\w+)\}/g, (_, key: string) => fill[key] ?? '');
  if (e.action === 'student.read' && e.detail.protectedFields === true)
    what += lang === 'es' ? ', con la información protegida y los datos de la familia' : ', with protected information and family contacts';
  const whom =
    kind === 'disclosure'
      ? e.action === 'case.handoff_recorded'
        ? fill.target
        : (organization ?? /^(?:disclosed to|connected with) (.+?) on /.exec(e.reason ?? '')?.[1] ?? null)
      : kind === 'notice'
        ? lang === 'es'
          ? 'La familia'
          : 'The family'
        : null;
  let why = reasonIn(e.reason, lang, organization);
  if (e.action === 'referral.disclosed' && str(e.detail.basis)) why = (lang === 'es' ? 'Con ' : 'On ') + (bases[str(e.detail.basis) as string]?.[lang] ?? why);
  return { kind, who: personOf(e.actor, lang), whom: whom ?? null, what, why };
}

/**
 * Events a family's export leaves out, because another law protects a child or a student here:
 * a mandatory report of suspected abuse, and every look at a case or report about suspected abuse
 * (their existence and the reporter are confidential, C.R.S. 19-1-307, and the family may be the
 * subject of the concern), messages held for the family, and anything about a student-initiated
 * connection the guardian may not be told of (C.R.S. 12-245-203.5; no education record was
 * shared). `confidential` holds those referral, case and report ids. Staff reading the log still
 * see them.
 */
export function withheldFromFamily(e: LogEvent, confidential: ReadonlySet<string>): boolean {
  if (e.action.startsWith('case.mandatory_report')) return true;
  // Messages held for the family exist because a concern names the household: not for its copy.
  if (e.action.startsWith('family_message.')) return true;
  if (['referral', 'case', 'report'].includes(e.subjectType ?? '') && e.subjectId && confidential.has(e.subjectId)) return true;
  const records = Array.isArray(e.detail.records) ? (e.detail.records as string[]) : [];
  return records.length > 0 && records.every((id) => confidential.has(id));
}
