import { z } from 'zod';

/**
 * A moment the server holds as a Date and sends as an ISO 8601 string, for the response schemas
 * of every feature (the web app reads the wire form, z.input, as a string).
 */
export const sentMoment = z.codec(z.iso.datetime({ offset: true }), z.date(), { decode: (s) => new Date(s), encode: (d) => d.toISOString() });
