import { districts, schools } from '../../data/districts.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import type { ReportInput } from './crisis-reports.schema.ts';
import type { InboundOrigin } from './inbound-channels.rules.ts';
import { channelOwner } from './inbound-channels.service.ts';

type Directory = { districts: { id: string; slug: string }[]; schools: { id: string; code: string; districtId: string; slug: string }[] };

/**
 * Districts and schools, to route public reports, kept for a few seconds per process: every report
 * needs them and they change rarely. A school not found is looked up again before it is refused.
 */
const cacheMs = 5000;
let cached: { at: number; directory: Directory } | undefined;

async function directory(deps: Pick<Deps, 'db'>, fresh = false): Promise<Directory> {
  if (!fresh && cached && performance.now() - cached.at < cacheMs) return cached.directory;
  const allDistricts = await deps.db.system.select({ id: districts.id, slug: districts.slug }).from(districts).orderBy(districts.createdAt);
  const allSchools = await deps.db.system.select({ id: schools.id, code: schools.code, districtId: schools.districtId }).from(schools);
  const slugOf = new Map(allDistricts.map((d) => [d.id, d.slug]));
  const result = { districts: allDistricts, schools: allSchools.map((s) => ({ ...s, slug: slugOf.get(s.districtId) ?? '' })) };
  cached = { at: performance.now(), directory: result };
  return result;
}

function match(dir: Directory, input: ReportInput) {
  const school = input.school;
  if (!school) return [];
  const found = dir.schools.filter((s) => (isUuid(school) ? s.id === school : s.code === school.toLowerCase()));
  return input.district ? found.filter((s) => s.slug === input.district) : found;
}

/**
 * Where a report goes. A text or e-mail (`inbound`) goes to the district that owns the number or
 * address it was sent to, and nowhere else: never a guess, never the oldest district (one whose
 * channel no district owns is held for the operator before it gets here). Any other report goes
 * to its school (by code or id), else the district named, else the only district. `strict`
 * refuses what cannot be placed (a person can fix it); a replayed or queued web report is never
 * refused: it goes to the oldest district's team, which routes it on.
 */
export async function resolvePlace(
  deps: Pick<Deps, 'db'>,
  input: ReportInput,
  strict: boolean,
  inbound?: InboundOrigin,
): Promise<{ districtId: string; schoolId: string | null }> {
  if (inbound) {
    const owner = await channelOwner(deps, inbound.kind, inbound.to);
    if (owner) return { districtId: owner, schoolId: null };
    if (strict)
      throw badRequest('This number or address is not connected to a district yet.', {
        code: 'channel_not_connected',
        es: 'Este número o esta dirección todavía no está conectado a ningún distrito.',
      });
    throw new Error('a channel report whose number or address no district owns reached placement; it should have been held');
  }
  let dir = await directory(deps);
  let schoolMatches = match(dir, input);
  if (input.school && schoolMatches.length === 0) {
    dir = await directory(deps, true);
    schoolMatches = match(dir, input);
  }
  const only = schoolMatches.length === 1 ? schoolMatches[0] : undefined;
  if (only) return { districtId: only.districtId, schoolId: only.id };
  if (strict && input.school && schoolMatches.length === 0)
    throw badRequest('We do not know that school. Choose it from the list, or leave it empty.', {
      code: 'school_unknown',
      es: 'No conocemos esa escuela. Elíjala de la lista o deje el campo vacío.',
    });
  const named = input.district ? dir.districts.find((d) => d.slug === input.district) : undefined;
  if (named) return { districtId: named.id, schoolId: null };
  if (dir.districts.length === 1 && dir.districts[0]) return { districtId: dir.districts[0].id, schoolId: null };
  if (strict)
    throw badRequest('Choose your school (or district) so the right team receives this.', {
      code: 'school_required',
      es: 'Elija su escuela (o su distrito) para que lo reciba el equipo correcto.',
    });
  const oldest = dir.districts[0] ?? (await directory(deps, true)).districts[0];
  if (!oldest) throw new Error('no district exists to receive the report');
  return { districtId: oldest.id, schoolId: null };
}
