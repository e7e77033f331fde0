// Launches the real Electron app with Playwright's Electron support. Where the
// Electron binary is not installed (it cannot be downloaded on every machine),
// the test is skipped and says why — it never passes without running.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { _electron as electron } from 'playwright-core';

const require = createRequire(import.meta.url);
function electronBinary(): string | null {
  try {
    const p = require('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) console.log('test:electron skipped: the Electron binary is not installed here (npm install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or its download is not reachable).');

describe.skipIf(!binary)('Electron app', () => {
  it('opens a sandboxed window on the demo board with no Node in the renderer', async () => {
    const app = await electron.launch({ executablePath: binary!, args: ['.'], env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' } });
    try {
      const win = await app.firstWindow();
      await win.getByTestId('device-demo:DEMO-1001').waitFor({ timeout: 30_000 });
      expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await win.evaluate(() => Object.keys((window as unknown as { fwbench: object }).fwbench).sort())).toEqual(['onEvent', 'request']);
      // The renderer cannot reach Node even through the bridge: only the two functions cross it.
      expect(await win.evaluate(() => typeof (globalThis as { module?: unknown }).module)).toBe('undefined');
    } finally {
      await app.close();
    }
  });
});
