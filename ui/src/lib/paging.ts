/** `limit`/`offset` for a 1-based page. */
export const PAGE_SIZE = 25;
export function pageQuery(page: number, size = PAGE_SIZE): { limit: number; offset: number } {
  return { limit: size, offset: (page - 1) * size };
}
