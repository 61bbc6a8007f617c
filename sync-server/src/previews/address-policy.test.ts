import { describe, expect, it } from 'vitest';
import { mayFetchFrom } from './address-policy.js';

describe('mayFetchFrom', () => {
  it('allows public unicast addresses only', () => {
    for (const ok of ['93.184.216.34', '8.8.8.8', '2606:2800:220:1::248', '1.1.1.1']) {
      expect(mayFetchFrom(ok, 'public'), ok).toBe(true);
    }
    for (const no of [
      '127.0.0.1',
      '127.5.6.7',
      '10.0.0.1',
      '172.16.3.4',
      '192.168.1.1',
      '169.254.169.254', // cloud metadata
      '100.64.0.1', // carrier-grade NAT
      '0.0.0.0',
      '255.255.255.255',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'ff02::1',
      '::ffff:127.0.0.1', // IPv4-mapped loopback
      '::ffff:10.1.2.3',
      '64:ff9b::a00:1', // NAT64 of 10.0.0.1
      'not an address',
    ]) {
      expect(mayFetchFrom(no, 'public'), no).toBe(false);
    }
    expect(mayFetchFrom('64:ff9b::808:808', 'public')).toBe(true); // NAT64 of 8.8.8.8
  });

  it("allows any address when the operator says so, but never one that isn't", () => {
    expect(mayFetchFrom('127.0.0.1', 'all')).toBe(true);
    expect(mayFetchFrom('10.0.0.1', 'all')).toBe(true);
    expect(mayFetchFrom('localhost', 'all')).toBe(false);
  });
});
