// Rupiah formatting. Money is integer minor units (for IDR 1 = Rp 1), as number or bigint;
// never floating point. Output is stable across ICU versions: "Rp 150.000", "-Rp 5.000".

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** Formats an integer amount of rupiah, e.g. 150000 → "Rp 150.000", -5000n → "-Rp 5.000". */
export function formatRupiah(minor: number | bigint): string {
  let value: bigint;
  if (typeof minor === 'bigint') {
    value = minor;
  } else {
    if (!Number.isFinite(minor)) throw new RangeError(`formatRupiah: not a finite amount: ${minor}`);
    if (!Number.isInteger(minor)) {
      throw new RangeError(`formatRupiah: amounts are whole rupiah, got ${minor}`);
    }
    value = BigInt(minor);
  }
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString();
  // Any non-breaking space is normalised to a plain space so tests and copies are stable.
  const text = `Rp ${groupThousands(digits)}`.replace(/[\u00a0\u202f]/g, ' ');
  return negative ? `-${text}` : text;
}

/** A ledger delta with an explicit sign: 20000 → "+Rp 20.000", -5000 → "-Rp 5.000", 0 → "Rp 0". */
export function formatSignedRupiah(minor: number): string {
  return minor > 0 ? `+${formatRupiah(minor)}` : formatRupiah(minor);
}

/**
 * Reads what a person typed into a rupiah field: "150.000", "Rp 150.000", "150000", "-5.000".
 * Dots, spaces and the "Rp" prefix are ignored; a comma (decimal separator in id-ID) or any other
 * character makes the input invalid. Returns null for empty or invalid input, or beyond 2^53.
 */
export function parseRupiahInput(text: string, allowNegative = false): number | null {
  let s = text.trim().replace(/^rp\.?/i, '').trim();
  let negative = false;
  if (s.startsWith('-') || s.startsWith('−')) {
    if (!allowNegative) return null;
    negative = true;
    s = s.slice(1).trim().replace(/^rp\.?/i, '').trim();
  }
  const digits = s.replace(/[.\s\u00a0]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return null;
  return negative ? -value : value;
}

/** Shows a parsed amount back with thousands separators while typing: 150000 → "150.000". */
export function formatRupiahInput(value: number | null): string {
  if (value === null) return '';
  const text = groupThousands(Math.abs(value).toString());
  return value < 0 ? `-${text}` : text;
}

/** A short amount for chart axes: 140000 → "140 rb", 1500000 → "1,5 jt", 2000000000 → "2 M". */
export function formatRupiahShort(minor: number): string {
  const abs = Math.abs(minor);
  const sign = minor < 0 ? '-' : '';
  const one = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1).replace('.', ','));
  if (abs >= 1e9) return `${sign}${one(Math.round(abs / 1e8) / 10)} M`;
  if (abs >= 1e6) return `${sign}${one(Math.round(abs / 1e5) / 10)} jt`;
  if (abs >= 1e3) return `${sign}${one(Math.round(abs / 100) / 10)} rb`;
  return `${sign}${abs}`;
}
