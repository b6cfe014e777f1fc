import { describe, expect, it } from 'vitest';
import en from './en.json';
import id from './id.json';

function keys(value: unknown, prefix = ''): string[] {
  if (!value || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('translations', () => {
  it('English has exactly the Indonesian keys', () => {
    expect(keys(en).sort()).toEqual(keys(id).sort());
  });
});
