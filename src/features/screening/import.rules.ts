import type { InstrumentDefinition } from './definition.schema.ts';
import { type ImportLanguage, importText } from './import.text.ts';

/**
 * Reading results exported by another survey tool: one row per screen, a column per item (by
 * its id, e.g. `q1`), `student_id` (the district's student number), `administered_at`, and
 * `instrument` unless the whole file is one instrument. Pure, so every rule is a table test.
 */

export type ImportHeader = {
  studentColumn: number;
  dateColumn: number;
  instrumentColumn: number | null;
  /** Item or context column name -> its index. */
  columns: Map<string, number>;
};

export type HeaderCheck = { ok: true; header: ImportHeader } | { ok: false; message: string };

const required = ['student_id', 'administered_at'] as const;

/** The header row; its problem is said in `lang`, the language of the person importing. */
export function readHeader(cells: string[], instruments: InstrumentDefinition[], fixedInstrument: boolean, lang: ImportLanguage = 'en'): HeaderCheck {
  const t = importText[lang];
  const names = cells.map((c) => c.trim().toLowerCase());
  for (const name of required) if (!names.includes(name)) return { ok: false, message: t.missingColumn(name) };
  const instrumentColumn = names.indexOf('instrument');
  if (instrumentColumn < 0 && !fixedInstrument) return { ok: false, message: t.noInstrumentColumn };
  const known = new Set<string>(['student_id', 'administered_at', 'instrument']);
  for (const def of instruments) {
    for (const item of def.item) known.add(item.linkId.toLowerCase());
    for (const param of def.context) known.add(param.name.toLowerCase());
  }
  const unknown = names.filter((n) => !known.has(n) && !n.startsWith('ext_'));
  if (unknown.length > 0) return { ok: false, message: t.unknownColumns(unknown) };
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) return { ok: false, message: t.twice(n) };
    seen.add(n);
  }
  const columns = new Map<string, number>();
  names.forEach((n, i) => {
    if (!required.includes(n as (typeof required)[number]) && n !== 'instrument' && !n.startsWith('ext_')) columns.set(n, i);
  });
  return {
    ok: true,
    header: {
      studentColumn: names.indexOf('student_id'),
      dateColumn: names.indexOf('administered_at'),
      instrumentColumn: instrumentColumn >= 0 ? instrumentColumn : null,
      columns,
    },
  };
}

export type ParsedRow =
  | { ok: true; studentLocalId: string; administeredAt: Date; instrumentId: string; answers: Record<string, unknown>; context: Record<string, unknown> }
  | { ok: false; errors: string[] };

/**
 * One row to answers and context for its instrument. An empty cell is a missing answer; a cell in
 * a column that is not an item of the row's instrument must be empty. Problems are said in `lang`.
 */
export function readRow(
  cells: string[],
  header: ImportHeader,
  instrumentFor: (id: string) => InstrumentDefinition | undefined,
  fixedInstrument: string | null,
  lang: ImportLanguage = 'en',
): ParsedRow {
  return rowReader(header, instrumentFor, fixedInstrument, lang)(cells);
}

/** What a column holds for one instrument: one of its items, one of its context values, or neither. */
type ColumnRole =
  | { index: number; name: string; kind: 'item'; linkId: string; numeric: boolean }
  | { index: number; name: string; kind: 'context'; param: string }
  | { index: number; name: string; kind: 'other' };

/**
 * `readRow` for a whole file: what each column means is worked out once per instrument, not once
 * per cell, so a million rows read in a second or two. The rules are those of `readRow`.
 */
export function rowReader(
  header: ImportHeader,
  instrumentFor: (id: string) => InstrumentDefinition | undefined,
  fixedInstrument: string | null,
  lang: ImportLanguage = 'en',
): (cells: string[]) => ParsedRow {
  const t = importText[lang];
  const plans = new Map<string, { def: InstrumentDefinition; roles: ColumnRole[] } | null>();
  const planFor = (id: string) => {
    let plan = plans.get(id);
    if (plan === undefined) {
      const def = instrumentFor(id);
      plan = def ? { def, roles: [...header.columns].map(([name, index]) => roleOf(def, name, index)) } : null;
      plans.set(id, plan);
    }
    return plan;
  };
  return (cells) => {
    const errors: string[] = [];
    const studentLocalId = (cells[header.studentColumn] ?? '').trim();
    if (!studentLocalId) errors.push(t.emptyStudent);
    const rawDate = (cells[header.dateColumn] ?? '').trim();
    const administeredAt = /^\d{4}-\d{2}-\d{2}$/.test(rawDate) ? new Date(`${rawDate}T12:00:00Z`) : new Date(rawDate);
    if (!rawDate || Number.isNaN(administeredAt.getTime())) errors.push(t.badDate(rawDate));
    const instrumentId = (header.instrumentColumn === null ? fixedInstrument : (cells[header.instrumentColumn] ?? '').trim().toLowerCase()) ?? '';
    const plan = planFor(instrumentId);
    if (!plan) {
      errors.push(t.unknownInstrument(instrumentId));
      return { ok: false, errors };
    }
    const answers: Record<string, unknown> = {};
    const context: Record<string, unknown> = {};
    for (const role of plan.roles) {
      const raw = (cells[role.index] ?? '').trim();
      if (role.kind === 'item') {
        if (raw === '') answers[role.linkId] = null;
        else if (role.numeric) answers[role.linkId] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
        else answers[role.linkId] = raw.toLowerCase();
      } else if (role.kind === 'context') {
        if (raw !== '') context[role.param] = /^-?\d+$/.test(raw) ? Number(raw) : raw.toUpperCase() === 'K' ? 0 : raw;
      } else if (raw !== '') errors.push(t.notAQuestion(role.name, plan.def.id));
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, studentLocalId, administeredAt, instrumentId: plan.def.id, answers, context };
  };
}

function roleOf(def: InstrumentDefinition, name: string, index: number): ColumnRole {
  const item = def.item.find((i) => i.linkId.toLowerCase() === name);
  if (item) return { index, name, kind: 'item', linkId: item.linkId, numeric: typeof item.answerOption[0]?.value === 'number' };
  const param = def.context.find((c) => c.name.toLowerCase() === name);
  if (param) return { index, name, kind: 'context', param: param.name };
  return { index, name, kind: 'other' };
}
