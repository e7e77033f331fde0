// createAppWindow() writes the web preferences out literally (so the security
// scanner can read them); they must stay exactly secureWebPreferences().
import { createAppWindow, secureWebPreferences } from '../../../electron/main/window-policy';

describe('app window', () => {
  it('is created with exactly the secure web preferences', () => {
    const seen: unknown[] = [];
    class FakeWindow {
      constructor(options: unknown) {
        seen.push(options);
      }
    }
    const w = createAppWindow(FakeWindow, '/opt/fwbench/resources/app.asar/dist/electron/preload.cjs');
    expect(w).toBeInstanceOf(FakeWindow);
    expect(seen).toHaveLength(1);
    const opts = seen[0] as { webPreferences: unknown };
    expect(opts.webPreferences).toStrictEqual(secureWebPreferences('/opt/fwbench/resources/app.asar/dist/electron/preload.cjs'));
    expect(opts.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick' });
  });
});
