import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webCacheControl } from '../src/app.ts';
import { precompressDirectory } from '../web/precompress.ts';
import { createDistrict, createStudent, type Session, signIn } from './support/factories.ts';
import { startTestHaven, type TestHaven } from './support/harness.ts';

// Issue 16, "Fast on a school laptop": what the browser downloads is compressed, and what never
// changes is downloaded once. The web build is stood in for by a small folder shaped like Vite's
// output and precompressed by the same build step, so `npm test` needs no prior build.

const immutable = 'public, max-age=31536000, immutable';
const script = `${Array.from({ length: 400 }, (_, i) => `export const label${i} = 'Students who need support now, row ${i}';`).join('\n')}\n`;
const webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-web-dist-'));
fs.mkdirSync(path.join(webDist, 'assets'));
fs.writeFileSync(path.join(webDist, 'assets', 'index-Ab3_x-9Z.js'), script);
fs.writeFileSync(
  path.join(webDist, 'index.html'),
  '<!doctype html><html lang="en"><title>Haven</title><script type="module" src="/assets/index-Ab3_x-9Z.js"></script><div id="root"></div></html>',
);

let haven: TestHaven;
let rivera: Session;

beforeAll(async () => {
  await precompressDirectory(webDist);
  haven = await startTestHaven({ webDist });
  const district = await createDistrict(haven.deps);
  for (let i = 0; i < 25; i++) await createStudent(haven.deps, district.district.id, district.schools.lincoln.id);
  rivera = await signIn(haven.app, district.people.rivera.email);
});
afterAll(async () => {
  await haven?.close();
  fs.rmSync(webDist, { recursive: true, force: true });
});

describe('the web app on a school laptop', () => {
  it('the build writes brotli and gzip copies beside each asset, each smaller than the file', () => {
    const original = fs.statSync(path.join(webDist, 'assets', 'index-Ab3_x-9Z.js')).size;
    expect(fs.statSync(path.join(webDist, 'assets', 'index-Ab3_x-9Z.js.br')).size).toBeLessThan(original / 5);
    expect(fs.statSync(path.join(webDist, 'assets', 'index-Ab3_x-9Z.js.gz')).size).toBeLessThan(original / 5);
  });

  it('a fingerprinted script arrives as the precompressed brotli copy, cached for a year as immutable', async () => {
    const response = await haven.app.inject({ method: 'GET', url: '/assets/index-Ab3_x-9Z.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe(immutable);
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(response.rawPayload.length).toBeLessThan(script.length / 5);
    expect(zlib.brotliDecompressSync(response.rawPayload).toString()).toBe(script);
  });

  it('a browser without brotli gets gzip, and one asking for nothing gets the plain file, both still immutable', async () => {
    const gzipped = await haven.app.inject({ method: 'GET', url: '/assets/index-Ab3_x-9Z.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzipped.rawPayload).toString()).toBe(script);
    expect(gzipped.headers['cache-control']).toBe(immutable);

    const plain = await haven.app.inject({ method: 'GET', url: '/assets/index-Ab3_x-9Z.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
    expect(plain.headers['cache-control']).toBe(immutable);
  });

  it('the page itself (a deep link) is checked with the server on every load, so a new version arrives at once', async () => {
    for (const url of ['/', '/students/some-student']) {
      const response = await haven.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('a chunk that is not there (an old tab after a deploy) is a 404, not the page in its place', async () => {
    const response = await haven.app.inject({ method: 'GET', url: '/assets/StudentsPage-Zz9_yy8X.js', headers: { 'accept-encoding': 'br' } });
    expect(response.statusCode).toBe(404);
  });
});

describe('API responses', () => {
  it("Ms. Rivera's student list is compressed when her browser accepts it, and reads the same", async () => {
    const plain = await haven.app.inject({ method: 'GET', url: '/api/v1/students', headers: rivera.headers });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(2048);

    const brotli = await haven.app.inject({ method: 'GET', url: '/api/v1/students', headers: { ...rivera.headers, 'accept-encoding': 'br, gzip' } });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(JSON.parse(zlib.brotliDecompressSync(brotli.rawPayload).toString())).toEqual(plain.json());

    const gzipped = await haven.app.inject({ method: 'GET', url: '/api/v1/students', headers: { ...rivera.headers, 'accept-encoding': 'gzip' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(gzipped.rawPayload).toString())).toEqual(plain.json());
  });

  it('a small answer is sent as it is: compressing it would cost more than it saves', async () => {
    const response = await haven.app.inject({ method: 'GET', url: '/healthz', headers: { 'accept-encoding': 'br, gzip' } });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('the live alert stream is never compressed, so each event arrives as it is written', async () => {
    const url = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const stream = await fetch(`${url}/api/v1/alerts/stream`, {
      headers: { cookie: rivera.headers.cookie, 'accept-encoding': 'br, gzip' },
      signal: controller.signal,
    });
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(stream.headers.get('content-encoding')).toBeNull();
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('event: ready');
    controller.abort();
  });
});

describe('webCacheControl', () => {
  it.each([
    ['assets/index-Ab3_x-9Z.js', immutable],
    ['assets/vendor-CnnfOUaz.css.br', immutable],
    ['assets/CasePage-B3bRN7De.js.map', immutable],
    ['index.html', 'no-cache'],
    ['favicon.svg', 'no-cache'],
    ['sw.js', 'no-cache'],
    ['assets/unhashed.js', 'no-cache'],
  ])('%s: %s', (file, expected) => {
    expect(webCacheControl(file)).toBe(expected);
  });
});
