import type { reportCategories, urgencies } from '../../data/reports.values.ts';

type Category = (typeof reportCategories)[number];
export type Urgency = (typeof urgencies)[number];

const rank: Record<Urgency, number> = { routine: 0, urgent: 1, life_safety: 2 };

/**
 * Categories that start at a floor whatever the reporter chose. Weapons are life-safety
 * (C.R.S. 22-32-109.1 treats them as an immediate threat); self-harm, threats, abuse (24-hour
 * mandatory report, C.R.S. 19-3-304) and sexual violence are at least urgent.
 */
const categoryFloor: Partial<Record<Category, Urgency>> = {
  weapon: 'life_safety',
  suicide_self_harm: 'urgent',
  harm_to_others: 'urgent',
  abuse_neglect: 'urgent',
  sexual_assault_dating_violence: 'urgent',
};

/**
 * The languages triage reads: English, Spanish, and the district's next most common home languages
 * where the phrases could be checked. Amharic and Somali are not here yet: no phrase for them was
 * certain enough (decision 15). A person reads every report whatever its language; this list only
 * says which ones can raise the urgency before anyone has read them.
 */
export const triageLanguages = [
  { code: 'en', name: 'English', nativeName: 'English', dir: 'ltr' },
  { code: 'es', name: 'Spanish', nativeName: 'español', dir: 'ltr' },
  { code: 'vi', name: 'Vietnamese', nativeName: 'Tiếng Việt', dir: 'ltr' },
  { code: 'ar', name: 'Arabic', nativeName: 'العربية', dir: 'rtl' },
  { code: 'ru', name: 'Russian', nativeName: 'русский', dir: 'ltr' },
  { code: 'zh', name: 'Chinese', nativeName: '中文', dir: 'ltr' },
  { code: 'ne', name: 'Nepali', nativeName: 'नेपाली', dir: 'ltr' },
] as const;
export type TriageLanguage = (typeof triageLanguages)[number]['code'];

/**
 * How each language is read. English and Spanish are matched without accents, because students
 * type fast on phones and often leave them out. The others keep their marks: stripping them turns
 * Vietnamese "tự tử" (suicide) into "tu tu", which is also "từ từ" (slowly), and Russian "й" into
 * "и". Chinese has no spaces between words and Arabic attaches "and", "the" and "will" to the
 * word, so their phrases are found anywhere; the others must start and end at a word edge.
 */
const reading: Record<TriageLanguage, { text: 'folded' | 'exact'; bounded: boolean }> = {
  en: { text: 'folded', bounded: true },
  es: { text: 'folded', bounded: true },
  vi: { text: 'exact', bounded: true },
  ar: { text: 'exact', bounded: false },
  ru: { text: 'exact', bounded: true },
  zh: { text: 'exact', bounded: false },
  ne: { text: 'exact', bounded: true },
};

/** Phrases are regular-expression sources, lower-case; English and Spanish without accents. */
type Phrases = Record<TriageLanguage, readonly string[]>;
const ending = '[\\p{L}\\p{M}]*'; // any inflection: Russian and Nepali endings, "suicidal"
const edgeBefore = '(?<![\\p{L}\\p{M}\\p{N}])';
const edgeAfter = '(?![\\p{L}\\p{M}\\p{N}])';

/**
 * What the words of a report can speak of. Each is a stable code the staff app puts in the reader's
 * words ("wants to die / kill themselves", "quiere morir o matarse"), so a stored reason reads in
 * English and Spanish alike and never changes when the wording on screen improves.
 */
export const triageTopics = ['suicide', 'weapon', 'harm_to_others', 'overdose', 'self_harm', 'abuse', 'unsafe_home'] as const;
export type TriageTopic = (typeof triageTopics)[number];

/**
 * The phrase table: one row per topic, with its phrases in every language triage reads. Each row
 * says what it suggests and whether it speaks of harm (harm plus "tonight" makes any report
 * life-safety). A new language is a new key in every row, so no topic is forgotten for it.
 */
