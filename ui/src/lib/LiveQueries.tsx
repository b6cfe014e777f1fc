import { useQueryClient } from '@tanstack/react-query';
import { LIVE_EVENT_TYPES, invalidateForEvent } from './eventKeys';
import { useServerEvents } from './serverEvents';

/**
 * Mounted once in the signed-in shell (for roles that may read the event stream): every server
 * event invalidates the queries it makes stale (see EVENT_QUERY_KEYS).
 */
export function LiveQueries() {
  const client = useQueryClient();
  useServerEvents(LIVE_EVENT_TYPES, (type) => void invalidateForEvent(client, type));
  return null;
}
