import type { reportCategories, urgencies } from './crisis-reports.tables.ts';

type Category = (typeof reportCategories)[number];
export type Urgency = (typeof urgencies)[number];

const rank: Record<Urgency, number> = { routine: 0, urgent: 1, life_safety: 2 };
const higher = (a: Urgency, b: Urgency): Urgency => (rank[a] >= rank[b] ? a : b);

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

/** Phrases in English and Spanish, matched on lower-cased text without accents. */
const phraseRules: { urgency: Urgency; label: string; pattern: RegExp; harm?: true }[] = [
  {
    urgency: 'life_safety',
    label: 'wants to die / kill themselves',
    harm: true,
    pattern:
      /\b(kill (my|him|her|them)sel(f|ves)|end (my|his|her|their) life|want(s)? to die|suicid\w*|matar(me|se)|quitar(me|se) la vida|quiero morir(me)?|quiere morir(se)?)\b/,
  },
  {
    urgency: 'life_safety',
    label: 'a gun or other weapon',
    pattern: /\b(gun|guns|firearm|pistol|rifle|shoot(ing)?|shot|knife|bomb|pistola|arma|armas|disparar|cuchillo|bomba)\b/,
  },
  {
    urgency: 'life_safety',
    label: 'a plan to kill or hurt people',
    harm: true,
    pattern: /\b(kill (everyone|people|him|her|them|you)|hurt (everyone|people)|matar a|lastimar a todos)\b/,
  },
  {
    urgency: 'life_safety',
    label: 'an overdose or taking pills',
    pattern: /\b(overdos\w*|took (a lot of|all the|too many) pills|sobredosis|tomo pastillas|tomó pastillas)\b/,
  },
  {
    urgency: 'urgent',
    label: 'self-harm',
    harm: true,
    pattern:
      /\b(cut(s|ting)? (my|him|her|them)sel(f|ves)|hurt(s|ing)? (my|him|her|them)sel(f|ves)|self[- ]harm|cortarse|se corta|me corto|lastimarme|hacerse dano)\b/,
  },
  {
    urgency: 'urgent',
    label: 'abuse at home',
    pattern: /\b(hits me|beats me|abus\w*|touched me|(me|le) pega|(me|le|lo|la) golpea|maltrato|me toco|abusa de)\b/,
  },
  {
    urgency: 'urgent',
    label: 'running away or not safe to go home',
    pattern: /\b(run(ning)? away|not safe (at|to go) home|huir de casa|no (esta|estoy) (seguro|segura) en (casa|su casa))\b/,
  },
];

/** Words that make a threat or self-harm report immediate. */
const imminence = /\b(today|tonight|right now|tomorrow|this (morning|afternoon|weekend)|hoy|esta noche|ahora mismo|manana)\b/;

export type Triage = { urgency: Urgency; reasons: string[] };

/**
 * Suggests an urgency from the category and the words of the report, and says why. Conservative:
 * it may raise the urgency the reporter chose, never lower it; a person reviews every report.
 */
export function triage(input: { category: Category; urgencyReported: Urgency; text: string }): Triage {
  const text = input.text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  let urgency = input.urgencyReported;
  const reasons: string[] = [`The reporter said: ${input.urgencyReported.replace('_', '-')}.`];
  const floor = categoryFloor[input.category];
  if (floor && rank[floor] > rank[urgency]) {
    urgency = floor;
    reasons.push(`Reports in the category "${input.category.replaceAll('_', ' ')}" are at least ${floor.replace('_', '-')}.`);
  }
  let mentionsHarm = false;
  for (const rule of phraseRules) {
    const matched = rule.pattern.test(text);
    if (matched && rule.harm) mentionsHarm = true;
    if (matched && rank[rule.urgency] > rank[urgency]) {
      urgency = higher(urgency, rule.urgency);
      reasons.push(`The text mentions ${rule.label}, which suggests ${rule.urgency.replace('_', '-')}.`);
    }
  }
  const harmful = mentionsHarm || ['suicide_self_harm', 'harm_to_others', 'weapon'].includes(input.category);
  if (harmful && urgency !== 'life_safety' && imminence.test(text)) {
    urgency = 'life_safety';
    reasons.push('The text says it could happen very soon (today, tonight, now), which makes it life-safety.');
  }
  return { urgency, reasons };
}
