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

/** Why a desktop command failed, as the shell sends it. */
export interface DesktopError {
  kind: string;
  message: string;
}

function errorMessage(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && typeof (e as DesktopError).message === 'string') {
    return (e as DesktopError).message;
  }
  return String(e);
}

async function invoke<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  const b = bridge();
  if (!b) throw new Error('not running in the desktop window');
  try {
    return await b.invoke<T>(cmd, args);
  } catch (e) {
    // Commands reject with `{kind, message}` (src-tauri/src/commands.rs `CommandError`); the
    // message is a plain sentence.
    throw new Error(errorMessage(e));
  }
}

export const desktop = {
  info: () => invoke<DesktopInfo>('desktop_info'),
  setPrefs: (prefs: DesktopPrefs) => invoke<DesktopPrefs>('set_desktop_prefs', { prefs }),
  openFolder: (folder: 'data' | 'logs') => invoke<void>('open_folder', { folder }),
};
