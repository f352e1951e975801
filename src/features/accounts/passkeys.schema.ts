import { z } from 'zod';
import { inSpanish } from '../../platform/errors.text.ts';
import { sentMoment } from '../../platform/sent-moment.ts';

// Requests and answers of the passkey routes. Each answer is serialized through its schema, so a
// field left out here is never sent; the web app reads these types (z.input: the wire form).

const b64 = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*={0,2}$/, 'expected base64url');

/** The browser's answer to a passkey creation (WebAuthn `PublicKeyCredential.toJSON()`). */
const registrationResponse = z.object({
  id: b64,
  rawId: b64,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64,
    attestationObject: b64,
    transports: z.array(z.string().max(32)).max(10).optional(),
    authenticatorData: b64.optional(),
    publicKey: b64.optional(),
    publicKeyAlgorithm: z.number().optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

/** The browser's answer to a passkey sign-in (WebAuthn assertion as JSON). */
const authenticationResponse = z.object({
  id: b64,
  rawId: b64,
  type: z.literal('public-key'),
  response: z.object({ clientDataJSON: b64, authenticatorData: b64, signature: b64, userHandle: b64.optional() }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

/** The password again (or an authenticator code) before a passkey is added. */
export const passkeyProof = z
  .object({ password: z.string().max(1024).optional(), code: z.string().trim().max(32).optional() })
  .strict()
  .nullish();
export const newPasskey = z
  .object({
    name: z
      .string()
      .trim()
      .max(100, inSpanish('Keep the name to 100 characters.', 'Use como máximo 100 caracteres para el nombre.', 'name_too_long'))
      .default(''),
    response: registrationResponse,
  })
  .strict();
export const passkeySignIn = z.object({ response: authenticationResponse }).strict();
export const passkeyParams = z.object({ id: z.string().max(64) });

/** The person's passkeys (names and dates; never a key), and whether adding one needs the password again. */
export const passkeyList = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), createdAt: sentMoment, lastUsedAt: sentMoment.nullable(), backedUp: z.boolean() })),
  proofNeeded: z.boolean(),
});
export type PasskeyList = z.input<typeof passkeyList>;
export const passkeyAdded = z.object({ id: z.string(), name: z.string() });

// WebAuthn Level 3 options as JSON (https://w3c.github.io/webauthn/#dictdef-publickeycredentialcreationoptionsjson),
// what @simplewebauthn/server makes and the browser's helper reads.
const credential = z.object({ id: z.string(), type: z.string(), transports: z.array(z.string()).optional() });
/** The client extensions that travel as JSON (prf carries binary and is never offered). */
const extensions = z.object({
  appid: z.string().optional(),
  credProps: z.boolean().optional(),
  hmacCreateSecret: z.boolean().optional(),
  minPinLength: z.boolean().optional(),
});

/** Options for the browser to create a passkey. */
export const creationOptions = z.object({
  rp: z.object({ name: z.string(), id: z.string().optional() }),
  user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
  challenge: z.string(),
  pubKeyCredParams: z.array(z.object({ alg: z.number(), type: z.string() })),
  timeout: z.number().optional(),
  excludeCredentials: z.array(credential).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: z.string().optional(),
      requireResidentKey: z.boolean().optional(),
      residentKey: z.string().optional(),
      userVerification: z.string().optional(),
    })
    .optional(),
  hints: z.array(z.string()).optional(),
  attestation: z.string().optional(),
  attestationFormats: z.array(z.string()).optional(),
  extensions: extensions.optional(),
});

/** Options for the browser to sign in with a passkey. */
export const requestOptions = z.object({
  challenge: z.string(),
  timeout: z.number().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(credential).optional(),
  userVerification: z.string().optional(),
  hints: z.array(z.string()).optional(),
  extensions: extensions.optional(),
});
