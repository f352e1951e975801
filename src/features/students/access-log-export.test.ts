import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/support/factories.ts';
import { screeningResults } from '../../data/screening.ts';
import { referralScene } from '../referrals/referrals.test-kit.ts';

/**
 * A parent asks the school who has seen Maya's records (FERPA 34 CFR 99.10, 99.32). Ms. Rivera
 * finds her in a search, sees her on "Needs support now" and the follow-up queue, opens her
 * profile and refers her to Dr. Cho on her mother's consent; Dr. Cho sees the referral in his list
 * and opens it. Maya also reached Dr. Cho on her own (a student-initiated connection her mother
 * may not be told of). Ms. Whitfield or Ms. Rivera prepare the family's copy: every look and the
 * disclosure, in time order, in Spanish and English, in words, and nothing about Maya's own
 * connection.
 */
let s: Awaited<ReturnType<typeof referralScene>>;
let maya: { id: string };
let exportUrl: (query: string) => string;

beforeAll(async () => {
  s = await referralScene(['counseling']);
  const { rivera, cho } = await s.sessions();
  maya = await s.student({ dateOfBirth: '2013-04-02' });
  exportUrl = (query) => `/api/v1/students/${maya.id}/access-log/export?${query}`;
  await s.haven.deps.db.system.insert(screeningResults).values({
    id: s.haven.deps.ids.uuid(),
    districtId: s.d.district.id,
    studentId: maya.id,
    schoolId: s.d.schools.lincoln.id,
    instrumentId: 'phq-a',
    instrumentVersion: '1.0.0',
    source: 'staff',
    answers: {},
    score: 16,
    band: 'moderately_severe',
    flags: [],
    actions: [],
    prorated: false,
    valid: true,
    administeredAt: s.haven.clock.now(),
    followUpDueOn: '2026-12-04',
  });
  const step = async (who: typeof rivera, method: 'GET' | 'POST', url: string, body?: unknown) => {
    s.haven.clock.advance(60_000);
    const response = await s.call(who, method, url, body);
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    return response;
  };
  await step(rivera, 'GET', '/api/v1/students?q=torres');
  await step(rivera, 'GET', '/api/v1/support/queue');
  await step(rivera, 'GET', '/api/v1/screening/follow-ups');
  await step(rivera, 'GET', `/api/v1/students/${maya.id}`);
  const id = await s.draft(rivera, maya.id);
  await step(rivera, 'POST', `/api/v1/students/${maya.id}/referral-consents`, {
    givenBy: 'Rosa Torres (mother)',
    scope: [s.d.partnerId],
    expiresOn: '2027-06-30',
  });
  await step(rivera, 'POST', `/api/v1/referrals/${id}/send`, {});
  const own = await s.draft(rivera, maya.id);
  await step(rivera, 'POST', `/api/v1/referrals/${own}/send`, {
    studentConsent: true,
    studentChoices: { name: 'Mayita', share: [], note: 'Only for me.', contactRoute: 'own_email', contact: 'm.student@example.org', guardianMayBeTold: false },
  });
  await step(cho, 'GET', '/api/v1/referrals');
  await step(cho, 'GET', `/api/v1/referrals/${id}`);
  await step(cho, 'GET', `/api/v1/referrals/${own}`);
});
afterAll(() => s.haven.close());

/** The CSV as rows of cells (no quoted commas in these cells except where noted). */
function parse(csv: string): string[][] {
  const rows: string[][] = [];
  for (const line of csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')) {
    const cells: string[] = [];
    for (const m of line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)) {
      if (m.index === line.length && m[0] === '') break;
      const cell = m[1] as string;
      cells.push(cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell);
    }
    rows.push(cells);
  }
  return rows;
}

