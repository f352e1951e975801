import { and, desc, eq } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { instrumentDefinitions } from '../../data/screening.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { sha256 } from '../../platform/secrets.ts';
import { type DefinitionError, formatDefinitionErrors, loadDefinition } from './definition.rules.ts';
import type { InstrumentDefinition } from './definition.schema.ts';
import { archivedInstrument, type Instrument, shippedInstruments } from './library.ts';
import { compileInstrument } from './scoring.rules.ts';

const system = { userId: null, label: 'system: command line' };

/** Compiled district definitions by content hash: a version never changes once stored. */
const compiled = new Map<string, Instrument>();

function compiledFrom(contentHash: string, definition: InstrumentDefinition): Instrument {
  let instrument = compiled.get(contentHash);
  if (!instrument) {
    instrument = { definition, score: compileInstrument(definition) };
    compiled.set(contentHash, instrument);
  }
  return instrument;
}

/**
 * The instruments a district can use: those Haven ships, plus the newest version of each the
 * district imported. `districtId` null means the shipped ones only (anonymous scoring).
 */
export async function instrumentsFor(deps: Pick<Deps, 'db'>, districtId: string | null): Promise<Map<string, Instrument>> {
  const all = new Map(shippedInstruments());
  if (!districtId) return all;
  const rows = await withTenant(deps.db.app, { districtId }, (tx) =>
    tx
      .selectDistinctOn([instrumentDefinitions.instrumentId], {
        instrumentId: instrumentDefinitions.instrumentId,
        definition: instrumentDefinitions.definition,
        contentHash: instrumentDefinitions.contentHash,
      })
      .from(instrumentDefinitions)
      .orderBy(instrumentDefinitions.instrumentId, desc(instrumentDefinitions.importedAt)),
  );
  for (const row of rows) all.set(row.instrumentId, compiledFrom(row.contentHash, row.definition as InstrumentDefinition));
  return all;
}

export async function findInstrument(deps: Pick<Deps, 'db'>, districtId: string | null, id: string): Promise<Instrument> {
  const instrument = (await instrumentsFor(deps, districtId)).get(id);
  if (!instrument) throw instrumentNotFound(id);
  return instrument;
}

/** The definition that scored a stored result (its exact version), for re-display and export. */
export async function instrumentVersion(deps: Pick<Deps, 'db'>, districtId: string, id: string, version: string): Promise<Instrument | undefined> {
  const shipped = shippedInstruments().get(id);
  if (shipped?.definition.version === version) return shipped;
  if (shipped) return archivedInstrument(id, version);
  const [row] = await withTenant(deps.db.app, { districtId }, (tx) =>
    tx
      .select()
      .from(instrumentDefinitions)
      .where(and(eq(instrumentDefinitions.instrumentId, id), eq(instrumentDefinitions.version, version))),
  );
  return row ? compiledFrom(row.contentHash, row.definition as InstrumentDefinition) : undefined;
}

export class InvalidDefinition extends Error {
  constructor(
    public readonly file: string,
    public readonly errors: DefinitionError[],
  ) {
    super(formatDefinitionErrors(file, errors));
  }
}

/**
 * Imports a district's own instrument definition (for example its licensed C-SSRS). It is
 * validated exactly like the shipped ones; a new version is added beside the old ones; importing
 * the same version again with the same content changes nothing, with different content is refused.
 */
export async function importInstrument(deps: Deps, districtId: string, text: string, file: string, actor: Actor | null = null) {
  const loaded = loadDefinition(text);
  if (!loaded.ok) throw new InvalidDefinition(file, loaded.errors);
  const definition = loaded.definition;
  if (shippedInstruments().has(definition.id)) {
    throw badRequest(`"${definition.id}" ships with Haven; give your definition its own id (for example "${definition.id}-local").`, {
      code: 'instrument_id_shipped',
      es: `"${definition.id}" viene incluido en Haven; dé a su definición un id propio (por ejemplo, "${definition.id}-local").`,
    });
  }
  const contentHash = sha256(JSON.stringify(definition));
  return withTenant(deps.db.app, { districtId, userId: actor?.userId ?? null }, async (tx) => {
    const [existing] = await tx
      .select()
      .from(instrumentDefinitions)
      .where(and(eq(instrumentDefinitions.instrumentId, definition.id), eq(instrumentDefinitions.version, definition.version)));
    if (existing) {
      if (existing.contentHash === contentHash) return { id: definition.id, version: definition.version, status: 'unchanged' as const };
      throw conflict(`Version ${definition.version} of "${definition.id}" is already stored with different content; raise "version" to keep both.`, {
        code: 'instrument_version_taken',
        es: `La versión ${definition.version} de "${definition.id}" ya está guardada con otro contenido; aumente "version" para conservar ambas.`,
      });
    }
    await tx.insert(instrumentDefinitions).values({
      id: deps.ids.uuid(),
      districtId,
      instrumentId: definition.id,
      version: definition.version,
      definition,
      contentHash,
      importedAt: deps.clock.now(),
    });
    await deps.audit.append(tx, districtId, actor ? auditActor(actor) : system, {
      action: 'instrument.imported',
      subjectType: 'instrument',
      detail: { instrument: definition.id, version: definition.version },
    });
    return { id: definition.id, version: definition.version, status: 'imported' as const };
  });
}

/** An instrument that is neither shipped nor the district's own; said alike wherever one is named. */
export const instrumentNotFound = (id: string) =>
  notFound(`The instrument "${id}"`, { code: 'instrument_not_found', es: `El instrumento "${id}" no existe o usted no tiene acceso a él.` });
