/**
 * What families and partners read about a referral's consent, by e-mail. Families read it in their
 * language (English or Spanish); nothing here carries clinical detail, and partner mail carries no
 * student data at all.
 */
export type NoticeLanguage = 'en' | 'es';

export const noticeLanguageOf = (preferred: string | null | undefined): NoticeLanguage => (preferred?.toLowerCase().startsWith('es') ? 'es' : 'en');

export type EmergencyNoticeFacts = {
  studentFirstName: string;
  schoolName: string;
  partnerName: string;
  /** The day, already written in the guardian's language. */
  date: string;
  /** The counselor's reason, written for the family (the form says so). */
  reason: string;
};

/**
 * Sent to each guardian with an e-mail address after a referral went out under the health-or-safety
 * emergency (34 CFR 99.36): who received it, on what basis, and why. FERPA lets the school disclose
 * without consent in an emergency; it does not let the family be left not knowing.
 */
export function emergencyDisclosureNotice(lang: NoticeLanguage, f: EmergencyNoticeFacts): { subject: string; body: string } {
  if (lang === 'es') {
    return {
      subject: `${f.schoolName}: compartimos información sobre ${f.studentFirstName} con ${f.partnerName}`,
      body: [
        `Estimada familia de ${f.studentFirstName}:`,
        '',
        `El ${f.date}, ${f.schoolName} compartió información sobre ${f.studentFirstName} con ${f.partnerName}, una organización de la comunidad que puede ayudar, sin pedirle antes su permiso por escrito. La ley federal lo permite cuando hace falta para proteger la salud o la seguridad de un estudiante o de otras personas (la excepción de emergencia de salud o seguridad, 34 CFR 99.36).`,
        '',
        'El motivo que anotó la escuela:',
        f.reason,
        '',
        `Qué se compartió: el nombre, la edad y el grado de ${f.studentFirstName}, sus datos de contacto, el tipo de ayuda que se pidió, con qué urgencia, y el idioma y las preferencias de la familia. No se compartió nada más del expediente escolar.`,
        `Puede pedir a la escuela que le muestre el registro de cada vez que se compartió información de ${f.studentFirstName}. Un consejero escolar se comunicará con usted; también puede llamar a la escuela.`,
        '',
        'Si su hijo o hija está en peligro ahora: llame al 911. Línea 988 (llamada o texto). Colorado Crisis Services: 1-844-493-8255, o envíe TALK al 38255.',
      ].join('\n'),
    };
  }
  return {
    subject: `${f.schoolName}: we shared information about ${f.studentFirstName} with ${f.partnerName}`,
    body: [
      `Dear family of ${f.studentFirstName},`,
      '',
      `On ${f.date}, ${f.schoolName} shared information about ${f.studentFirstName} with ${f.partnerName}, a community partner that can help, without first asking for your written permission. Federal law allows this when it is needed to protect the health or safety of a student or others (the health-or-safety emergency exception, 34 CFR 99.36).`,
      '',
      'The reason the school recorded:',
      f.reason,
      '',
      `What was shared: ${f.studentFirstName}'s name, age and grade, your contact details, the kind of help asked for, how soon, and the family's language and preferences. Nothing else from the school record was shared.`,
      `You may ask the school to show you the record of every time ${f.studentFirstName}'s information was shared. A school counselor will contact you; you may also call the school.`,
      '',
      'If your child is in danger now: call 911. 988 Suicide & Crisis Lifeline (call or text). Colorado Crisis Services: 1-844-493-8255, or text TALK to 38255.',
    ].join('\n'),
  };
}

/**
 * Told to the partner's staff when the consent a referral rests on is withdrawn. It names no
 * student: only Haven's reference for the referral, so the partner can match it to its own records.
 */
export function accessWithdrawnNotice(referralIds: string[]): { subject: string; text: string } {
  const many = referralIds.length > 1;
  return {
    subject: many ? 'Haven: referrals sent to you were withdrawn' : 'Haven: a referral sent to you was withdrawn',
    text: [
      `A school has withdrawn ${many ? `${referralIds.length} referrals` : 'a referral'} it sent to your organization, because the consent to share ${many ? 'them' : 'it'} was withdrawn.`,
      `Haven no longer shows ${many ? 'them' : 'it'} to you, and the school will send nothing more about ${many ? 'them' : 'it'}.`,
      '',
      `Haven reference${many ? 's' : ''}: ${referralIds.join(', ')}`,
    ].join('\n'),
  };
}