describe("a parent's copy of the access log", () => {
  it('in Spanish: every look and the disclosure, oldest first, in words and in Denver time, and nothing of her own connection', async () => {
    const { whitfield } = await s.sessions();
    const response = await s.call(whitfield, 'GET', exportUrl('format=csv&lang=es'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="access-log-S\d+-start-2026-11-28-es\.csv"$/);
    const [header, ...rows] = parse(response.body);
    expect(header).toEqual(['Cuándo', 'Tipo', 'Quién', 'A quién', 'Qué', 'Por qué']);
    const said = rows.map(([, kind, who, whom, what, why]) => ({ kind, who, whom, what, why }));
    const at = (what: string) => said.findIndex((r) => r.what === what);
    expect(said).toContainEqual({
      kind: 'Consulta',
      who: 'rivera, consejero(a)',
      whom: '—',
      what: 'Vio el nombre del estudiante en los resultados de una búsqueda de estudiantes',
      why: 'Su función: consejero(a) (Lincoln Middle School)',
    });
    expect(said).toContainEqual(expect.objectContaining({ what: 'Vio el nombre del estudiante en la lista «Necesita apoyo ahora»' }));
    expect(said).toContainEqual(expect.objectContaining({ what: 'Vio el nombre del estudiante en la lista de evaluaciones pendientes de seguimiento' }));
    expect(said).toContainEqual(expect.objectContaining({ what: 'Abrió el perfil del estudiante, con la información protegida y los datos de la familia' }));
    expect(said).toContainEqual({
      kind: 'Divulgación',
      who: 'rivera, consejero(a)',
      whom: 'Front Range Family Counseling',
      what: 'Envió una derivación con: nombre, edad y grado, datos de contacto de la familia, la ayuda que necesita, la urgencia, idioma, lo que la familia decidió compartir',
      why: 'Con el consentimiento por escrito del padre, la madre o el tutor',
    });
    const partnerRead = {
      kind: 'Consulta',
      who: 'cho, profesional de una organización de la comunidad',
      whom: '—',
      what: 'Leyó una derivación del estudiante',
      why: 'La derivación se envió a su organización (Front Range Family Counseling)',
    };
    expect(said.filter((r) => JSON.stringify(r) === JSON.stringify(partnerRead))).toHaveLength(1);
    expect(said).toContainEqual(
      expect.objectContaining({
        who: 'cho, profesional de una organización de la comunidad',
        what: 'Vio el nombre del estudiante en la lista de derivaciones enviadas a su organización',
      }),
    );
    expect(said.at(-1)).toMatchObject({ who: 'whitfield, administrador(a) del distrito', what: 'Preparó este registro de accesos para la familia' });
    // Time order, as the events happened, a minute apart, in the district's zone.
    expect(at('Vio el nombre del estudiante en los resultados de una búsqueda de estudiantes')).toBeLessThan(
      at('Abrió el perfil del estudiante, con la información protegida y los datos de la familia'),
    );
    expect(rows[0]?.[0]).toBe('28 nov 2026, 8:01 a.m. MST');
    // No codes, and nothing about the connection Maya made on her own.
    expect(response.body).not.toMatch(/\b(student|referral|screening|plan)\.[a-z_.]+|_consent|Mayita|propio estudiante/);
  });

  it('in English, as a printable page with the table and what the family may do', async () => {
    const { rivera } = await s.sessions();
    const page = await s.call(rivera, 'GET', exportUrl('format=html&lang=en&from=2026-11-01&to=2026-11-30'));
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('<h1>Who has seen Maya Torres’s records</h1>');
    expect(page.body).toContain('from November 1, 2026 to November 30, 2026');
    expect(page.body).toContain('<th scope="col">To whom</th>');
    expect(page.body).toContain('<td>Disclosure</td><td>rivera, counselor</td><td>Front Range Family Counseling</td>');
    expect(page.body).toContain('The referral was sent to their organization (Front Range Family Counseling)');
    expect(page.body).toContain('Times are in the district’s time zone (America/Denver).');
    expect(page.body).not.toMatch(/<script|Mayita/);
  });

  it('is audited as its own event, and staff see what the family copy leaves out', async () => {
    const { whitfield } = await s.sessions();
    const { rows } = await s.haven.deps.db.system.$client.query(
      `select actor_label, reason, detail from audit_events where student_id = $1 and action = 'student.access_log.exported' order by sequence`,
      [maya.id],
    );
    expect(rows.map((r) => [r.actor_label, r.detail.format, r.detail.lang])).toEqual(
      expect.arrayContaining([
        ['whitfield (district_admin)', 'csv', 'es'],
        ['rivera (counselor)', 'html', 'en'],
      ]),
    );
    expect(rows[0].reason).toBe("answering a parent's request to inspect the record (FERPA 34 CFR 99.10)");
    const log = (await s.call(whitfield, 'GET', `/api/v1/students/${maya.id}/access-log?lang=es`)).json();
    const connection = log.entries.filter((e: { withheldFromFamily: boolean }) => e.withheldFromFamily);
    expect(connection.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['referral.disclosed', 'referral.read']));
    expect(log.entries.find((e: { action: string }) => e.action === 'student.read')).toMatchObject({
      kind: 'look',
      what: expect.stringMatching(/^Abrió el perfil/),
    });
  });

  it('a period leaves out what falls outside it, and a period that ends before it starts is refused', async () => {
    const { whitfield } = await s.sessions();
    const later = await s.call(whitfield, 'GET', exportUrl('format=html&lang=es&from=2026-11-29&to=2026-12-31'));
    expect(later.body).toContain('No se registró nada en este período.');
    const backwards = await s.call(whitfield, 'GET', exportUrl('from=2026-12-01&to=2026-11-01'));
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().detail).toBe('The period starts after it ends; check the dates.');
    expect((await s.call(whitfield, 'GET', exportUrl('from=2026-02-30'))).statusCode).toBe(400);
  });

  it('answers 404 to anyone who may not answer the request: a teacher, an analyst, the partner, a counselor at another school', async () => {
    for (const person of [s.d.people.shah, s.d.people.lee, s.d.people.cho, s.d.people.park]) {
      const session = await signIn(s.haven.app, person.email);
      expect((await s.call(session, 'GET', exportUrl('format=csv'))).statusCode).toBe(404);
    }
    const { rivera } = await s.sessions();
    expect((await s.call(rivera, 'GET', '/api/v1/students/0190b5a0-0000-7000-8000-000000000000/access-log/export')).statusCode).toBe(404);
  });

  it('leaves out every look at a case about suspected abuse: the family may be the subject of the concern', async () => {
    const { rivera, whitfield } = await s.sessions();
    const noa = await s.student({ dateOfBirth: '2012-06-01' });
    const other = await s.call(rivera, 'POST', '/api/v1/cases', { type: 'other_crisis', summary: 'A panic attack in class', studentIds: [noa.id] });
    const abuse = await s.call(rivera, 'POST', '/api/v1/cases', { type: 'abuse_neglect', summary: 'Marks on her arms', studentIds: [noa.id] });
    await s.call(rivera, 'GET', `/api/v1/cases/${other.json().id}`);
    await s.call(rivera, 'GET', `/api/v1/cases/${abuse.json().id}`);
    const csv = (await s.call(whitfield, 'GET', `/api/v1/students/${noa.id}/access-log/export?format=csv&lang=en`)).body;
    // The other case is there; nothing about the abuse case is (its opening, its reading, the list).
    expect(csv.match(/Read a crisis case about the student/g)).toHaveLength(1);
    expect(csv.match(/Opened a crisis case/g)).toHaveLength(1);
    // Staff reading the log still see both, marked as left out of the family's copy.
    const log = (await s.call(whitfield, 'GET', `/api/v1/students/${noa.id}/access-log`)).json().entries as { action: string; withheldFromFamily: boolean }[];
    expect(
      log
        .filter((e) => e.action === 'case.read')
        .map((e) => e.withheldFromFamily)
        .sort(),
    ).toEqual([false, true]);
  });
});
