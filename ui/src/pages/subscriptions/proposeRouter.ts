/**
 * The router a new subscription most likely goes on: the only one there is, else the one a
 * subscription was last put on; none when several exist and none was used yet.
 */
export function proposeRouter(routers: { id: string; last_used_at?: string | null }[]): string | null {
  if (routers.length === 1) return routers[0]?.id ?? null;
  let best: { id: string; at: number } | null = null;
  for (const r of routers) {
    const at = r.last_used_at ? Date.parse(r.last_used_at) : Number.NaN;
    if (!Number.isNaN(at) && (!best || at > best.at)) best = { id: r.id, at };
  }
  return best?.id ?? null;
}
