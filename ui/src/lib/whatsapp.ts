// WhatsApp click-to-chat links (https://wa.me/<number>?text=…) for pay links. The message to the
// customer is always Indonesian, whatever the dashboard language.
import { formatDate } from './dates';
import { formatRupiah } from './money';

/** A phone number as wa.me wants it: digits only, 62… (0812… and +62 812… are accepted). */
export function waNumber(phone: string): string | null {
  let digits = phone.replace(/\D/g, '');
  if (digits.startsWith('0')) digits = `62${digits.slice(1)}`;
  else if (digits.startsWith('8')) digits = `62${digits}`;
  return /^62\d{7,13}$/.test(digits) ? digits : null;
}

export interface PayMessage {
  customer: string;
  number: string;
  owed: number;
  url: string;
  expiresAt?: string;
}

/** The Indonesian message sent with a pay link. */
export function payMessage({ customer, number, owed, url, expiresAt }: PayMessage): string {
  const until = expiresAt ? ` (berlaku sampai ${formatDate(expiresAt.slice(0, 10))})` : '';
  return (
    `Halo ${customer}, tagihan internet ${number} sebesar ${formatRupiah(owed)} belum lunas. ` +
    `Silakan bayar online lewat tautan ini${until}:\n${url}\n\nTerima kasih.`
  );
}

/** wa.me link for the customer's phone (or the chooser when the number is unusable). */
export function waLink(phone: string, text: string): string {
  const number = waNumber(phone);
  return `https://wa.me/${number ?? ''}?text=${encodeURIComponent(text)}`;
}
