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