const phraseTable: { urgency: Urgency; topic: TriageTopic; harm?: true; category?: Category; phrases: Phrases }[] = [
  {
    urgency: 'life_safety',
    topic: 'suicide', // wants to die / kill themselves
    harm: true,
    category: 'suicide_self_harm',
    phrases: {
      en: [
        'kill(s|ing|ed)? (my|him|her|them|your)sel(f|ves)',
        '(end|ending|take|taking) (my|his|her|their) (own )?life',
        'end it all',
        '(want|wants|wanted|wanna) (to )?die',
        // Not "I don't want to live with my dad".
        "(do not|don't|dont|does not|doesn't|doesnt) want to (live|be alive)(?! (with|in|at|here|there|near))",
        'better off dead',
        'hang(ing)? (my|him|her|them)sel(f|ves)',
        '(slit|slits|slitting|cut|cuts|cutting) (my|his|her|their) wrists',
        `suicid${ending}`,
        `unaliv${ending}`,
      ],
      es: [
        'matar(me|se)',
        // "me" with the speaker's own verb, "se" with someone else's: "mi papá me va a matar" is not this.
        'me (voy a|iba a|quiero|queria|pienso) matar',
        'se (va a|van a|iba a|quiere|quieren|queria|piensa) matar',
        '(me (mate|mato|matare|mataria)|se (mato|matara|mataria))(?! de risa)',
        `suicid${ending}`,
        'quitar(me|se)? la vida',
        '(acabar|terminar) con (mi|su) vida',
        '(quiero|quiere|quieres|quisiera|queria) (morir(me|se)?|estar muert[oa])',
        '(me|se) (quiero|quiere|quisiera|queria) morir',
        'ganas de morir(me|se)?',
        'no (quiero|quiere|queria) (vivir|seguir viviendo|estar vivo|estar viva)(?! (con|en|aqui|alli|alla|ahi|cerca))',
        'no (tengo|tiene) (razon|razones|motivo|motivos) para vivir',
        'ahorcar(me|se)',
        '(cortar(me|se)|(me|se) (corto|corte|va a cortar|voy a cortar|quiere cortar|quiero cortar)) las venas',
      ],
      vi: ['tự tử', 'tự sát', 'muốn chết', 'muon chet', '(tự )?giết mình', 'không muốn sống'],
      ar: ['انتحار', 'نتحر', 'اريد ان اموت', 'اريد الموت', 'قتل نفس(ي|ه|ها)'],
      ru: [`суицид${ending}`, `самоубийств${ending}`, '(убить|убью|убьет|убьешь|убил|убила) себя', `поконч${ending} с собой`, 'хочу умереть', 'не хочу жить'],
      // 想死你了 / 想死我了 means "I missed you so much", not "I want to die".
      zh: ['自杀', '自殺', '想死(?!你|您|我了)', '不想活', '[杀殺]了自己', '轻生', '輕生', '[结結]束自己的生命'],
      ne: [`आत्महत्या${ending}`, 'मर्न चाहन्छु'],
    },
  },
  {
    urgency: 'life_safety',
    topic: 'weapon', // a gun or other weapon
    category: 'weapon',
    phrases: {
      en: ['guns?', 'handguns?', 'shotguns?', 'firearms?', 'pistols?', 'rifles?', 'shoot(ing)?', 'shot', 'knife', 'knives', 'bombs?', 'explosives?'],
      es: [
        'pistolas?',
        'armas?',
        'arma de fuego',
        'escopetas?',
        'disparar',
        'disparos?',
        'balacera',
        'tiroteo',
        'cuchillos?',
        'navajas?',
        'bombas?',
        'explosivos?',
      ],
      vi: ['súng'],
      ar: ['مسدس', 'سلاح', 'قنبله'],
      ru: [`пистолет${ending}`, `оружи${ending}`, `бомб${ending}`, 'нож(а|ом|и)?'],
      zh: ['(?<!水)[枪槍]', '炸弹', '炸彈'],
      ne: [],
    },
  },
  {
    urgency: 'life_safety',
    topic: 'harm_to_others', // a plan to kill or hurt people
    harm: true,
    category: 'harm_to_others',
    phrases: {
      en: ['kill (everyone|everybody|people|him|her|them|you)', 'hurt (everyone|everybody|people)'],
      es: ['matar a', 'matar(te|lo|la|los|las|les)', '(te|lo|la|los|las) (voy|va|vamos|van) a matar', 'lastimar a todos'],
      vi: [],
      ar: [],
      ru: [],
      zh: [],
      ne: [],
    },
  },
  {
    urgency: 'life_safety',
    topic: 'overdose', // an overdose or taking pills
    category: 'suicide_self_harm',
    phrases: {
      en: [
        `overdos${ending}`,
        '(took|taken|take|swallowed) (a lot of|all (the|my|his|her|their)|too many|a bottle of|a bunch of) (pills|meds|medicine|medication|tablets)',
      ],
      es: [
        'sobredosis',
        '(se |me )?(tomo|tome|trago|trague) (todas (las|sus|mis) |muchas |demasiadas |un monton de |un frasco de |una caja de )?(pastillas|pildoras)',
        '(tomo|tome|trago|trague) (todas (las|sus|mis)|muchas|demasiadas|un monton de|un frasco de) (medicinas|medicamentos)',
      ],
      vi: ['quá liều'],
      ar: [],
      ru: [`передозировк${ending}`],
      zh: ['服药过量', '服藥過量', '吞药', '吞藥'],
      ne: [],
    },
  },
  {
    urgency: 'urgent',
    topic: 'self_harm', // self-harm
    harm: true,
    category: 'suicide_self_harm',
    phrases: {
      en: [
        '(cut|cuts|cutting|hurt|hurts|hurting|harm|harms|harming|burn|burns|burning|burned) (my|him|her|them)sel(f|ves)',
        'self[- ]?harm',
        `self[- ]?injur${ending}`,
      ],
      es: [
        // Not "se cortó el pelo" (cut her hair) or "me corté el dedo" (an accident).
        '(cortar(me|se)|cortando(me|se)|(me|se) (corto|corte|corta|cortaba|cortan|ha cortado|he cortado)|(me|se) (esta|estoy|estan) cortando)(?! (el |la |los |las |un |una |mi |su )?(pelo|cabello|unas|flequillo|fleco|barba|dedo))',
        'hacer(me|se) dano',
        'me (quiero|voy a|iba a) (hacer dano|lastimar)',
        'se (quiere|va a|iba a) (hacer dano|lastimar)',
        'lastimar(me|se)',
        // Not "me lastimé la rodilla" (hurt my knee).
        '(me|se) (lastimo|lastima|lastimaba|lastime)(?! (el|la|los|las|un|una|mi|su) )',
        '(me|se) hac(e|o|en) cortes',
        `autolesi${ending}`,
      ],
      vi: ['tự làm hại (bản thân|mình)', 'tự hại', 'tự làm đau (bản thân|mình)', 'rạch tay', 'cắt tay'],
      ar: ['ايذاء النفس', '[ايت]ؤذي نفس(ي|ه|ها)'],
      ru: ['(режу|режет|режешь|порезал|порезала|порезать|резать) себя', `самоповрежд${ending}`, 'селфхарм'],
      zh: ['自残', '自殘', '割腕', '[伤傷]害自己'],
      ne: [],
    },
  },
  {
    urgency: 'urgent',
    topic: 'abuse', // abuse at home
    category: 'abuse_neglect',
    phrases: {
      en: [
        '(is going to|gonna|will) (hurt|hit|beat) me',
        'hits me',
        'hit me(?! up)',
        'beats me',
        'punches me',
        'slaps me',
        'chokes me',
        `abus${ending}`,
        'touched me',
      ],
      es: [
        'me (va|van) a (lastimar|pegar|golpear)',
        '(me|le|la|lo|nos) (pega|pegan|pego|golpea|golpean|golpeo|maltrata|maltratan)',
        'maltrato',
        'me toco',
        'abusa de',
        `abus(o|os|an|aron|aba|ando)`,
      ],
      vi: ['bạo hành'],
      ar: [],
      ru: ['бьет меня', 'избивает'],
      zh: ['家暴', '虐待'],
      ne: [],
    },
  },
  {
    urgency: 'urgent',
    topic: 'unsafe_home', // running away or not safe to go home
    phrases: {
      en: ['(run|runs|running|ran) away', 'not safe (at|to go) home', '(afraid|scared) to go home'],
      es: [
        'huir de (la |mi |su )?casa',
        'escapar(me|se)? de (la |mi |su )?casa',
        '(me|se) (escape|escapo|voy a escapar|va a escapar) de (la |mi |su )?casa',
        'miedo (de|a) (ir|volver|regresar|llegar) a (la |mi |su )?casa',
        'no (esta|estoy|me siento|se siente) (seguro|segura|a salvo) en (la |mi |su )?casa',
      ],
      vi: [],
      ar: [],
      ru: [],
      zh: [],
      ne: [],
    },
  },
];

