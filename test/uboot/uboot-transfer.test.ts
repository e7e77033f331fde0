// YMODEM upload to real U-Boot with CRC proof, flash write by recipe with
// read-back and reset, and the link cut mid-upload.
import { randomBytes } from 'node:crypto';
import { UBootVm } from '../support/uboot-vm';
import { UBootAdapter, QEMU_VIRT_ARM_FLASH, crc32, type StepProgress } from '../../electron/host/protocols/uboot';
import { HostError } from '../../electron/host/errors/host-error';

let vm: UBootVm;
let uboot: UBootAdapter;

beforeAll(async () => {
  vm = new UBootVm();
  uboot = UBootAdapter.over(await vm.start());
  await vm.resume();
  expect((await uboot.detect({ timeoutMs: 15_000 })).detected).toBe(true);
});
afterAll(async () => {
  uboot?.console.dispose();
  await vm?.dispose();
});

describe('U-Boot transfers', () => {
  it('uploads 1 MiB with loady and proves it with U-Boot crc32', async () => {
    const image = new Uint8Array(randomBytes(1024 * 1024));
    const progress: StepProgress[] = [];
    const r = await uboot.loadY(image, { onProgress: (p) => progress.push(p) });
    expect(r).toMatchObject({ loadAddr: 0x40200000, size: image.length, crc: crc32(image) });
    // Independent check: U-Boot's own view of what it received.
    expect((await uboot.runCommand('printenv filesize')).output).toBe('filesize=100000');
    expect(await uboot.crc32(0x40200000, image.length)).toBe(crc32(image));
    const uploads = progress.filter((p) => p.step === 'upload');
    expect(uploads.length).toBeGreaterThan(10);
    expect(uploads.at(-1)).toEqual({ step: 'upload', bytes: image.length, total: image.length });
    expect(progress.at(-1)).toEqual({ step: 'verify-load', bytes: image.length, total: image.length });
  });

  it('writes an image to flash, reads it back, resets and finds it still there', async () => {
    const image = new Uint8Array(randomBytes(300 * 1024)); // not a whole number of 128 KiB sectors
    const steps: string[] = [];
    const r = await uboot.flashWrite(image, QEMU_VIRT_ARM_FLASH, {
      onProgress: (p) => {
        if (steps.at(-1) !== p.step) steps.push(p.step);
      },
    });
    expect(r).toEqual({ flashAddr: 0x04100000, size: image.length, crc: crc32(image), sectorsErased: 3, resetVerified: true });
    expect(steps).toEqual(['upload', 'verify-load', 'unprotect', 'erase', 'write', 'verify-crc', 'verify-compare', 'reset']);
    // The reset really happened: a second banner, and the board is back at its prompt.
    const banners = uboot.console.transcript.all().filter((l) => /^U-Boot 2023\.01/.test(l.text));
    expect(banners.length).toBeGreaterThanOrEqual(2);
    expect(await uboot.crc32(0x04100000, image.length)).toBe(crc32(image));
    // The env sectors before the region were not touched.
    expect((await uboot.runCommand('env exists bootcmd')).status).toBe(0);
  });

  it('refuses an image bigger than the recipe region before touching the board', async () => {
    const before = uboot.console.transcript.all().length;
    await expect(uboot.flashWrite(new Uint8Array(QEMU_VIRT_ARM_FLASH.regionSize + 1), QEMU_VIRT_ARM_FLASH)).rejects.toMatchObject({ code: 'invalid-params' });
    expect(uboot.console.transcript.all().length).toBe(before);
  });

  it('cancels an upload with the signal and gets the prompt back', async () => {
    const ac = new AbortController();
    const p = uboot.loadY(new Uint8Array(randomBytes(256 * 1024)), {
      signal: ac.signal,
      onProgress: (x) => {
        if (x.step === 'upload' && x.bytes >= 16 * 1024) ac.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect((await uboot.runCommand('echo alive')).output).toBe('alive');
  });

  it('fails with device-gone, not a hang, when the board dies mid-upload', async () => {
    let killed = false;
    const started = Date.now();
    const p = uboot.loadY(new Uint8Array(randomBytes(1024 * 1024)), {
      onProgress: (x) => {
        if (!killed && x.step === 'upload' && x.bytes >= 32 * 1024) {
          killed = true;
          void vm.kill();
        }
      },
    });
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(killed).toBe(true);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).code).toBe('device-gone');
    expect(Date.now() - started).toBeLessThan(30_000);
    await expect(uboot.version()).rejects.toMatchObject({ code: 'device-gone' });
  });
});
