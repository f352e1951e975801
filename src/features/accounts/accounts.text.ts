import { apiTokenLifetimes, apiTokenMaxDays } from './accounts.rules.ts';

/**
 * The account rules' refusals in Spanish, for staff who read Haven in Spanish. The English stays
 * beside each rule in accounts.rules.ts; each sentence here says the same thing.
 */

const passwordProblemsEs: Record<string, string> = {
  'Use at least 12 characters.': 'Use al menos 12 caracteres.',
  'Use at most 256 characters.': 'Use como máximo 256 caracteres.',
  'Do not use your e-mail address in the password.': 'No use su dirección de correo electrónico en la contraseña.',
  'Do not repeat one character.': 'No repita un solo carácter.',
};

/** Why a password is refused, in Spanish: one sentence per problem `passwordProblems` found. */
export const passwordRefusalEs = (problems: string[]) => `Elija otra contraseña: ${problems.map((p) => passwordProblemsEs[p] ?? p).join(' ')}`;

/** `apiTokenDaysProblem` in Spanish. */
export const apiTokenDaysProblemEs = () =>
  `Elija cuánto dura el token: un número entero de días de 1 a ${apiTokenMaxDays} (por ejemplo, ${apiTokenLifetimes.join(', ')}).`;
