import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDefinitionErrors, loadDefinition } from './definition.rules.ts';
import type { InstrumentDefinition } from './definition.schema.ts';
import { compileInstrument, type Scorer } from './scoring.rules.ts';

export interface Instrument {
  definition: InstrumentDefinition;
  score: Scorer;
}

const shippedFolder = join(fileURLToPath(new URL('.', import.meta.url)), 'instruments');

/** Reads, validates and compiles one definition; a broken file throws with line-precise errors. */
export function instrumentFromText(text: string, file: string): Instrument {
  const loaded = loadDefinition(text);
  if (!loaded.ok) throw new Error(`${file} is not a valid instrument definition:\n${formatDefinitionErrors(file, loaded.errors)}`);
  return { definition: loaded.definition, score: compileInstrument(loaded.definition) };
}

let shipped: Map<string, Instrument> | undefined;
const archived = new Map<string, Instrument | null>();

/**
 * An earlier version of a shipped instrument (`instruments/archive/<id>-<version>.json`), so that
 * a result keeps being shown with the questions and rules that scored it after an upgrade.
 */
export function archivedInstrument(id: string, version: string): Instrument | undefined {
  const key = `${id}-${version}`;
  if (!archived.has(key)) {
    const file = join(shippedFolder, 'archive', `${key}.json`);
    archived.set(key, existsSync(file) && /^[a-z0-9-]+$/.test(id) && /^[0-9.]+$/.test(version) ? instrumentFromText(readFileSync(file, 'utf8'), file) : null);
  }
  return archived.get(key) ?? undefined;
}

/**
 * The instruments Haven ships (PHQ-9, PHQ-A, GAD-7, ASQ, SRSS-IE), read once from JSON files in
 * `instruments/`. They pass the same validation as a district's import, so the library is data.
 */
export function shippedInstruments(): Map<string, Instrument> {
  if (!shipped) {
    shipped = new Map();
    for (const file of readdirSync(shippedFolder)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const instrument = instrumentFromText(readFileSync(join(shippedFolder, file), 'utf8'), file);
      shipped.set(instrument.definition.id, instrument);
    }
  }
  return shipped;
}
