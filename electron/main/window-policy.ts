// The renderer is untrusted: these settings and checks are what keep it so.
// Kept apart from main.ts so they can be tested without the Electron binary.
export const IPC_REQUEST = 'fwbench:request';
export const IPC_EVENT = 'fwbench:event';

export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  } as const;
}

/** Only the app's own top-level page may call the host. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined, appUrl: string): boolean {
  if (!frame || frame.parent) return false;
  try {
    const got = new URL(frame.url);
    const want = new URL(appUrl);
    return got.protocol === 'file:' && want.protocol === 'file:' && got.pathname === want.pathname;
  } catch {
    return false;
  }
}
