/**
 * What "not found" says in Spanish, for each thing a service may answer is missing. Missing and
 * forbidden look the same (`notFound` in errors.ts), and the same thing is missing from many
 * services ("That student" from fourteen), so its words are kept here once: every service says it
 * the same way, and the code the web app translates stays stable.
 * Each entry: the English subject a service passes, its stable code, and the whole Spanish sentence.
 */
const missing: Record<string, [code: string, es: string]> = {
  'That record': ['not_found', 'Ese registro no existe o usted no tiene acceso a él.'],
  'A report with that follow-up code': ['report_code_not_found', 'No hay ningún reporte con ese código de seguimiento, o usted no tiene acceso a él.'],
  District: ['district_not_found', 'El distrito no existe o usted no tiene acceso a él.'],
  'That district': ['district_not_found', 'Ese distrito no existe o usted no tiene acceso a él.'],
  'District settings': ['district_settings_not_found', 'La configuración del distrito no existe o usted no tiene acceso a ella.'],
  'Escalation settings': ['escalation_settings_not_found', 'La configuración de escalamiento no existe o usted no tiene acceso a ella.'],
  Funding: ['funding_not_found', 'La sección de financiación no existe o usted no tiene acceso a ella.'],
  'That funding source': ['funding_source_not_found', 'Esa fuente de financiación no existe o usted no tiene acceso a ella.'],
  Leadership: ['leadership_not_found', 'La sección de dirección no existe o usted no tiene acceso a ella.'],
  Policies: ['policies_not_found', 'La sección de políticas no existe o usted no tiene acceso a ella.'],
  'That policy': ['policy_not_found', 'Esa política no existe o usted no tiene acceso a ella.'],
  Staffing: ['staffing_not_found', 'La sección de personal no existe o usted no tiene acceso a ella.'],
  'That position': ['position_not_found', 'Ese puesto no existe o usted no tiene acceso a él.'],
  Training: ['training_not_found', 'La sección de formación no existe o usted no tiene acceso a ella.'],
  'That training': ['training_not_found', 'Esa formación no existe o usted no tiene acceso a ella.'],
  'The self-assessment': ['self_assessment_not_found', 'La autoevaluación no existe o usted no tiene acceso a ella.'],
  'The action plan': ['action_plan_not_found', 'El plan de acción no existe o usted no tiene acceso a él.'],
  'The capacity dashboard': ['capacity_dashboard_not_found', 'El panel de capacidad no existe o usted no tiene acceso a él.'],
  'The equity dashboard': ['equity_dashboard_not_found', 'El panel de equidad no existe o usted no tiene acceso a él.'],
  'One of the classes': ['class_not_found', 'Una de las clases no existe o usted no tiene acceso a ella.'],
  'That class in this window': ['class_not_found', 'Esa clase no forma parte de esta ventana o usted no tiene acceso a ella.'],
  'One of the reports': ['report_not_found', 'Uno de los reportes no existe o usted no tiene acceso a él.'],
  'That report': ['report_not_found', 'Ese reporte no existe o usted no tiene acceso a él.'],
  'Report entry': ['report_entry_not_found', 'El registro de reportes no existe o usted no tiene acceso a él.'],
  'Report figures': ['report_figures_not_found', 'Las cifras de reportes no existen o usted no tiene acceso a ellas.'],
  'The report list': ['report_list_not_found', 'La lista de reportes no existe o usted no tiene acceso a ella.'],
  'That message': ['message_not_found', 'Ese mensaje no existe o usted no tiene acceso a él.'],
  'That held message': ['held_message_not_found', 'Ese mensaje retenido no existe o usted no tiene acceso a él.'],
  'That number or address': ['channel_address_not_found', 'Ese número o esa dirección no existe o usted no tiene acceso a él.'],
  'The SMS channel': ['sms_channel_not_found', 'El canal de SMS no existe o usted no tiene acceso a él.'],
  'The follow-up queue': ['follow_up_queue_not_found', 'La lista de seguimientos no existe o usted no tiene acceso a ella.'],
  'That follow-up': ['follow_up_not_found', 'Ese seguimiento no existe o usted no tiene acceso a él.'],
  'One of the schools': ['school_not_found', 'Una de las escuelas no existe o usted no tiene acceso a ella.'],
  'That school': ['school_not_found', 'Esa escuela no existe o usted no tiene acceso a ella.'],
  'One of the students': ['student_not_found', 'Uno de los estudiantes no existe o usted no tiene acceso a él.'],
  'One of the students in this window': ['student_not_found', 'Uno de los estudiantes no forma parte de esta ventana o usted no tiene acceso a él.'],
  'That student': ['student_not_found', 'Ese estudiante no existe o usted no tiene acceso a él.'],
  'That student in this window': ['student_not_found', 'Ese estudiante no forma parte de esta ventana o usted no tiene acceso a él.'],
  'The student list': ['student_list_not_found', 'La lista de estudiantes no existe o usted no tiene acceso a ella.'],
  Referrals: ['referrals_not_found', 'La sección de derivaciones no existe o usted no tiene acceso a ella.'],
  'Referral matching': ['referral_matching_not_found', 'La búsqueda de servicios para derivaciones no existe o usted no tiene acceso a ella.'],
  'Referral measures': ['referral_measures_not_found', 'Los indicadores de derivaciones no existen o usted no tiene acceso a ellos.'],
  'That referral': ['referral_not_found', 'Esa derivación no existe o usted no tiene acceso a ella.'],
  'That consent': ['consent_not_found', 'Ese consentimiento no existe o usted no tiene acceso a él.'],
  'Result imports': ['result_import_not_found', 'La importación de resultados no existe o usted no tiene acceso a ella.'],
  'Roster imports': ['roster_import_not_found', 'La importación de la lista no existe o usted no tiene acceso a ella.'],
  'That roster import': ['roster_import_not_found', 'Esa importación de la lista no existe o usted no tiene acceso a ella.'],
  'Roster settings': ['roster_settings_not_found', 'La configuración de la lista no existe o usted no tiene acceso a ella.'],
  'Roster sync': ['roster_sync_not_found', 'La sincronización de la lista no existe o usted no tiene acceso a ella.'],
  'That person on the roster': ['roster_person_not_found', 'Esa persona no está en la lista o usted no tiene acceso a ella.'],
  'Screening windows': ['screening_windows_not_found', 'Las ventanas de evaluación no existen o usted no tiene acceso a ellas.'],
  'That screening window': ['screening_window_not_found', 'Esa ventana de evaluación no existe o usted no tiene acceso a ella.'],
  'That screening result': ['screening_result_not_found', 'Ese resultado de evaluación no existe o usted no tiene acceso a él.'],
  'That held screen': ['held_screen_not_found', 'Esa evaluación retenida no existe o usted no tiene acceso a ella.'],
  'The instrument library': ['instrument_library_not_found', 'La biblioteca de instrumentos no existe o usted no tiene acceso a ella.'],
  'The intervention library': ['intervention_library_not_found', 'La biblioteca de intervenciones no existe o usted no tiene acceso a ella.'],
  'That access request': ['access_request_not_found', 'Esa solicitud de acceso no existe o usted no tiene acceso a ella.'],
  'That account': ['account_not_found', 'Esa cuenta no existe o usted no tiene acceso a ella.'],
  'That person': ['person_not_found', 'Esa persona no existe o usted no tiene acceso a sus datos.'],
  'That device': ['device_not_found', 'Ese dispositivo no existe o usted no tiene acceso a él.'],
  'That passkey': ['passkey_not_found', 'Esa llave de acceso no existe o usted no tiene acceso a ella.'],
  'That token': ['api_token_not_found', 'Ese token no existe o usted no tiene acceso a él.'],
  'That identity provider': ['identity_provider_not_found', 'Ese proveedor de identidad no existe o usted no tiene acceso a él.'],
  'The outbox': ['outbox_not_found', 'Los mensajes salientes no existen o usted no tiene acceso a ellos.'],
  'That crisis team': ['crisis_team_not_found', 'Ese equipo de crisis no existe o usted no tiene acceso a él.'],
  'That shift': ['shift_not_found', 'Ese turno no existe o usted no tiene acceso a él.'],
  'That case': ['case_not_found', 'Ese caso no existe o usted no tiene acceso a él.'],
  'The case list': ['case_list_not_found', 'La lista de casos no existe o usted no tiene acceso a ella.'],
  'The caseload': ['caseload_not_found', 'La lista de sus casos no existe o usted no tiene acceso a ella.'],
  'That action': ['action_not_found', 'Esa acción no existe o usted no tiene acceso a ella.'],
  'That task': ['task_not_found', 'Esa tarea no existe o usted no tiene acceso a ella.'],
  'That safety plan version': ['safety_plan_version_not_found', 'Esa versión del plan de seguridad no existe o usted no tiene acceso a ella.'],
  'That plan': ['plan_not_found', 'Ese plan no existe o usted no tiene acceso a él.'],
  'The support queue': ['support_queue_not_found', 'La lista de apoyo pendiente no existe o usted no tiene acceso a ella.'],
  'That partner': ['partner_not_found', 'Ese socio no existe o usted no tiene acceso a él.'],
  'That service': ['service_not_found', 'Ese servicio no existe o usted no tiene acceso a él.'],
  'The partner directory': ['partner_directory_not_found', 'El directorio de socios no existe o usted no tiene acceso a él.'],
};

/** The code and the Spanish sentence for a missing thing; a subject not listed has neither. */
export function notFoundWords(what: string): { code: string; es?: string } {
  const known = missing[what];
  return known ? { code: known[0], es: known[1] } : { code: 'not_found' };
}

/** Whether a subject has its Spanish sentence (the test over the sources asks). */
export const hasNotFoundWords = (what: string): boolean => what in missing;

/** Spanish and a stable code for the validation messages schemas write themselves (see `inSpanish`). */
const validationWords = new Map<string, { code: string; es: string }>();

/**
 * A validation message a person reads, with its Spanish and a stable code: a schema passes what
 * this returns (the English) to zod, and the error handler answers the Spanish when asked. It lives
 * here, beside no server code, so schemas the web app reads stay free of Fastify.
 */
export function inSpanish(en: string, es: string, code: string): string {
  validationWords.set(en, { code, es });
  return en;
}

/** The Spanish and the code of a schema's own validation message, if it has them. */
export const validationWordsOf = (en: string) => validationWords.get(en);
