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
