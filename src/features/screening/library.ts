import { readdirSync, readFileSync } from 'node:fs';
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
