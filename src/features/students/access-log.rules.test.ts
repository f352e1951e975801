import { describe, expect, it } from 'vitest';
import { reasonOf, type ShownBasis } from '../../platform/audit/students-shown.ts';
import { describeEvent, type LogEvent, personOf, reasonIn, withheldFromFamily } from './access-log.rules.ts';

const event = (e: Partial<LogEvent> & { action: string }): LogEvent => ({
  actor: 'rivera (counselor)',
  reason: null,
  subjectType: 'student',
  subjectId: 's1',
  detail: {},
  ...e,
});
const orgs = new Map([['org-1', 'Front Range Family Counseling']]);
const say = (e: LogEvent, lang: 'en' | 'es') => describeEvent(e, lang, (id) => orgs.get(id));

describe('who, in words', () => {
  it.each([
    ['rivera (counselor)', 'en', 'rivera, counselor'],
    ['rivera (counselor)', 'es', 'rivera, consejero(a)'],
    ['whitfield (district_admin, analyst)', 'en', 'whitfield, district administrator and data analyst'],
    ['cho (partner)', 'es', 'cho, profesional de una organización de la comunidad'],
    ['system: worker', 'en', 'Haven (automatic)'],
    ['A name without roles', 'en', 'A name without roles'],
  ] as const)('%s (%s)', (label, lang, words) => {
    expect(personOf(label, lang)).toBe(words);
  });
});

describe('why, in words', () => {
  it.each([
    ['counselor at Lincoln Middle School', 'en', 'Their role: counselor (Lincoln Middle School)'],
    ['district admin at district level', 'es', 'Su función: administrador(a) del distrito (todo el distrito)'],
    ['crisis team (crisis case)', 'en', 'Their role: crisis team member'],
    ['partner Front Range: referral sent to them', 'es', 'La derivación se envió a su organización (Front Range)'],
    ['disclosed to Front Range on emergency 99 36', 'en', 'On a health-or-safety emergency (34 CFR 99.36)'],
    ['break the glass', 'es', 'Una emergencia: se anotó el motivo y se avisó al equipo de crisis'],
    [null, 'en', '—'],
    ['a reason a person wrote', 'es', 'a reason a person wrote'],
  ] as const)('%s (%s)', (reason, lang, words) => {
    expect(reasonIn(reason, lang, null)).toBe(words);
  });
});

describe('every reason a list records is said in Spanish, never left in English', () => {
  it.each<[ShownBasis]>([
    [{ grant: { role: 'counselor', schoolId: 'lincoln' }, school: 'Lincoln Middle School' }],
    [{ grant: { role: 'district_admin', schoolId: null }, school: 'Lincoln Middle School' }],
    [{ partner: 'Front Range Family Counseling' }],
    [{ named: 'plan_responsible' }],
    [{ named: 'window_proctor' }],
    [{ named: 'case_assigned' }],
    [{ named: 'break_glass' }],
  ])('%j', (basis) => {
    const stored = reasonOf(basis);
    expect(reasonIn(stored, 'es', null)).not.toBe(stored);
    expect(reasonIn(stored, 'en', null)).not.toBe(stored);
  });
});

describe('what, in words, and of what kind', () => {
  it.each([
    [event({ action: 'student.read', detail: { protectedFields: false } }), 'en', 'look', 'Opened the student’s profile'],
    [event({ action: 'student.listed', detail: { where: 'support_queue' } }), 'en', 'look', 'Saw the student’s name in the “Needs support now” list'],
    [
      event({ action: 'student.listed', detail: { where: 'follow_up_queue' } }),
      'es',
      'look',
      'Vio el nombre del estudiante en la lista de evaluaciones pendientes de seguimiento',
    ],
    [event({ action: 'screening.consent.opt_out' }), 'en', 'change', 'Recorded the family’s answer about screening'],
    [event({ action: 'referral.moved', detail: { to: 'scheduled' } }), 'es', 'change', 'Actualizó una derivación: cita programada'],
    [event({ action: 'case.suicide_assessment_recorded' }), 'en', 'change', 'Recorded a suicide risk assessment on a crisis case'],
    [event({ action: 'case.handoff_recorded', detail: { target: '988' } }), 'en', 'disclosure', 'Handed the student over to the 988 Suicide & Crisis Lifeline'],
    [event({ action: 'something.new' }), 'es', 'change', 'Trabajó en el expediente del estudiante'],
  ] as const)('%s', (e, lang, kind, what) => {
    expect(say(e, lang)).toMatchObject({ kind, what });
  });

  it('a referral sent: to whom, what was shared and on what basis, with no codes', () => {
    const sent = event({
      action: 'referral.disclosed',
      subjectType: 'referral',
      reason: 'disclosed to Front Range Family Counseling on guardian consent',
      detail: { organizationId: 'org-1', basis: 'guardian_consent', fields: ['name', 'age_or_grade', 'guardian_contact'] },
    });
    expect(say(sent, 'en')).toEqual({
      kind: 'disclosure',
      who: 'rivera, counselor',
      whom: 'Front Range Family Counseling',
      what: 'Sent a referral with: name, age and grade, guardian’s contact details',
      why: 'On the guardian’s written consent',
    });
    expect(say(sent, 'es')).toMatchObject({
      whom: 'Front Range Family Counseling',
      what: 'Envió una derivación con: nombre, edad y grado, datos de contacto de la familia',
      why: 'Con el consentimiento por escrito del padre, la madre o el tutor',
    });
  });

  it('the partner reading a referral: the partner is named, with the reason it may', () => {
    const read = event({ action: 'referral.read', actor: 'cho (partner)', reason: 'partner Front Range Family Counseling: referral sent to them' });
    expect(say(read, 'en')).toEqual({
      kind: 'look',
      who: 'cho, community partner',
      whom: null,
      what: 'Read a referral for the student',
      why: 'The referral was sent to their organization (Front Range Family Counseling)',
    });
  });
});

describe("what a family's copy leaves out", () => {
  const confidential = new Set(['r-secret', 'case-abuse', 'report-abuse']);
  it.each([
    ['a read of an abuse case', event({ action: 'case.read', subjectType: 'case', subjectId: 'case-abuse' }), true],
    ['a read of an abuse report', event({ action: 'report.read', subjectType: 'report', subjectId: 'report-abuse' }), true],
    ['a case list that showed only the abuse case', event({ action: 'student.listed', detail: { where: 'case_list', records: ['case-abuse'] } }), true],
    ['a message held for the family', event({ action: 'family_message.held', subjectType: 'family_message', subjectId: 'm1' }), true],
    ['another case', event({ action: 'case.read', subjectType: 'case', subjectId: 'case-other' }), false],
    ['a mandatory report of suspected abuse', event({ action: 'case.mandatory_report_recorded' }), true],
    ["a student-initiated connection's referral", event({ action: 'referral.read', subjectType: 'referral', subjectId: 'r-secret' }), true],
    ['a list that showed only that referral', event({ action: 'student.listed', detail: { where: 'referral_list', records: ['r-secret'] } }), true],
    ['a list that showed it with another', event({ action: 'student.listed', detail: { where: 'referral_list', records: ['r-secret', 'r-open'] } }), false],
    ['any other referral', event({ action: 'referral.read', subjectType: 'referral', subjectId: 'r-open' }), false],
    ['a search', event({ action: 'student.listed', detail: { where: 'student_search' } }), false],
  ] as const)('%s: left out %s', (_, e, out) => {
    expect(withheldFromFamily(e, confidential)).toBe(out);
  });
});
