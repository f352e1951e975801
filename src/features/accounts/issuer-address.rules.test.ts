import { describe, expect, it } from 'vitest';
import { isInternalAddress, issuerAddressProblem } from './issuer-address.rules.ts';

describe("an identity provider's address", () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.5', true],
    ['192.168.1.10', true],
    ['169.254.169.254', true], // cloud instance metadata
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['not-an-address', true],
    ['142.250.72.14', false],
    ['2606:4700::6810:84e5', false],
    ['172.32.0.1', false],
  ])('%s is internal: %s', (address, expected) => {
    expect(isInternalAddress(address)).toBe(expected);
  });

  it('names the internal address and what the operator can do; a public host passes', () => {
    expect(issuerAddressProblem('idp.example.org', ['203.0.113.9', '10.0.0.7'])).toBe(
      'idp.example.org is on a private or local network (10.0.0.7). Haven reaches identity providers on the internet only; if your provider runs inside your own network, your Haven operator can allow it with HAVEN_SSO_PRIVATE_ISSUERS=true.',
    );
    expect(issuerAddressProblem('accounts.google.com', ['142.250.72.14'])).toBeNull();
    expect(issuerAddressProblem('nowhere.invalid', [])).toBeNull();
  });
});
