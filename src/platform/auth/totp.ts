import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/** RFC 6238 TOTP as authenticator apps expect it: SHA-1, 6 digits, 30-second steps. */
export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, accountName: string): string {
  return generateURI({ issuer: 'Haven', label: accountName, secret });
}

/** An SVG QR code of the enrolment URI, drawn on the server so no third party sees the secret. */
export function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/**
 * Checks a code one step either side of now (clock drift), refusing any step at or before the
 * last accepted one so an overheard code cannot be replayed. Returns the step to remember.
 */
export async function checkTotp(input: { secret: string; code: string; now: Date; lastStep: number | null }): Promise<number | null> {
  if (!/^\d{6}$/.test(input.code)) return null;
  const result = await verify({
    secret: input.secret,
    token: input.code,
    epoch: Math.floor(input.now.getTime() / 1000),
    epochTolerance: 30,
    ...(input.lastStep === null ? {} : { afterTimeStep: input.lastStep }),
  });
  if (!result.valid) return null;
  return 'timeStep' in result && typeof result.timeStep === 'number' ? result.timeStep : null;
}
