import { describe, expect, it } from 'vitest';
import { pickWords } from './failure';

describe('pickWords', () => {
  it('shows Indonesian by default and English when chosen', () => {
    const w = { id: 'Router tidak dapat dihubungi', en: 'The router cannot be reached' };
    expect(pickWords(w, 'id')).toBe('Router tidak dapat dihubungi');
    expect(pickWords(w, 'en')).toBe('The router cannot be reached');
    expect(pickWords(w, 'en-US')).toBe('The router cannot be reached');
    expect(pickWords(null, 'id')).toBe('');
  });
});
