// Electron glue only: app lifecycle, the window, and IPC to the host. The host
// itself is the same plain-Node code the CLI and the served mode run.
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Host } from '../host/host';
import { IPC_EVENT, IPC_REQUEST, createAppWindow, isTrustedSender } from './window-policy';

let host: Host | null = null;
const here = dirname(fileURLToPath(import.meta.url));

async function createWindow(): Promise<void> {
  // Packaged, the addon ships as a resource outside the asar (build/packaging/electron-builder.json).
  if (app.isPackaged && !process.env.FWBENCH_FWCTL_ADDON) process.env.FWBENCH_FWCTL_ADDON = join(process.resourcesPath, 'native', 'fwctl.node');
  host = await Host.create({ demoBoards: 1 });
  const win = createAppWindow(BrowserWindow, join(here, 'preload.cjs'));
  const indexPath = join(here, '..', 'renderer', 'index.html');
  const appUrl = pathToFileURL(indexPath).href;
  const client = host.newClient('ipc');

  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  // Nothing remote, ever: fwbench runs offline.
  session.defaultSession.webRequest.onBeforeRequest((details, cb) => cb({ cancel: !/^(file|devtools):/.test(details.url) }));

  ipcMain.handle(IPC_REQUEST, async (event, message: unknown) => {
    if (!isTrustedSender(event.senderFrame, appUrl)) return { id: -1, ok: false, error: { code: 'bad-request', message: 'Refused: the request did not come from the fwbench window.' } };
    return host!.handle(message, client);
  });
  const off = host.onEvent((e) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, e);
  }, client.id);
  win.on('closed', () => {
    off();
    void host?.clientGone(client.id);
  });
  await win.loadFile(indexPath);
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});
app.whenReady().then(createWindow, (e) => {
  console.error(e);
  app.exit(1);
});
app.on('window-all-closed', async () => {
  await host?.close();
  app.quit();
});
