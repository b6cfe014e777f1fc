// The desktop window's own commands (src-tauri/src/commands.rs), reached through the IPC bridge
// Tauri injects into the window. In a browser there is no bridge and no desktop section.

interface TauriInternals {
  invoke<T>(cmd: string, args?: Record<string, unknown>): Promise<T>;
}

export interface DesktopPrefs {
  close_to_tray: boolean;
  autostart: boolean;
}

export interface DesktopInfo {
  data_dir: string;
  logs_dir: string;
  prefs: DesktopPrefs;
}

function bridge(): TauriInternals | null {
  const w = window as unknown as { __TAURI_INTERNALS__?: TauriInternals };
  return w.__TAURI_INTERNALS__ ?? null;
}

/** True inside the mikrobill desktop window. */
export function isDesktop(): boolean {
  return bridge() !== null;
}

async function invoke<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  const b = bridge();
  if (!b) throw new Error('not running in the desktop window');
  try {
    return await b.invoke<T>(cmd, args);
  } catch (e) {
    // Commands reject with a plain sentence.
    throw new Error(typeof e === 'string' ? e : String(e));
  }
}

export const desktop = {
  info: () => invoke<DesktopInfo>('desktop_info'),
  setPrefs: (prefs: DesktopPrefs) => invoke<DesktopPrefs>('set_desktop_prefs', { prefs }),
  openFolder: (folder: 'data' | 'logs') => invoke<void>('open_folder', { folder }),
};
