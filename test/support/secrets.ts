import { createSecrets } from '../../src/platform/secrets.ts';

/** A fixed key for tests only; it derives the app and maintenance roles' passwords, so the CLI under test agrees. */
export const testSecretKeyHex = 'a1'.repeat(32);
export const testSecrets = createSecrets(Buffer.from(testSecretKeyHex, 'hex'));
