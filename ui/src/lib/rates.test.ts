import { describe, expect, it } from 'vitest';
import { rateFromSpeed } from './rates';

describe('rateFromSpeed', () => {
  it('reads the speed label the owner typed', () => {
    expect(rateFromSpeed('20 Mbps')).toBe('20M/20M');
    expect(rateFromSpeed('10Mbps')).toBe('10M/10M');
    expect(rateFromSpeed('512 kbps')).toBe('512k/512k');
    expect(rateFromSpeed('1 Gbps')).toBe('1G/1G');
    expect(rateFromSpeed('Paket hemat')).toBeNull();
    expect(rateFromSpeed('')).toBeNull();
  });
});
