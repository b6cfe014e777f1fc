import { describe, expect, it } from 'vitest';
import { gatewayFields, webhookUrl } from './gatewayFields';

describe('gatewayFields', () => {
  it('names the keys per gateway', () => {
    expect(gatewayFields('tripay').secondaryKey).toBe('gateways.private_key');
    expect(gatewayFields('midtrans')).toEqual({ merchantCode: false, apiKey: 'gateways.server_key', secondaryKey: null });
    expect(gatewayFields('xendit').apiKey).toBe('gateways.secret_key');
    expect(gatewayFields('xendit').secondaryKey).toBe('gateways.callback_token');
    expect(gatewayFields('unknown').merchantCode).toBe(true);
  });
});

describe('webhookUrl', () => {
  it('joins the public address and the gateway code', () => {
    expect(webhookUrl('https://bayar.rtrwnet.id/', 'tripay')).toBe('https://bayar.rtrwnet.id/api/payments/webhook/tripay');
    expect(webhookUrl('https://x.trycloudflare.com', 'duitku')).toBe('https://x.trycloudflare.com/api/payments/webhook/duitku');
  });
  it('is null without a public address', () => {
    expect(webhookUrl('', 'duitku')).toBeNull();
    expect(webhookUrl(null, 'duitku')).toBeNull();
    expect(webhookUrl(undefined, 'duitku')).toBeNull();
  });
});
