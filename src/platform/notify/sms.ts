import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Sends a text message, or places a voice call that reads a message aloud, through the provider;
 * a small interface so tests use a local receiver.
 */
export type SmsSender = {
  /** Texts can be sent (a provider is set up). */
  configured: boolean;
  /** Calls can be placed too (the provider's voice endpoint is set up). */
  calls: boolean;
  send(to: string, body: string): Promise<void>;
  call(to: string, spoken: string): Promise<void>;
};

/**
 * The widely used provider shape: POST form-encoded To, From, Body to the provider's messages URL
 * (and To, From, Twiml to its calls URL) with HTTP basic auth (account id and auth token).
 */
export function createHttpSmsSender(options: {
  url?: string | undefined;
  voiceUrl?: string | undefined;
  account?: string | undefined;
  authToken?: string | undefined;
  from?: string | undefined;
}): SmsSender {
  const { url, voiceUrl, account, authToken, from } = options;
  if (!url || !account || !authToken || !from) {
    const missing = async () => {
      throw new Error('No SMS provider is configured (HAVEN_SMS_API_URL, HAVEN_SMS_ACCOUNT, HAVEN_SMS_AUTH_TOKEN, HAVEN_SMS_FROM).');
    };
    return { configured: false, calls: false, send: missing, call: missing };
  }
  const post = async (endpoint: string, form: Record<string, string>) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${account}:${authToken}`).toString('base64')}` },
      body: new URLSearchParams(form),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`The provider answered ${response.status}`);
  };
  const xml = (text: string) => text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
  return {
    configured: true,
    calls: Boolean(voiceUrl),
    send: (to, body) => post(url, { To: to, From: from, Body: body }),
    async call(to, spoken) {
      if (!voiceUrl) throw new Error('No voice endpoint is configured (HAVEN_VOICE_API_URL).');
      // The message is said twice: people often miss the start of a call.
      await post(voiceUrl, { To: to, From: from, Twiml: `<Response><Say>${xml(spoken)}</Say><Pause length="1"/><Say>${xml(spoken)}</Say></Response>` });
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
