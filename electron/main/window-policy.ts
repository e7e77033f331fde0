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
    // Middle-click could otherwise open links past the navigation handlers.
    disableBlinkFeatures: 'Auxclick',
  } as const;
}

/**
 * Creates the app window with secureWebPreferences(), written out literally:
 * electronegativity (build/security/electronegativity.mjs) reads the options
 * of `new BrowserWindow` only when they stand in the same file. A unit test
 * keeps this literal equal to secureWebPreferences().
 */
export function createAppWindow<W>(BrowserWindow: new (options: { width: number; height: number; title: string; webPreferences: ReturnType<typeof secureWebPreferences> }) => W, preloadPath: string): W {
  return new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'fwbench',
    webPreferences: {
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK (reviewed: it exposes only request and onEvent, see test/unit/host/preload-shape.test.ts)
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
      disableBlinkFeatures: 'Auxclick',
    },
  });
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
