import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict } from '../../../test/support/factories.ts';
import { fixture } from '../../../test/support/fixtures.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { partnerServices } from './directory.tables.ts';
import { readNested } from './hsds.rules.ts';
import { exportDirectory, importDirectory, readHsds } from './hsds.service.ts';

let haven: TestHaven;
beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());

const hsds = fixture('hsds-3.1');

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

    const search = await haven.app.inject({ method: 'GET', url: `/api/v1/hsds/services?district=${district.slug}&q=counsel` });
    expect(search.json().map((s: { name: string }) => s.name)).toEqual(['Community Counselling']);
    expect((await haven.app.inject({ method: 'GET', url: `/api/v1/hsds/services?district=${district.slug}&q=dentist` })).json()).toEqual([]);
    const orgs = await haven.app.inject({ method: 'GET', url: `/api/v1/hsds/organizations?district=${district.slug}` });
    expect(orgs.json()[0]).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
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

  it('reads the CSV pair by header name, and rejects a record with its reason', async () => {
    const { district } = await createDistrict(haven.deps);
    const summary = await importDirectory(haven.deps, district.id, await readHsds(`${hsds}/csv`), 'test');
    expect(summary).toMatchObject({ organizations: { created: 1 }, services: { created: 1 }, rejected: [] });
    const [service] = await haven.deps.db.system.select().from(partnerServices).where(eq(partnerServices.districtId, district.id));
    expect(service?.name).toBe('Community Counselling');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsds-'));
    fs.writeFileSync(path.join(dir, 'broken.json'), JSON.stringify([{ id: 'not-a-uuid', name: 'x' }, { id: '0b5f8a8e-1111-4111-8111-111111111111' }]));
    expect((await readHsds(path.join(dir, 'broken.json'))).rejected).toEqual([
      { record: 'service 1', reason: 'id "not-a-uuid" is not a UUID' },
      { record: 'service 0b5f8a8e-1111-4111-8111-111111111111', reason: 'has no name' },
    ]);
  });
});
