/** Words on the student's screen, in English and Spanish. Short sentences, about a 5th-grade level. */
export const screenText = {
  en: {
    other: { code: 'es', label: 'Español' },
    title: 'Check-in',
    start: 'Start your check-in',
    startIntro: 'Type the code your teacher gave you. There are no right or wrong answers, and this is not a test.',
    code: 'Your code',
    codeHelp: 'Eight letters and numbers, like K7P2-9XQM.',
    begin: 'Begin',
    unknownCode: 'That code does not work. Check it with your teacher, who can give you a new one.',
    hello: (name: string) => `Hi ${name}.`,
    progress: (position: number, of: number, n: number, count: number) => `Question ${position} of ${of}${count > 1 ? ` · part ${n} of ${count}` : ''}`,
    skip: 'Skip this question',
    englishOnly: 'This question is shown in English because we do not have a checked translation yet. Ask your teacher if you need help.',
    /** Only for a screen in another language; the English screen is always in English. */
    beforeStart: (_parts: readonly number[], _count: number) => '',
    careTitle: 'Thank you for telling us.',
    care: 'You are not alone. An adult from your school will check in with you today.',
    careNow: 'If you want to talk to someone right now, it is free, private and open all the time:',
    call988: 'Call or text 988',
    ccs: 'Colorado Crisis Services: call 1-844-493-8255 or text TALK to 38255',
    danger: 'In danger right now? Call 911.',
    continue: 'Continue',
    doneTitle: 'All done. Thank you!',
    done: 'Your answers are saved. Please give the device back to your teacher.',
    next: 'Next student',
    help: 'Need to talk? Call or text 988, any time.',
    holdTitle: 'Please stay here with the adult in the room.',
    hold: 'Thank you for being honest. You are not in trouble. Someone who cares is coming to talk with you now. Please do not leave, and keep this screen open.',
    holdAdult:
      'For the adult: keep the student with you and in sight. The crisis team has been alerted. Release this device from the screening window when the student is with them, then press Continue.',
    holdContinue: 'Continue',
    choiceTitle: 'Taking part is your choice.',
    choice: 'You can skip any question. If you would rather not do this check-in at all, that is okay. Nothing bad will happen.',
    decline: "I'd rather not",
    declinedTitle: 'That is okay. Thank you for telling us.',
    declined:
      'You will not be asked these questions today, and nothing bad will happen because you said no. You can talk with your school counselor any time; just ask your teacher.',
    declinedHelp: 'If you ever want to talk to someone, it is free, private and open all the time:',
    giveBack: 'Please give the device back to your teacher.',
  },
  es: {
    other: { code: 'en', label: 'English' },
    title: 'Chequeo',
    start: 'Empieza tu chequeo',
    startIntro: 'Escribe el código que te dio tu maestro o maestra. No hay respuestas correctas ni incorrectas, y esto no es un examen.',
    code: 'Tu código',
    codeHelp: 'Ocho letras y números, como K7P2-9XQM.',
    begin: 'Empezar',
    unknownCode: 'Ese código no funciona. Revísalo con tu maestro o maestra, que te puede dar uno nuevo.',
    hello: (name: string) => `Hola, ${name}.`,
    progress: (position: number, of: number, n: number, count: number) => `Pregunta ${position} de ${of}${count > 1 ? ` · parte ${n} de ${count}` : ''}`,
    skip: 'Saltar esta pregunta',
    englishOnly: 'Esta pregunta aparece en inglés porque todavía no tenemos una traducción revisada. Pide ayuda a tu maestro o maestra si la necesitas.',
    /** Said on the first page, before any answer: which parts will be in English, and why. */
    beforeStart: (parts: readonly number[], count: number) => {
      const which =
        parts.length === count
          ? count > 1
            ? 'Todas las preguntas de este chequeo están'
            : 'Las preguntas de este chequeo están'
          : parts.length === 1
            ? `Las preguntas de la parte ${parts[0]} de ${count} están`
            : `Las preguntas de las partes ${parts.slice(0, -1).join(', ')} y ${parts.at(-1)} de ${count} están`;
      return `Antes de empezar: ${which} en inglés, porque todavía no tenemos una traducción al español revisada por expertos. Los botones y la ayuda están en español. Si no entiendes una pregunta, pide ayuda a tu maestro o maestra, o sáltala.`;
    },
    careTitle: 'Gracias por contárnoslo.',
    care: 'No estás solo ni sola. Un adulto de tu escuela hablará contigo hoy.',
    careNow: 'Si quieres hablar con alguien ahora mismo, es gratis, privado y siempre está abierto:',
    call988: 'Llama o envía un texto al 988',
    ccs: 'Colorado Crisis Services: llama al 1-844-493-8255 o envía TALK al 38255',
    danger: '¿Estás en peligro ahora? Llama al 911.',
    continue: 'Continuar',
    doneTitle: '¡Listo! Gracias.',
    done: 'Tus respuestas están guardadas. Devuelve el aparato a tu maestro o maestra.',
    next: 'Siguiente estudiante',
    help: '¿Necesitas hablar? Llama o envía un texto al 988, a cualquier hora.',
    holdTitle: 'Por favor, quédate aquí con el adulto que está en el salón.',
    hold: 'Gracias por ser honesto u honesta. No estás en problemas. Alguien a quien le importas viene a hablar contigo ahora. Por favor, no te vayas y deja esta pantalla abierta.',
    holdAdult:
      'Para el adulto: mantenga al estudiante con usted y a la vista. El equipo de crisis ya recibió la alerta. Libere este aparato desde la ventana de evaluación cuando el estudiante esté con ellos y luego pulse Continuar.',
    holdContinue: 'Continuar',
    choiceTitle: 'Participar es tu decisión.',
    choice: 'Puedes saltar cualquier pregunta. Si prefieres no hacer este chequeo, está bien. No pasará nada malo.',
    decline: 'Prefiero no hacerlo',
    declinedTitle: 'Está bien. Gracias por decírnoslo.',
    declined:
      'Hoy no te haremos estas preguntas, y no pasará nada malo porque dijiste que no. Puedes hablar con tu consejero escolar cuando quieras; solo pídeselo a tu maestro o maestra.',
    declinedHelp: 'Si alguna vez quieres hablar con alguien, es gratis, privado y siempre está abierto:',
    giveBack: 'Devuelve el aparato a tu maestro o maestra.',
  },
} as const;

export type ScreenLanguage = keyof typeof screenText;
