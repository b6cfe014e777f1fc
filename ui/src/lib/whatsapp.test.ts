import { describe, expect, it } from 'vitest';
import { payMessage, waLink, waNumber } from './whatsapp';

describe('waNumber', () => {
  it('turns Indonesian mobile numbers into 62…', () => {
    expect(waNumber('6281234567890')).toBe('6281234567890');
    expect(waNumber('0812-3456-7890')).toBe('6281234567890');
    expect(waNumber('+62 812 3456 7890')).toBe('6281234567890');
  });
  it('refuses what is not a number', () => {
    expect(waNumber('')).toBeNull();
    expect(waNumber('12')).toBeNull();
  });
});

describe('waLink', () => {
  it('encodes the message with the invoice number, amount and link', () => {
    const text = payMessage({
      customer: 'Budi',
      number: 'INV-2025-0001',
      owed: 150000,
      url: 'https://bayar.example.id/pay/abc',
      expiresAt: '2025-03-08T10:00:00Z',
    });
    expect(text).toContain('INV-2025-0001');
    expect(text).toContain('Rp 150.000');
    expect(text).toContain('8 Mar 2025');
    const link = waLink('081234567890', text);
    expect(link.startsWith('https://wa.me/6281234567890?text=')).toBe(true);
    expect(decodeURIComponent(link.split('?text=')[1] ?? '')).toBe(text);
  });
});
