/**
 * What families read about screening, in English and Spanish. Plain text so it works in any
 * e-mail client and prints cleanly; the print view wraps the same words.
 */
export type NoticeLanguage = 'en' | 'es';

export function noticeLanguage(preferred: string | null | undefined): NoticeLanguage {
  return preferred?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

type NoticeFacts = {
  studentFirstName: string;
  schoolName: string;
  districtName: string;
  opensOn: string;
  closesOn: string;
  /** Each instrument's title, and the public page with its questions (null: ask the school for a copy). */
  instruments: { title: string; url: string | null }[];
  policy: 'active' | 'passive';
  noticeDays: number;
};

/**
 * The notice before a window. It offers every instrument to read first (PPRA: parents may inspect
 * a survey), says that consent is for this window only, that a family may opt out of the whole
 * school year, and that the student may decline on the day without any consequence.
 */
export function noticeLetter(lang: NoticeLanguage, f: NoticeFacts): { subject: string; body: string } {
  const list = f.instruments.map((i) => i.title).join(', ');
  const see = (askSchool: string) => f.instruments.map((i) => `- ${i.title}: ${i.url ?? askSchool}`).join('\n');
  if (lang === 'es') {
    return {
      subject: `Evaluación de bienestar en ${f.schoolName}`,
      body: [
        `Estimada familia de ${f.studentFirstName}:`,
        '',
        `Entre el ${f.opensOn} y el ${f.closesOn}, ${f.schoolName} invitará a los estudiantes a contestar unas preguntas breves sobre cómo se sienten (${list}). Nos ayudan a ofrecer apoyo a tiempo a quien lo necesite.`,
        'Los estudiantes no ven puntajes. Si una respuesta muestra que su hijo o hija necesita apoyo, un consejero escolar se comunicará con usted. Si una respuesta indica un riesgo para su seguridad, un adulto hablará con el estudiante ese mismo día.',
        '',
        `Puede ver las preguntas antes de que su hijo o hija las conteste (es su derecho según la ley federal PPRA):\n${see('pida una copia al consejero escolar.')}`,
        '',
        f.policy === 'active'
          ? `Necesitamos su permiso por escrito antes de la evaluación. Firme y devuelva esta carta a la escuela, o llame al consejero escolar. Su permiso es solo para esta evaluación (del ${f.opensOn} al ${f.closesOn}); le volveremos a preguntar antes de la próxima.`
          : `No tiene que hacer nada para que su hijo o hija participe. Si prefiere que no participe, avísele a la escuela (llame o responda a este mensaje) dentro de ${f.noticeDays} días. También puede pedirnos que no participe en ninguna evaluación durante este año escolar.`,
        'Su hijo o hija también puede decidir no participar ese día, o saltar cualquier pregunta, sin ninguna consecuencia.',
        '',
        'Si su hijo o hija está en peligro ahora: llame al 911. Línea 988 (llamada o texto). Colorado Crisis Services: 1-844-493-8255, o envíe TALK al 38255.',
        '',
        f.districtName,
      ].join('\n'),
    };
  }
  return {
    subject: `Wellness screening at ${f.schoolName}`,
    body: [
      `Dear family of ${f.studentFirstName},`,
      '',
      `Between ${f.opensOn} and ${f.closesOn}, ${f.schoolName} will invite students to answer a few short questions about how they are feeling (${list}). The answers help us offer support early to anyone who needs it.`,
      'Students never see scores. If an answer shows your child may need support, a school counselor will contact you. If an answer suggests a risk to their safety, an adult will talk with your child the same day.',
      '',
      `You may see the questions before your child answers them (your right under federal law, PPRA):\n${see('ask the school counselor for a copy.')}`,
      '',
      f.policy === 'active'
        ? `We need your written permission before the screening. Please sign and return this letter to the school, or call the school counselor. Your permission is for this screening only (${f.opensOn} to ${f.closesOn}); we will ask again before the next one.`
        : `You do not need to do anything for your child to take part. If you would rather they did not, tell the school (call, or reply to this message) within ${f.noticeDays} days. You may also tell us they should not take part in any screening this school year.`,
      'Your child may also choose not to take part on the day, or skip any question, with no consequence at all.',
      '',
      'If your child is in danger now: call 911. 988 Suicide & Crisis Lifeline (call or text). Colorado Crisis Services: 1-844-493-8255, or text TALK to 38255.',
      '',
      f.districtName,
    ].join('\n'),
  };
}

/** Sent after the emergency path: a staff member asked safety questions without prior consent. */
export function emergencyNotice(lang: NoticeLanguage, f: { studentFirstName: string; schoolName: string }): { subject: string; body: string } {
  if (lang === 'es') {
    return {
      subject: `${f.schoolName}: hablamos hoy con ${f.studentFirstName} sobre su seguridad`,
      body: `Hoy un miembro del personal de ${f.schoolName} le hizo a ${f.studentFirstName} unas preguntas breves sobre su seguridad, porque algo que dijo o hizo nos preocupó. Un consejero escolar se comunicará con usted hoy. Si su hijo o hija está en peligro ahora, llame al 911 o al 988.`,
    };
  }
  return {
    subject: `${f.schoolName}: we talked with ${f.studentFirstName} today about their safety`,
    body: `Today a staff member at ${f.schoolName} asked ${f.studentFirstName} a few short questions about their safety, because something they said or did worried us. A school counselor will contact you today. If your child is in danger now, call 911 or 988.`,
  };
}
