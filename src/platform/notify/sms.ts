import { createHmac, timingSafeEqual } from 'node:crypto';

/** Sends a text message through an SMS provider; a small interface so tests use a local receiver. */
export type SmsSender = { configured: boolean; send(to: string, body: string): Promise<void> };

/**
 * The widely used provider shape: POST form-encoded To, From, Body to the provider's messages URL
 * with HTTP basic auth (account id and auth token).
 */
export function createHttpSmsSender(options: {
  url?: string | undefined;
  account?: string | undefined;
  authToken?: string | undefined;
  from?: string | undefined;
}): SmsSender {
  const { url, account, authToken, from } = options;
  if (!url || !account || !authToken || !from) {
    return {
      configured: false,
      async send() {
        throw new Error('No SMS provider is configured (HAVEN_SMS_API_URL, HAVEN_SMS_ACCOUNT, HAVEN_SMS_AUTH_TOKEN, HAVEN_SMS_FROM).');
      },
    };
  }
  return {
    configured: true,
    async send(to, body) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${account}:${authToken}`).toString('base64')}`,
        },
        body: new URLSearchParams({ To: to, From: from, Body: body }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`SMS provider answered ${response.status}`);
    },
  };
}

/**
 * The provider's webhook signature: base64 HMAC-SHA1, keyed with the auth token, over the full
 * URL followed by each parameter name and value in name order.
 */
export function smsSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function validSmsSignature(authToken: string, url: string, params: Record<string, string>, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(smsSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
