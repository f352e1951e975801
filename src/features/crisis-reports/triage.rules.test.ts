import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportCategories, urgencies } from '../../data/reports.values.ts';
import { type TriageLanguage, triage, triageLanguages } from './triage.rules.ts';

const read = (text: string, category: (typeof reportCategories)[number] = 'other') => triage({ category, urgencyReported: 'routine', text });

describe('triage suggests, and only ever raises, the urgency', () => {
  it.each([
    ['other', 'routine', 'I think my friend wants to kill himself', 'life_safety'],
    ['other', 'routine', 'Mi amiga dice que quiere morir', 'life_safety'],
    ['bullying_harassment', 'routine', 'A kid brought a gun in his backpack', 'life_safety'],
    ['bullying_harassment', 'routine', 'Un chico trajo una pistola', 'life_safety'],
    ['weapon', 'routine', 'saw something in the locker', 'life_safety'],
    ['suicide_self_harm', 'routine', 'she has been sad', 'urgent'],
    ['harm_to_others', 'urgent', 'he said he will do it tonight', 'life_safety'],
    ['harm_to_others', 'urgent', 'dijo que lo hará esta noche', 'life_safety'],
    ['mental_health_worry', 'routine', 'she is cutting herself', 'urgent'],
    ['other', 'routine', 'my friend says he will hurt himself tonight', 'life_safety'],
    ['other', 'routine', 'su papá le pega y no está segura en casa', 'urgent'],
    ['bullying_harassment', 'routine', 'they keep calling him names at lunch', 'routine'],
    ['other', 'life_safety', 'nothing alarming in these words', 'life_safety'],
  ] as const)('%s / reporter said %s / "%s" -> %s', (category, urgencyReported, text, expected) => {
    expect(triage({ category, urgencyReported, text }).urgency).toBe(expected);
  });

  it('explains each raise with a reason the staff app says in the counselor’s language', () => {
    const result = triage({ category: 'bullying_harassment', urgencyReported: 'routine', text: 'he has a knife' });
    expect(result.reasons).toEqual([
      { code: 'reporter_said', urgency: 'routine' },
      { code: 'text_mentions', topic: 'weapon', urgency: 'life_safety' },
    ]);
  });

  it('says when the category alone sets the floor', () => {
    expect(triage({ category: 'abuse_neglect', urgencyReported: 'routine', text: 'she told her teacher' }).reasons).toEqual([
      { code: 'reporter_said', urgency: 'routine' },
      { code: 'category_floor', category: 'abuse_neglect', urgency: 'urgent' },
    ]);
  });

  it('says when a vague report is listed as what its words speak of, and when harm could happen tonight', () => {
    const result = triage({ category: 'mental_health_worry', urgencyReported: 'routine', text: 'she is cutting herself tonight' });
    expect(result.urgency).toBe('life_safety');
    expect(result.category).toBe('suicide_self_harm');
    expect(result.reasons).toEqual([
      { code: 'reporter_said', urgency: 'routine' },
      { code: 'text_mentions', topic: 'self_harm', urgency: 'urgent' },
      { code: 'recategorized', from: 'mental_health_worry', topic: 'self_harm', to: 'suicide_self_harm' },
      { code: 'imminent' },
    ]);
  });

  it('gives reasons as plain data, so they are stored with the report and read back unchanged', () => {
    const result = read('my friend says he will hurt himself tonight');
    expect(JSON.parse(JSON.stringify(result.reasons))).toEqual(result.reasons);
  });

  it('never lowers what the reporter chose, whatever is written', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...reportCategories),
        fc.constantFrom(...urgencies),
        fc.string({ unit: 'binary', maxLength: 300 }),
        (category, reported, text) => {
          const order = ['routine', 'urgent', 'life_safety'];
          expect(order.indexOf(triage({ category, urgencyReported: reported, text }).urgency)).toBeGreaterThanOrEqual(order.indexOf(reported));
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Every English case has Spanish counterparts; all must give the same urgency for the same reason. */
const sameInBoth: [english: string, spanish: string[], urgency: 'life_safety' | 'urgent' | 'routine'][] = [
  ["I'm going to kill myself tonight", ['me voy a matar esta noche', 'Me voy a MATAR esta noche'], 'life_safety'],
  ['I want to kill myself', ['me quiero matar', 'quiero matarme'], 'life_safety'],
  ['he is going to kill himself', ['se va a matar', 'va a matarse'], 'life_safety'],
  ['she wants to kill herself', ['se quiere matar', 'ella quiere matarse'], 'life_safety'],
  ['I want to die', ['quiero morirme', 'me quiero morir', 'tengo ganas de morirme'], 'life_safety'],
  ["I don't want to live anymore", ['ya no quiero vivir', 'no quiero vivir'], 'life_safety'],
  ['I am going to commit suicide', ['me voy a suicidar', 'se quiere suicidar', 'pensamientos suicidas'], 'life_safety'],
  ['I am going to take my own life', ['me voy a quitar la vida', 'quiere quitarse la vida', 'quitarme la vida'], 'life_safety'],
  ['I want to end my life', ['quiero acabar con mi vida'], 'life_safety'],
  ['he has a gun at school', ['tiene una pistola en la escuela', 'trajo un arma a la escuela'], 'life_safety'],
  ['he brought a knife', ['trajo un cuchillo', 'trajo una navaja'], 'life_safety'],
  ['he said he will kill everyone', ['dijo que va a matar a todos'], 'life_safety'],
  ['I am going to kill him', ['lo voy a matar', 'voy a matarlo'], 'life_safety'],
  ['she slit her wrists', ['se cortó las venas', 'quiere cortarse las venas'], 'life_safety'],
  ['she took all the pills', ['se tomó todas las pastillas', 'se tomo todas las pastillas'], 'life_safety'],
  ['he overdosed', ['tuvo una sobredosis'], 'life_safety'],
  ['she cut herself', ['ella se cortó', 'ella se corto', 'se corta los brazos'], 'urgent'],
  ['I am cutting myself', ['me estoy cortando', 'estoy cortándome'], 'urgent'],
  ['she hurts herself', ['ella se lastima'], 'urgent'],
  ['I want to hurt myself', ['quiero hacerme daño', 'quiero hacerme dano', 'me quiero lastimar'], 'urgent'],
  ['she is cutting herself tonight', ['se está cortando esta noche', 'se esta cortando ahorita'], 'life_safety'],
  ['my dad hits me', ['mi papá me pega', 'mi papa me golpea'], 'urgent'],
  ['my dad is going to hurt me', ['mi papá me va a lastimar'], 'urgent'],
  ['I am not safe at home', ['no estoy segura en mi casa', 'no me siento a salvo en casa'], 'urgent'],
  ['I am going to run away', ['me voy a escapar de mi casa'], 'urgent'],
  // Everyday words that only look alarming: triage must leave them to the person who reads them.
  ['we play games to kill time', ['jugamos videojuegos para matar el tiempo'], 'routine'],
  ['this homework is killing me', ['esta tarea me está matando', 'me muero de risa'], 'routine'],
  ['my mom is going to kill me if I fail', ['mi mamá me va a matar si repruebo'], 'routine'],
  ['she cut her hair', ['ella se cortó el pelo', 'me corto las uñas'], 'routine'],
  ['I hurt my knee in gym', ['me lastimé la rodilla en educación física'], 'routine'],
  ["I don't want to live with my dad", ['no quiero vivir con mi papá'], 'routine'],
];

describe('triage reads Spanish as it reads English', () => {
  it.each(sameInBoth.flatMap(([english, spanish, urgency]) => spanish.map((s) => [english, s, urgency] as const)))(
    '"%s" and "%s" are both %s, for the same reason',
    (english, spanish, urgency) => {
      const inEnglish = read(english);
      const inSpanish = read(spanish);
      expect(inEnglish.urgency).toBe(urgency);
      expect(inSpanish.urgency).toBe(urgency);
      expect(inSpanish.reasons).toEqual(inEnglish.reasons);
    },
  );
});

/** At least one life-safety phrase per language, as a student might type it. */
const lifeSafety: Record<TriageLanguage, string[]> = {
  en: ['my friend said she wants to kill herself'],
  es: ['mi amigo dice que se va a matar'],
  vi: ['bạn tôi nói muốn tự tử', 'Tôi muốn chết', 'tôi sẽ giết mình', 'TÔI MUỐN CHẾT'.normalize('NFD')],
  ar: ['صديقي يريد الانتحار', 'أريد أن أموت', 'اريد ان اموت', 'سأقتل نفسي'],
  ru: ['Я хочу убить себя', 'он хочет покончить с собой', 'хочу умереть', 'мысли о суициде', 'думает о самоубийстве'],
  zh: ['我想自杀', '我想死', '他想殺了自己', '我不想活了'],
  ne: ['मेरो साथीले आत्महत्या गर्छु भन्यो', 'म मर्न चाहन्छु'],
};

describe('triage reads the district’s other home languages', () => {
  it('has life-safety cases for exactly the languages it says it reads', () => {
    expect(Object.keys(lifeSafety).sort()).toEqual(triageLanguages.map((l) => l.code).sort());
  });

  it.each(Object.entries(lifeSafety).flatMap(([code, texts]) => texts.map((text) => [code, text] as const)))('%s: "%s" is life-safety', (code, text) => {
    const result = read(text);
    expect(result.urgency).toBe('life_safety');
    // Languages with no form of their own are named, so the counselor calls with an interpreter.
    const writtenIn = code === 'en' || code === 'es' ? {} : { writtenIn: code };
    expect(result.reasons[1]).toEqual({ code: 'text_mentions', topic: 'suicide', urgency: 'life_safety', ...writtenIn });
  });

  it.each([
    ['vi', 'tôi sẽ tự làm hại bản thân tối nay'],
    ['ru', 'она режет себя сегодня'],
    ['zh', '她今晚要割腕'],
    ['ar', 'سوف يؤذي نفسه الليلة'],
  ])('%s: self-harm with "tonight" is life-safety', (_code, text) => {
    expect(read(text).urgency).toBe('life_safety');
  });

  it.each([
    ['vi', 'đi từ từ thôi', 'slowly, slowly: the same letters as "tự tử" without their marks'],
    ['zh', '我想死你了', 'I missed you so much'],
    ['ar', 'سافر إلى بغداد اليوم', 'went to Baghdad today'],
    ['ru', 'купил ножницы', 'bought scissors'],
    ['ne', 'आजकल म खुसी छु', 'these days I am happy'],
  ])('%s: "%s" (%s) stays routine', (_code, text) => {
    expect(read(text).urgency).toBe('routine');
  });
});

describe('alerts Haven raises itself', () => {
  it('the wording of a screening alert keeps the urgency the instrument decided', () => {
    const text = `Screening (PHQ-A): an answer about thoughts of death or of self-harm. A trained person must check in with the student before the end of the school day, as the student was told.`;
    expect(triage({ category: 'suicide_self_harm', urgencyReported: 'urgent', text }).urgency).toBe('urgent');
  });
});

describe('a report filed as "other" is listed as what its words speak of', () => {
  it.each([
    ['me voy a matar esta noche', 'other', 'suicide_self_harm'],
    ['she is cutting herself', 'mental_health_worry', 'suicide_self_harm'],
    ['he brought a gun to school', 'other', 'weapon'],
    ['my dad hits me', 'other', 'abuse_neglect'],
    ['me voy a matar esta noche', 'bullying_harassment', 'bullying_harassment'],
    ['the bathroom lock is broken', 'other', 'other'],
  ] as const)('"%s" filed as %s is listed as %s', (text, filed, listed) => {
    const result = read(text, filed);
    expect(result.category).toBe(listed);
    if (filed !== listed) expect(result.reasons.at(-1)).toMatchObject({ code: 'recategorized', from: filed, to: listed });
    else expect(result.reasons.map((r) => r.code)).not.toContain('recategorized');
  });

  it('anything speaking of suicide, self-harm, a threat or a weapon carries the safety flag; the rest does not', () => {
    expect(read('quiero morirme').safetyFlag).toBe(true);
    expect(read('he has a knife').safetyFlag).toBe(true);
    expect(read('someone is selling vapes').safetyFlag).toBe(false);
  });
});
