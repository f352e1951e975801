import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The server's secret key signs cookies, encrypts sensitive fields (TOTP secrets, reporters'
 * phone numbers) and derives the database roles' passwords (haven_app, haven_maintenance). Production passes it in
 * HAVEN_SECRET_KEY; the embedded default keeps a generated one in the data directory.
 */
export type Secrets = {
  cookieSecret: string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  derive(purpose: string): string;
};

export function loadOrCreateSecretKey(dataDir: string, configured: string | undefined): Buffer {
  if (configured) return Buffer.from(configured, 'hex');
  const file = path.join(dataDir, 'secret.key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  fs.writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

export function createSecrets(key: Buffer): Secrets {
  const derive = (purpose: string) => createHmac('sha256', key).update(purpose).digest('hex');
  const encryptionKey = Buffer.from(derive('field-encryption'), 'hex');
  return {
    cookieSecret: derive('cookie-signing'),
    derive,
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unreadable sealed value');
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** SHA-256 in hex: for high-entropy tokens (sessions, API tokens, reset links), a slow hash adds nothing. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A random URL-safe token with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
