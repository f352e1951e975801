import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict } from '../../../test/support/factories.ts';
import { fixture } from '../../../test/support/fixtures.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { partnerLocations, partnerServices, serviceAtLocations } from '../../data/directory.ts';
import { partnerOrganizations } from '../../data/partners.ts';
import { readNested } from './hsds.rules.ts';
import { exportDirectory, importDirectory, readHsds } from './hsds.service.ts';

let haven: TestHaven;
beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());

const hsds = fixture('hsds-3.1');
const ours = fixture('hsds-3.1/haven');
const FRYC = '778a7491-16fd-4be9-9b6c-891ff9922035';
const unchanged = { created: 0, updated: 0 };

/** What the district's directory holds, by name: each service with its organization and locations. */
async function directoryOf(districtId: string) {
  const db = haven.deps.db.system;
  const orgs = new Map((await db.select().from(partnerOrganizations).where(eq(partnerOrganizations.districtId, districtId))).map((o) => [o.id, o.name]));
  const locations = new Map((await db.select().from(partnerLocations).where(eq(partnerLocations.districtId, districtId))).map((l) => [l.id, l.name]));
  const sals = await db.select().from(serviceAtLocations).where(eq(serviceAtLocations.districtId, districtId));
  const services = await db.select().from(partnerServices).where(eq(partnerServices.districtId, districtId));
  return services
    .map((s) => ({
      service: s.name,
      organization: orgs.get(s.organizationId),
      at: sals.filter((l) => l.serviceId === s.id).map((l) => locations.get(l.locationId)),
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
}

describe('the partner directory in Open Referral HSDS', () => {
  it('imports the full 3.1 service: a searchable partner, service and location; a second import changes nothing', async () => {
    const { district } = await createDistrict(haven.deps);
    const first = await importDirectory(haven.deps, district.id, await readHsds(`${hsds}/service_full.json`), 'test');
    expect(first).toMatchObject({
      organizations: { created: 1 },
      services: { created: 1 },
      locations: { created: 1 },
      serviceAtLocations: { created: 1 },
      rejected: [],
    });
    const [service] = await haven.deps.db.system.select().from(partnerServices).where(eq(partnerServices.districtId, district.id));
    expect(service).toMatchObject({ name: 'Community Counselling', status: 'active', languages: ['ur'], capacityAvailable: 12, capacityMaximum: 10 });
    const again = await importDirectory(haven.deps, district.id, await readHsds(`${hsds}/service_full.json`), 'test');
    expect(again).toMatchObject({
      organizations: { created: 0, updated: 0, unchanged: 1 },
      services: { created: 0, updated: 0, unchanged: 1 },
      locations: { unchanged: 1 },
      serviceAtLocations: { unchanged: 1 },
    });

    // The first public endpoints keep answering arrays, for the consumers that read them.
    const search = await haven.app.inject({ method: 'GET', url: `/api/v1/hsds/services?district=${district.slug}&q=counsel` });
    expect(search.json().map((s: { name: string }) => s.name)).toEqual(['Community Counselling']);
    expect((await haven.app.inject({ method: 'GET', url: `/api/v1/hsds/services?district=${district.slug}&q=dentist` })).json()).toEqual([]);
    const orgs = await haven.app.inject({ method: 'GET', url: `/api/v1/hsds/organizations?district=${district.slug}` });
    expect(orgs.json().map((o: { name: string }) => o.name)).toEqual(['Example Organization Inc.', 'Front Range Family Counseling']);
    const sal = await haven.app.inject({ method: 'GET', url: `/api/v1/hsds/service_at_locations?district=${district.slug}` });
    expect(sal.json()[0]).toMatchObject({ service: { name: 'Community Counselling' }, location: { id: expect.any(String) } });
  });

  it('exports HSDS that round-trips: the export imported into another district equals the original, and re-imported changes nothing', async () => {
    const a = await createDistrict(haven.deps);
    await importDirectory(haven.deps, a.district.id, await readHsds(`${hsds}/service_full.json`), 'test');
    const exported = await exportDirectory(haven.deps, a.district.id);
    const original = JSON.parse(fs.readFileSync(`${hsds}/service_full.json`, 'utf8'));
    expect(exported[0]).toMatchObject({
      id: original.id,
      name: original.name,
      organization: { id: original.organization.id },
      service_at_locations: [{ id: original.service_at_locations[0].id, location: { id: original.service_at_locations[0].location.id } }],
    });
    expect(await importDirectory(haven.deps, a.district.id, readNested(JSON.parse(JSON.stringify(exported))), 'test')).toMatchObject({
      services: { updated: 0, unchanged: 1 },
      organizations: { updated: 0 },
    });
    const b = await createDistrict(haven.deps);
    await importDirectory(haven.deps, b.district.id, readNested(exported), 'test');
    expect(await exportDirectory(haven.deps, b.district.id)).toEqual(exported);
  });

  it('an organization file with its services nested inside: the organization is their parent; a refused service is named and the rest imports', async () => {
    const { district } = await createDistrict(haven.deps);
    const summary = await importDirectory(haven.deps, district.id, await readHsds(`${ours}/organization-with-services.json`), 'test');
    expect(summary).toMatchObject({ organizations: { created: 1 }, services: { created: 2 }, locations: { created: 1 }, serviceAtLocations: { created: 1 } });
    expect(summary.rejected.map((r) => `${r.record} ${r.field}`)).toEqual(['$.services[2] id', '$.services[3] organization_id']);
    expect(await directoryOf(district.id)).toEqual([
      { service: 'Bilingual teen counseling', organization: 'Front Range Youth Counseling', at: ['Lakewood office'] },
      { service: 'Family therapy', organization: 'Front Range Youth Counseling', at: [] },
    ]);
    const again = await importDirectory(haven.deps, district.id, await readHsds(`${ours}/organization-with-services.json`), 'test');
    expect(again).toMatchObject({ organizations: unchanged, services: unchanged, locations: unchanged, serviceAtLocations: unchanged });

    // A list of services may name an organization already in the directory; one it cannot find is refused alone.
    const list = await importDirectory(haven.deps, district.id, await readHsds(`${ours}/services-list.json`), 'test');
    expect(list.services).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(list.rejected).toEqual([
      { record: '$[1]', field: 'minimum_age', reason: 'is "twelve": it must be an age in years' },
      {
        record: '$[2]',
        field: 'organization_id',
        reason: 'names organization d1709121-8654-495e-8e1f-6c73732c4f97, which is neither in the file nor in the directory',
      },
    ]);
    expect((await directoryOf(district.id)).find((s) => s.service === 'Grief support group')?.organization).toBe('Front Range Youth Counseling');
  });

  it('a service_at_location brings its service, the service its organization, and the location', async () => {
    const { district } = await createDistrict(haven.deps);
    const summary = await importDirectory(haven.deps, district.id, await readHsds(`${ours}/service-at-location.json`), 'test');
    expect(summary).toMatchObject({
      organizations: { created: 1 },
      services: { created: 1 },
      locations: { created: 1 },
      serviceAtLocations: { created: 1 },
      rejected: [],
    });
    expect(await directoryOf(district.id)).toEqual([{ service: 'Evening peer support', organization: 'Mountain Peer Support', at: ['Online'] }]);
  });

  it('the tabular datapackage, as a folder, by its datapackage.json or as a .zip: rows nest by their keys, a bad row is named by file, line and column', async () => {
    const folder = `${ours}/datapackage`;
    const zip = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hsds-')), 'aurora.zip');
    fs.writeFileSync(zip, zipSync(Object.fromEntries(fs.readdirSync(folder).map((f) => [`export/${f}`, fs.readFileSync(path.join(folder, f))]))));
    for (const source of [folder, `${folder}/datapackage.json`, zip]) {
      const { district } = await createDistrict(haven.deps);
      const summary = await importDirectory(haven.deps, district.id, await readHsds(source), 'test');
      expect(summary, source).toMatchObject({
        organizations: { created: 2 },
        services: { created: 2 },
        locations: { created: 1 },
        serviceAtLocations: { created: 1 },
      });
      expect(summary.rejected).toEqual([{ record: 'services.csv line 4', field: 'minimum_age', reason: 'is "ten": it must be a whole number' }]);
      const [classes] = await haven.deps.db.system.select().from(partnerServices).where(eq(partnerServices.hsdsId, '7ce72dfc-1d29-4af1-901d-ea1739d4d66f'));
      // Phones.csv (any letter case, headers too), languages and the attribute's taxonomy term are inside the service.
      expect(classes?.languages).toEqual(['es']);
      expect(classes?.document).toMatchObject({
        phones: [{ number: '303-555-0142', extension: 12 }],
        attributes: [{ taxonomy_term: { name: 'Parenting education', taxonomy_detail: { name: 'Open Eligibility' } } }],
      });
      expect(await directoryOf(district.id)).toEqual([
        { service: 'After-school mentoring', organization: 'Commerce City Youth Club', at: [] },
        { service: 'Parenting classes', organization: 'Aurora Family Resource Center', at: ['Aurora center'] },
      ]);
      const again = await importDirectory(haven.deps, district.id, await readHsds(source), 'test');
      expect(again).toMatchObject({ organizations: unchanged, services: unchanged, locations: unchanged, serviceAtLocations: unchanged });
    }
  });

  it('a file Haven cannot read at all is refused with its name (and line), before anything is imported', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsds-'));
    fs.writeFileSync(path.join(dir, 'organizations.csv'), `id,name\n${FRYC},Front Range Youth Counseling\n`);
    fs.writeFileSync(path.join(dir, 'services.csv'), 'id,organization_id,name\n0c0582b5-2997-45b9-9761-1d0d2cc533e3,x,"Grief support\n');
    await expect(readHsds(dir)).rejects.toMatchObject({ status: 400, detail: 'services.csv line 2: a quoted cell is never closed. Nothing was imported.' });
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"id": ');
    await expect(readHsds(path.join(dir, 'broken.json'))).rejects.toMatchObject({
      status: 400,
      detail: expect.stringMatching(/^broken\.json is not valid JSON/),
    });
    fs.writeFileSync(path.join(dir, 'deep.json'), `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    await expect(readHsds(path.join(dir, 'deep.json'))).rejects.toMatchObject({ status: 400 });
    fs.writeFileSync(path.join(dir, 'locations.csv'), 'name\nLakewood office\n');
    fs.rmSync(path.join(dir, 'services.csv'));
    await expect(readHsds(dir)).rejects.toMatchObject({ detail: 'locations.csv has no "id" column, so none of its rows can be read. Nothing was imported.' });
    // A .zip is read within the platform's limits, and must hold HSDS tables.
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`part-${i}.csv`, new Uint8Array([105, 100, 10])]));
    fs.writeFileSync(path.join(dir, 'many.zip'), zipSync(many));
    await expect(readHsds(path.join(dir, 'many.zip'))).rejects.toMatchObject({
      status: 400,
      detail: 'The archive holds more than 64 files. Nothing was imported.',
    });
    fs.writeFileSync(path.join(dir, 'notes.zip'), zipSync({ 'notes.txt': new Uint8Array([104, 105]) }));
    await expect(readHsds(path.join(dir, 'notes.zip'))).rejects.toMatchObject({ status: 400, detail: expect.stringMatching(/^No HSDS tables were found/) });
  });

  it('reads the CSV pair published with HSDS by header name', async () => {
    const { district } = await createDistrict(haven.deps);
    const summary = await importDirectory(haven.deps, district.id, await readHsds(`${hsds}/csv`), 'test');
    expect(summary).toMatchObject({ organizations: { created: 1 }, services: { created: 1 }, rejected: [] });
    const [service] = await haven.deps.db.system.select().from(partnerServices).where(eq(partnerServices.districtId, district.id));
    expect(service).toMatchObject({ name: 'Community Counselling', minimumAge: 12, maximumAge: 100 });
  });
});
