import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * A WebAuthn authenticator in software (a passkey on a pretend phone), built with node:crypto: it
 * answers Haven's creation and sign-in options the way a browser hands a device's answer back
 * (`PublicKeyCredential.toJSON()`), with "none" attestation, user presence and verification.
 */

type Cbor = number | string | Uint8Array | CborMap | { [key: string]: Cbor };
interface CborMap extends Map<number | string, Cbor> {}

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  const out = Buffer.alloc(3);
  out[0] = (major << 5) | 25;
  out.writeUInt16BE(length, 1);
  return out;
}

/** The small part of CBOR (RFC 8949) attestation objects and COSE keys need. */
function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

export type SoftwarePasskey = { credentialId: Buffer; privateKey: KeyObject; userHandle: string; counter: number };

export function createSoftwareAuthenticator(origin: string) {
  const rpIdHash = (rpId: string) => sha256(rpId);
  return {
    /** Makes a new key pair for Haven's creation options and answers with it. */
    register(options: { challenge: string; rp: { id?: string }; user: { id: string } }): { passkey: SoftwarePasskey; response: Record<string, unknown> } {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = publicKey.export({ format: 'jwk' });
      const coseKey: CborMap = new Map<number | string, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x ?? '', 'base64url')],
        [-3, Buffer.from(jwk.y ?? '', 'base64url')],
      ]);
      const credentialId = randomBytes(32);
      const length = Buffer.alloc(2);
      length.writeUInt16BE(credentialId.length);
      const authData = Buffer.concat([
        rpIdHash(options.rp.id ?? new URL(origin).hostname),
        Buffer.from([0x01 | 0x04 | 0x40]),
        Buffer.alloc(4),
        Buffer.alloc(16),
        length,
        credentialId,
        cbor(coseKey),
      ]);
      const clientDataJSON = JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false });
      return {
        passkey: { credentialId, privateKey, userHandle: options.user.id, counter: 0 },
        response: {
          id: b64(credentialId),
          rawId: b64(credentialId),
          type: 'public-key',
          response: { clientDataJSON: b64(clientDataJSON), attestationObject: b64(cbor({ fmt: 'none', attStmt: {}, authData })), transports: ['internal'] },
          clientExtensionResults: {},
          authenticatorAttachment: 'platform',
        },
      };
    },
    /** Signs Haven's sign-in challenge with the passkey; the counter moves on unless `repeatCounter`. */
    authenticate(passkey: SoftwarePasskey, options: { challenge: string; rpId?: string }, extra: { repeatCounter?: boolean } = {}): Record<string, unknown> {
      if (!extra.repeatCounter) passkey.counter += 1;
      const counter = Buffer.alloc(4);
      counter.writeUInt32BE(passkey.counter);
      const authenticatorData = Buffer.concat([rpIdHash(options.rpId ?? new URL(origin).hostname), Buffer.from([0x01 | 0x04]), counter]);
      const clientDataJSON = JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false });
      const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), passkey.privateKey);
      return {
        id: b64(passkey.credentialId),
        rawId: b64(passkey.credentialId),
        type: 'public-key',
        response: { clientDataJSON: b64(clientDataJSON), authenticatorData: b64(authenticatorData), signature: b64(signature), userHandle: passkey.userHandle },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },
  };
}
