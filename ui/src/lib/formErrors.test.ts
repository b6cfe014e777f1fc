import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { applyServerError } from './formErrors';

function fakeForm(values: unknown) {
  const errors: Record<string, string> = {};
  return { errors, getValues: () => values, setFieldError: (path: string, message: string) => void (errors[path] = message) };
}

describe('applyServerError', () => {
  it('puts a field error under its input and keeps the field for the summary', () => {
    const form = fakeForm({ name: '', phone: '08' });
    const shown = applyServerError(form, new ApiError('validation', 'nomor tidak sah', 422, 'phone'));
    expect(form.errors).toEqual({ phone: 'nomor tidak sah' });
    expect(shown.field).toBe('phone');
  });

  it('prefers a translated text for a known field', () => {
    const form = fakeForm({ phone: '08' });
    applyServerError(form, new ApiError('validation', 'phone invalid', 422, 'phone'), { known: { phone: 'Nomor HP tidak sah' } });
    expect(form.errors.phone).toBe('Nomor HP tidak sah');
  });

  it('maps a server field to another form path', () => {
    const form = fakeForm({ settings: { device_id: '' } });
    applyServerError(form, new ApiError('validation', 'required', 422, 'device_id'), { fields: { device_id: 'settings.device_id' } });
    expect(form.errors).toEqual({ 'settings.device_id': 'required' });
  });

  it('shows the message at the form when no input has that field', () => {
    const form = fakeForm({ name: '' });
    const shown = applyServerError(form, new ApiError('validation', 'subscription unknown', 422, 'subscription_id'));
    expect(form.errors).toEqual({});
    expect(shown.field).toBeUndefined();
    expect(shown.message).toBe('subscription unknown');
    expect(shown.status).toBe(422);
  });

  it('passes errors without a field through, and turns anything else into a network error', () => {
    const form = fakeForm({ name: '' });
    expect(applyServerError(form, new ApiError('conflict', 'taken', 409)).kind).toBe('conflict');
    expect(applyServerError(form, new TypeError('Failed to fetch')).kind).toBe('network');
    expect(form.errors).toEqual({});
  });
});

describe('applyServerError with texts that depend on the error', () => {
  it('uses the text only for the matching kind', () => {
    const known = (e: ApiError) => (e.kind === 'conflict' ? { login: 'Login sudah dipakai' } : {});
    const taken = fakeForm({ login: 'budi' });
    applyServerError(taken, new ApiError('conflict', 'login exists', 409, 'login'), { known });
    expect(taken.errors.login).toBe('Login sudah dipakai');
    const invalid = fakeForm({ login: 'x' });
    applyServerError(invalid, new ApiError('validation', 'too short', 422, 'login'), { known });
    expect(invalid.errors.login).toBe('too short');
  });
});
