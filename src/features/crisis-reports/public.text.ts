/** Words on the public pages, in English and Spanish. Plain language, about a 6th-grade level. */
export const publicText = {
  en: {
    lang: 'en',
    other: { code: 'es', label: 'Español' },
    danger: 'In danger right now? Call 911.',
    lines: 'Talk to someone now: call or text 988. Colorado Crisis Services: call 1-844-493-8255 or text TALK to 38255. Free, 24/7.',
    title: 'Ask for help',
    intro: 'Tell us what is happening. A person at the school will read it. You do not have to give your name.',
    description: 'What is happening?',
    descriptionHelp: 'Who, what, where and when, if you know.',
    languagesBefore: 'You can write in',
    languagesOr: 'or',
    languagesAfter: 'We read every report.',
    about: 'Who is it about? (optional)',
    school: 'School',
    schoolUnknown: 'I do not know / not listed',
    category: 'What is it about?',
    urgency: 'How urgent does it feel?',
    contact: 'How can we reach you? (optional)',
    contactHelp: 'Leave empty to stay anonymous. You will get a code to check for answers.',
    submit: 'Send',
    thanksTitle: 'Thank you. Your report was received.',
    thanksBody: 'A person at the school will act on it. Keep this code to see what happens and to answer questions:',
    thanksSpooled: 'Our system is busy, but your report is saved and will reach the team.',
    thanksKeep: 'Write the code down or take a photo of it. To keep it private, this page shows it for 10 minutes only.',
    thanksGoneTitle: 'This page has expired',
    thanksGoneBody:
      'For your privacy, the follow-up code is shown only for a short time after a report is sent. If you sent a report, it was received. To check on it, use the code you wrote down.',
    sendAnother: 'Send a report',
    reportCode: 'Report with code',
    receivedOn: 'Received',
    followUpLink: 'Check on a report',
    followUpTitle: 'Check on your report',
    code: 'Follow-up code',
    check: 'Check',
    status: { received: 'Received. Waiting for a person to pick it up.', in_progress: 'A person is acting on it.', closed: 'Closed.' },
    messages: 'Messages',
    fromTeam: 'From the school team',
    fromYou: 'From you',
    addInfo: 'Add information or answer',
    sendInfo: 'Send',
    sent: 'Sent. Thank you.',
    unknownCode: 'We could not find a report with that code. Check the code and try again.',
    errorTitle: 'Please check the form',
    categories: {
      suicide_self_harm: 'Suicide or self-harm',
      harm_to_others: 'Threat or plan to hurt others',
      weapon: 'Weapon',
      abuse_neglect: 'Abuse or neglect',
      bullying_harassment: 'Bullying or harassment',
      sexual_assault_dating_violence: 'Sexual assault or dating violence',
      substance_use: 'Drugs or alcohol',
      mental_health_worry: "Worried about a friend's or my own mental health",
      other: 'Something else',
    },
    urgencies: { life_safety: 'Someone could get hurt now', urgent: 'Soon (today)', routine: 'Not urgent' },
  },
  es: {
    lang: 'es',
    other: { code: 'en', label: 'English' },
    danger: '¿En peligro ahora? Llame al 911.',
    lines: 'Hable con alguien ahora: llame o envíe un texto al 988. Colorado Crisis Services: llame al 1-844-493-8255 o envíe TALK al 38255. Gratis, 24/7.',
    title: 'Pedir ayuda',
    intro: 'Cuéntenos qué está pasando. Una persona de la escuela lo leerá. No tiene que dar su nombre.',
    description: '¿Qué está pasando?',
    descriptionHelp: 'Quién, qué, dónde y cuándo, si lo sabe.',
    languagesBefore: 'Puede escribir en',
    languagesOr: 'o',
    languagesAfter: 'Leemos cada reporte.',
    about: '¿Sobre quién es? (opcional)',
    school: 'Escuela',
    schoolUnknown: 'No sé / no está en la lista',
    category: '¿De qué se trata?',
    urgency: '¿Qué tan urgente le parece?',
    contact: '¿Cómo podemos comunicarnos con usted? (opcional)',
    contactHelp: 'Déjelo vacío para seguir anónimo. Recibirá un código para ver las respuestas.',
    submit: 'Enviar',
    thanksTitle: 'Gracias. Recibimos su reporte.',
    thanksBody: 'Una persona de la escuela actuará. Guarde este código para ver qué pasa y responder preguntas:',
    thanksSpooled: 'Nuestro sistema está ocupado, pero su reporte está guardado y llegará al equipo.',
    thanksKeep: 'Anote el código o tómele una foto. Para proteger su privacidad, esta página lo muestra solo durante 10 minutos.',
    thanksGoneTitle: 'Esta página ya no está disponible',
    thanksGoneBody:
      'Para proteger su privacidad, el código de seguimiento se muestra solo un rato después de enviar un reporte. Si envió un reporte, lo recibimos. Para consultarlo, use el código que anotó.',
    sendAnother: 'Enviar un reporte',
    reportCode: 'Reporte con el código',
    receivedOn: 'Recibido',
    followUpLink: 'Consultar un reporte',
    followUpTitle: 'Consultar su reporte',
    code: 'Código de seguimiento',
    check: 'Consultar',
    status: { received: 'Recibido. Esperando a que una persona lo atienda.', in_progress: 'Una persona lo está atendiendo.', closed: 'Cerrado.' },
    messages: 'Mensajes',
    fromTeam: 'Del equipo de la escuela',
    fromYou: 'De usted',
    addInfo: 'Agregar información o responder',
    sendInfo: 'Enviar',
    sent: 'Enviado. Gracias.',
    unknownCode: 'No encontramos un reporte con ese código. Revise el código e inténtelo de nuevo.',
    errorTitle: 'Revise el formulario',
    categories: {
      suicide_self_harm: 'Suicidio o autolesión',
      harm_to_others: 'Amenaza o plan de lastimar a otros',
      weapon: 'Arma',
      abuse_neglect: 'Abuso o negligencia',
      bullying_harassment: 'Acoso o intimidación',
      sexual_assault_dating_violence: 'Agresión sexual o violencia en el noviazgo',
      substance_use: 'Drogas o alcohol',
      mental_health_worry: 'Me preocupa la salud mental de un amigo o la mía',
      other: 'Otra cosa',
    },
    urgencies: { life_safety: 'Alguien podría salir lastimado ahora', urgent: 'Pronto (hoy)', routine: 'No es urgente' },
  },
} as const;

export type PublicLanguage = keyof typeof publicText;

/** The page language: an explicit ?lang= wins, then the browser's Accept-Language, then English. */
export function pickLanguage(query: string | undefined, acceptLanguage: string | undefined): PublicLanguage {
  if (query === 'es' || query === 'en') return query;
  const preferred = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of preferred) {
    if (tag.startsWith('es')) return 'es';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
