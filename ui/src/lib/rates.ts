/**
 * A MikroTik rate limit (`rx/tx`, the same both ways) from a plan's speed label: "20 Mbps" →
 * "20M/20M", "512 kbps" → "512k/512k", "1 Gbps" → "1G/1G". Null when the label says no speed.
 */
export function rateFromSpeed(label: string): string | null {
  const m = /(\d+)\s*([kmg])(?:bps|b\/s|bit)?\b/i.exec(label.trim());
  const [, amount, prefix] = m ?? [];
  if (!amount || !prefix) return null;
  const unit = prefix.toLowerCase() === 'k' ? 'k' : prefix.toUpperCase();
  return `${amount}${unit}/${amount}${unit}`;
}
