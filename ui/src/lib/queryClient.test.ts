import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { shouldRetry } from './queryClient';

describe('shouldRetry', () => {
  it('never retries a 4xx', () => {
    for (const [kind, status] of [
      ['validation', 400],
      ['unauthorized', 401],
      ['forbidden', 403],
      ['not_found', 404],
      ['conflict', 409],
      ['validation', 422],
    ] as const) {
      expect(shouldRetry(0, new ApiError(kind, '', status))).toBe(false);
    }
  });

  it('retries a network failure or an internal error twice', () => {
    expect(shouldRetry(0, new ApiError('network', '', 0))).toBe(true);
    expect(shouldRetry(1, new ApiError('internal', 'boom', 500))).toBe(true);
    expect(shouldRetry(2, new ApiError('internal', 'boom', 500))).toBe(false);
  });

  it('does not retry a reported failure of a router or an operation', () => {
    expect(shouldRetry(0, new ApiError('router', 'timeout', 502))).toBe(false);
    expect(shouldRetry(0, new ApiError('operation_failed', 'no', 500))).toBe(false);
  });

  it('does not retry errors that are not ApiErrors (programming errors)', () => {
    expect(shouldRetry(0, new TypeError('x'))).toBe(false);
  });
});
