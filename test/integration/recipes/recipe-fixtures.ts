// A bring-up folder as a lab keeps it: the recipe, a config profile and an
// MCUboot image, written to a temporary directory.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMcubootImage } from '../../support/mcuboot-image';

export const DEMO_PROFILE = {
  'fwbench-profile': 1,
  name: 'lab-3 demo boards',
  device: { kind: 'serial', protocol: 'demo-board' },
  values: { sample_rate_hz: 200, fan_mode: 'quiet', vcore_mv: 900, alarm_temp_c: 80, led: true, hostname: 'bench-7' },
  created: '2026-11-24T10:00:00.000Z',
};

export function bringUpRecipe(opts: { telemetry?: 'vcore' | 'vin' } = {}): object {
  const image = 'images/app-2.1.0.bin';
  const rail = opts.telemetry === 'vin' ? { channel: 'vin', min: 11.5, max: 12.5 } : { channel: 'vcore', min: 0.88, max: 0.92 };
  return {
    'fwbench-recipe': 1,
    name: 'Demo board bring-up',
    device: { protocol: 'demo-board' },
    steps: [
      { type: 'wait-device', timeoutSeconds: 10 },
      { type: 'check', command: 'device.info', expect: [{ path: 'board', equals: 'fwbench-demo' }, { path: 'firmware', equals: '1.0.0+0' }] },
      { type: 'apply-profile', file: 'profiles/lab-3.json', save: true },
      { type: 'check', command: 'config.read', expect: [{ path: 'entries[key=vcore_mv].value', equals: 900 }, { path: 'entries[key=fan_mode].value', equals: 'quiet' }] },
      { type: 'flash', file: image, activate: false },
      { type: 'reset-and-reacquire', expectFirmware: '2.1.0+7', timeoutSeconds: 30 },
      { type: 'expect-console', pattern: 'firmware 2\\.1\\.0\\+7 serial DEMO-\\d+', timeoutSeconds: 5 },
      { type: 'check', command: 'device.info', expect: [{ path: 'firmware', equals: '2.1.0+7' }] },
      { type: 'telemetry-threshold', ...rail, seconds: 1, minSamples: 50 },
    ],
  };
}

export function bringUpFolder(opts: { imageKiB?: number; telemetry?: 'vcore' | 'vin' } = {}): { dir: string; recipePath: string; image: Uint8Array } {
  const dir = mkdtempSync(join(tmpdir(), 'fwbench-recipe-'));
  mkdirSync(join(dir, 'profiles'));
  mkdirSync(join(dir, 'images'));
  const image = buildMcubootImage({ version: [2, 1, 0, 7], bodySize: (opts.imageKiB ?? 8) * 1024 });
  writeFileSync(join(dir, 'images', 'app-2.1.0.bin'), image);
  writeFileSync(join(dir, 'profiles', 'lab-3.json'), JSON.stringify(DEMO_PROFILE, null, 2));
  const recipePath = join(dir, 'bring-up.json');
  writeFileSync(recipePath, JSON.stringify(bringUpRecipe(opts), null, 2));
  return { dir, recipePath, image };
}