/** Words that make a report speaking of harm immediate: it could happen today, tonight, now. */
const imminenceWords: Phrases = {
  en: ['today', 'tonight', 'tonite', 'right now', 'tomorrow', 'this (morning|afternoon|evening|weekend)', 'after school'],
  es: ['hoy', 'esta noche', 'ahora mismo', 'ahorita', 'manana', 'esta tarde', 'este fin de semana', 'despues de (la escuela|clases)'],
  vi: ['hôm nay', 'tối nay', 'ngay bây giờ', 'ngày mai'],
  ar: [`${edgeBefore}[وف]?(اليوم|الليله|الان|غدا)${edgeAfter}`],
  ru: ['сегодня', 'завтра', 'прямо сейчас', 'этой ночью'],
  zh: ['今天', '今晚', '明天', '马上', '馬上', '现在就', '現在就'],
  ne: ['आज', 'भोलि'],
};

/** One regular expression per language that has phrases, built once at start-up. */
function compile(phrases: Phrases): { language: TriageLanguage; pattern: RegExp }[] {
  return triageLanguages.flatMap(({ code }) => {
    const list = phrases[code];
    if (list.length === 0) return [];
    const { bounded } = reading[code];
    const body = `(?:${list.join('|')})`;
    return [{ language: code, pattern: new RegExp(bounded ? `${edgeBefore}${body}${edgeAfter}` : body, 'u') }];
  });
}

