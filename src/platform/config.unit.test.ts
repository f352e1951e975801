import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration from the environment', () => {
  it('has working defaults for a newcomer', () => {
    const config = loadConfig({}, { demo: true });
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', demo: true, databaseUrl: undefined, publicUrl: 'http://127.0.0.1:3000' });
    expect(config.dataDir).toMatch(/data$/);
  });

  it('names every bad variable with what is expected', () => {
    try {
      loadConfig({ PORT: 'eighty', HAVEN_DEMO: 'maybe', HAVEN_SECRET_KEY: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('PORT: must be a number');
      expect(message).toContain('HAVEN_DEMO: must be one of');
      expect(message).toContain('HAVEN_SECRET_KEY: must be 64 hexadecimal characters');
    }
  });

  it('requires a shared secret key with an external database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://haven@db/haven' })).toThrow(/HAVEN_SECRET_KEY: required when DATABASE_URL/);
  });

  it('refuses the demo district in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', HAVEN_DEMO: '1' })).toThrow(/must not be seeded in production/);
  });

  it('trusts only the proxies it is told about, and refuses "trust everyone"', () => {
    expect(loadConfig({ HAVEN_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(() => loadConfig({ HAVEN_TRUST_PROXY: 'true' })).toThrow(
      /write the proxy addresses or ranges instead, e.g. HAVEN_TRUST_PROXY=10.0.0.0\/8,127.0.0.1/,
    );
    expect(() => loadConfig({ HAVEN_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/10.0.0.0\/33 is not an IP address or CIDR range/);
    expect(() => loadConfig({ HAVEN_TRUST_PROXY: 'proxy.internal' })).toThrow(/proxy.internal is not an IP address/);
  });
});
