/** The part of mailauth (which ships no types) that the e-mail intake uses: an SPF check with a resolver of our choosing. */
declare module 'mailauth/lib/spf/index.js' {
  /** Answers like `dns.promises.resolve(domain, type)` (TXT: string[][]); throws an error with code ENOTFOUND or ENODATA for none. */
  export type SpfResolver = (domain: string, type: string) => Promise<unknown>;
  export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';
  export function spf(options: {
    sender: string;
    ip: string;
    helo?: string | undefined;
    mta?: string;
    resolver?: SpfResolver;
    maxResolveCount?: number;
    maxVoidCount?: number;
  }): Promise<{ status: { result: SpfResult; comment: string | false } }>;
}
