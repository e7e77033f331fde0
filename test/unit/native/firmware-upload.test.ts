// uploadFirmware against a directory that plays the kernel's firmware-upload
// class (status/loading/data/remaining_size/error/cancel as plain files); a
// small fake driver advances status the way fw_upload does. The real sysfs
// path is exercised in the kernel suite (test/kernel).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uploadFirmware, type FirmwareUploadProgress } from '../../../electron/host/fwctl/firmware-upload';

let dir: string;
const put = (name: string, v: string) => writeFileSync(path.join(dir, name), v);
const get = (name: string) => readFileSync(path.join(dir, name), 'utf8');

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fwbench-fwupload-'));
  for (const [k, v] of Object.entries({ status: 'idle\n', loading: '0\n', data: '', remaining_size: '0\n', error: '\n', cancel: '' })) put(k, v);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Plays the driver after the hand-over: like fw_upload_start(), status is
 * already "preparing" when loading=0 returns (set from onProgress when the last
 * chunk is written, which happens before that write); then a timer walks the
 * given steps and ends idle with `error`. Honours the cancel file.
 */
function fakeDriver(steps: { status: string; remaining: number }[], error = '') {
  const d = dir;
  const w = (name: string, v: string) => writeFileSync(path.join(d, name), v);
  let timer: NodeJS.Timeout | undefined;
  const progress: FirmwareUploadProgress[] = [];
  const onProgress = (p: FirmwareUploadProgress) => {
    progress.push(p);
    if (p.phase !== 'writing' || p.remaining !== 0 || timer) return;
    w('status', 'preparing\n');
    let i = 0;
    timer = setInterval(() => {
      if (readFileSync(path.join(d, 'cancel'), 'utf8').trim() === '1') {
        w('error', 'transferring:user-abort\n');
        w('status', 'idle\n');
        clearInterval(timer);
      } else if (i < steps.length) {
        w('status', `${steps[i].status}\n`);
        w('remaining_size', `${steps[i].remaining}\n`);
        i++;
      } else {
        w('error', `${error}\n`);
        w('status', 'idle\n');
        clearInterval(timer);
      }
    }, 120);
  };
  return { onProgress, progress, stop: () => clearInterval(timer) };
}

describe('uploadFirmware', () => {
  it('writes the image, hands it over and follows status until idle', async () => {
    const image = new Uint8Array(150_000).map((_, i) => i & 0xff);
    const drv = fakeDriver([
      { status: 'transferring', remaining: 150_000 },
      { status: 'transferring', remaining: 60_000 },
      { status: 'transferring', remaining: 0 },
      { status: 'programming', remaining: 0 },
    ]);
    try {
      await uploadFirmware(dir, image, drv.onProgress);
    } finally {
      drv.stop();
    }
    expect(Buffer.compare(readFileSync(path.join(dir, 'data')), Buffer.from(image))).toBe(0);
    expect(get('loading')).toBe('0');
    const { progress } = drv;
    expect(progress.filter((p) => p.phase === 'writing').map((p) => p.remaining)).toEqual([150_000 - 65536, 150_000 - 131072, 0]);
    const transfer = progress.filter((p) => p.phase === 'transferring').map((p) => p.remaining);
    expect(transfer[0]).toBe(150_000);
    expect(transfer.at(-1)).toBe(0);
    expect(progress.map((p) => p.phase)).toContain('programming');
    expect(progress.at(-1)).toEqual({ phase: 'idle', remaining: 0, total: 150_000 });
    expect(progress.every((p) => p.total === 150_000)).toBe(true);
  });

  it('reports the error the driver leaves as device-error', async () => {
    const drv = fakeDriver([{ status: 'transferring', remaining: 16 }], 'transferring:firmware-invalid');
    try {
      await expect(uploadFirmware(dir, new Uint8Array(16), drv.onProgress)).rejects.toMatchObject({
        code: 'device-error',
        message: expect.stringContaining('transferring:firmware-invalid'),
      });
    } finally {
      drv.stop();
    }
  });

  it('cancels through the cancel file when aborted during the transfer', async () => {
    const drv = fakeDriver(Array.from({ length: 50 }, (_, i) => ({ status: 'transferring', remaining: 4096 - i })));
    const ac = new AbortController();
    const onProgress = (p: FirmwareUploadProgress) => {
      drv.onProgress(p);
      if (p.phase === 'transferring') ac.abort();
    };
    try {
      await expect(uploadFirmware(dir, new Uint8Array(4096).fill(1), onProgress, ac.signal)).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      drv.stop();
    }
    expect(get('cancel')).toBe('1');
  });

  it('drops the partial image (loading=-1) when aborted while writing', async () => {
    const ac = new AbortController();
    const p = uploadFirmware(dir, new Uint8Array(200_000), () => ac.abort(), ac.signal);
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(get('loading')).toBe('-1');
  });

  it('does nothing when aborted before it starts', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(uploadFirmware(dir, new Uint8Array(16), () => {}, ac.signal)).rejects.toThrow();
    expect(get('loading')).toBe('0\n');
    expect(get('data')).toBe('');
  });

  it('refuses when an update is already running', async () => {
    put('status', 'transferring\n');
    await expect(uploadFirmware(dir, new Uint8Array(16))).rejects.toMatchObject({ code: 'device-busy' });
    expect(get('loading').trim()).toBe('0');
  });

  it('refuses an empty image', async () => {
    await expect(uploadFirmware(dir, new Uint8Array(0))).rejects.toMatchObject({ code: 'invalid-params' });
  });

  it('says the device has no firmware upload when the sysfs directory is missing', async () => {
    await expect(uploadFirmware(path.join(dir, 'nope'), new Uint8Array(4))).rejects.toMatchObject({ code: 'unknown-device' });
  });
});
