import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { dropNul, loggableError } from './errors.ts';

describe('what reaches the log about an error', () => {
  it('a failed query keeps its SQLSTATE, table and constraint, never its parameters or the quoted input', () => {
    const cause = Object.assign(new Error('invalid input syntax for type uuid: "Maya Torres"'), {
      code: '22P02',
      severity: 'ERROR',
      table: 'students',
    });
    const error = new DrizzleQueryError('select * from students where id = $1', ['Maya Torres'], cause);
    const logged = loggableError(error);
    expect(logged.message).toBe('a database statement failed (SQLSTATE 22P02; table students)');
    expect(JSON.stringify(logged)).not.toContain('Maya');
  });

  it('other errors keep their message and code', () => {
    expect(loggableError(Object.assign(new Error('SMTP refused'), { code: 'EAUTH' }))).toMatchObject({ message: 'SMTP refused', code: 'EAUTH' });
  });
});

describe('NUL characters at the edge', () => {
  it('are removed from nested strings, other values untouched', () => {
    expect(dropNul({ a: 'x\u0000y', b: [1, 'z\u0000'], c: { d: null } })).toEqual({ a: 'xy', b: [1, 'z'], c: { d: null } });
  });

  it('lone surrogates become U+FFFD (PostgreSQL refuses them in JSON); whole emoji are kept', () => {
    expect(dropNul({ a: 'x\ud83d', b: ['\ude00y', '😀', '\ud83d\u0000\ude00'] })).toEqual({ a: 'x\ufffd', b: ['\ufffdy', '😀', '😀'] });
  });
});

describe('problems in the reader’s language', () => {
  it('answers the Spanish detail when the request asks for Spanish, the English one otherwise, and names fields in words', async () => {
    const { default: Fastify } = await import('fastify');
    const { registerProblemHandlers, badRequest } = await import('./errors.ts');
    const { serializerCompiler, validatorCompiler } = await import('fastify-type-provider-zod');
    const { z } = await import('zod');
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerProblemHandlers(app);
    app.get('/api/x', async () => {
      throw badRequest('That is not right.', { es: 'Eso no es correcto.', code: 'not_right' });
    });
    app.post('/api/y', { schema: { body: z.object({ afterHoursMemberIds: z.array(z.string()) }) } }, async () => ({}));
    const es = await app.inject({ method: 'GET', url: '/api/x', headers: { 'accept-language': 'es-US,es;q=0.9' } });
    expect(es.json()).toEqual({ type: 'about:blank', title: 'Bad request', status: 400, detail: 'Eso no es correcto.', code: 'not_right' });
    expect((await app.inject({ method: 'GET', url: '/api/x', headers: { 'accept-language': 'en' } })).json().detail).toBe('That is not right.');
    const invalid = await app.inject({ method: 'POST', url: '/api/y', payload: {} });
    expect(invalid.json().detail).toMatch(/^after hours member ids: Invalid input/);
    expect(invalid.json().errors[0].field).toBe('body.afterHoursMemberIds');
    await app.close();
  });
});
