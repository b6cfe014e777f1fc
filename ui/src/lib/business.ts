// Helpers for the business-profile form: tax rate as percent ↔ basis points, and the logo limit.

export const LOGO_MAX_BYTES = 200 * 1024;
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml', 'image/gif'];

/** 1100 → 11, 1250 → 12.5 */
export function bpToPercent(bp: number): number {
  return bp / 100;
}

/** "11" → 1100, 12.5 → 1250, "11,5" → 1150; null for empty, negative, > 100 % or > 2 decimals. */
export function percentToBp(value: string | number): number | null {
  const text = String(value).trim().replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return null;
  const bp = Math.round(Number(text) * 100);
  return bp <= 10000 ? bp : null;
}

/** Why a chosen logo file cannot be used, or null when it is fine. */
export function logoProblem(file: { size: number; type: string }): 'too_big' | 'not_image' | null {
  if (!LOGO_TYPES.includes(file.type)) return 'not_image';
  if (file.size > LOGO_MAX_BYTES) return 'too_big';
  return null;
}

export function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}