const compiledRules = phraseTable.map((rule) => ({ ...rule, patterns: compile(rule.phrases) }));
const compiledImminence = compile(imminenceWords);

/** The two forms of the text the phrases are matched on (see `reading`). */
function readText(raw: string): Record<'folded' | 'exact', string> {
  const lower = raw
    .normalize('NFC')
    .toLowerCase()
    .replace(/[‘’`´]/g, "'");
  const folded = lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const exact = lower
    .replace(/ё/g, 'е')
    .replace(/[\u064b-\u065f\u0670\u0640]/g, '') // Arabic short vowels and tatweel, often left out
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه');
  return { folded, exact };
}

/** The first language whose phrases are in the text, if any. */
function findIn(text: Record<'folded' | 'exact', string>, patterns: { language: TriageLanguage; pattern: RegExp }[]): TriageLanguage | null {
  return patterns.find(({ language, pattern }) => pattern.test(text[reading[language].text]))?.language ?? null;
}

/**
 * One reason for the urgency, as a code and its values; the staff app says it in the reader's
 * language. Reports triaged before reasons had codes keep their English sentence (a string).
 */
export type TriageReason =
  /** What the reporter chose: where triage starts. */
  | { code: 'reporter_said'; urgency: Urgency }
  /** The category alone sets a floor (`categoryFloor`). */
  | { code: 'category_floor'; category: Category; urgency: Urgency }
  /** The words raised the urgency; `writtenIn` names a language the public pages have no form for. */
  | { code: 'text_mentions'; topic: TriageTopic; urgency: Urgency; writtenIn?: TriageLanguage }
  /** A report filed as "other" or "a mental-health worry" is listed as what its words speak of. */
  | { code: 'recategorized'; from: Category; topic: TriageTopic; to: Category }
  /** Harm that could happen today, tonight, now: life-safety. */
  | { code: 'imminent' };

/** A reason as stored with a report: a coded reason, or the English sentence of an older report. */
export type StoredTriageReason = TriageReason | string;

export type Triage = {
  urgency: Urgency;
  /** Why, as codes a counselor reads in their language; stored with the report and shown on its page. */
  reasons: TriageReason[];
  /** It speaks of suicide, self-harm, a threat or a weapon: it escalates around the clock. */
  safetyFlag: boolean;
  /**
   * The category the words speak of, for a report filed as "other" or "a mental-health worry": a
   * life-safety report is then listed, and opens a case, as what it is (the first rule matched).
   */
  category: Category;
};

/** Categories a reporter picks when unsure; the words may say more. */
const vagueCategories: readonly Category[] = ['other', 'mental_health_worry'];

/**
 * Suggests an urgency from the category and the words of the report, and says why. Conservative:
 * it may raise the urgency the reporter chose, never lower it; a person reviews every report.
 */
export function triage(input: { category: Category; urgencyReported: Urgency; text: string }): Triage {
  const text = readText(input.text);
  let urgency = input.urgencyReported;
  const reasons: TriageReason[] = [{ code: 'reporter_said', urgency: input.urgencyReported }];
  const floor = categoryFloor[input.category];
  if (floor && rank[floor] > rank[urgency]) {
    urgency = floor;
    reasons.push({ code: 'category_floor', category: input.category, urgency: floor });
  }
  let mentionsHarm = false;
  let category = input.category;
  let recategorized: TriageReason | null = null;
  for (const rule of compiledRules) {
    const language = findIn(text, rule.patterns);
    if (!language) continue;
    if (rule.harm) mentionsHarm = true;
    if (rule.category && category === input.category && vagueCategories.includes(input.category)) {
      category = rule.category;
      recategorized = { code: 'recategorized', from: input.category, topic: rule.topic, to: rule.category };
    }
    if (rank[rule.urgency] > rank[urgency]) {
      urgency = rule.urgency;
      // A language the public pages have no form for is named, so the counselor calls with an interpreter.
      const writtenIn = language === 'en' || language === 'es' ? {} : { writtenIn: language };
      reasons.push({ code: 'text_mentions', topic: rule.topic, urgency: rule.urgency, ...writtenIn });
    }
  }
  if (recategorized) reasons.push(recategorized);
  const harmful = mentionsHarm || ['suicide_self_harm', 'harm_to_others', 'weapon'].includes(category);
  if (harmful && urgency !== 'life_safety' && findIn(text, compiledImminence)) {
    urgency = 'life_safety';
    reasons.push({ code: 'imminent' });
  }
  return { urgency, reasons, safetyFlag: harmful, category };
}
