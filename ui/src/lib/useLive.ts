// Keeps a screen's data fresh: reloads every `everyMs` while the window is visible and at once
// when the window gets focus again. (Server-sent events can later call `reload` too.)
import { useEffect } from 'react';

export function useLive(reload: () => void, everyMs = 30_000): void {
  useEffect(() => {
    const tick = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, everyMs);
    const onFocus = () => reload();
    window.addEventListener('focus', onFocus);
    return () => {
      window.clearInterval(tick);
      window.removeEventListener('focus', onFocus);
    };
  }, [reload, everyMs]);
}
