// YMODEM upload to real U-Boot with CRC proof, flash write by the board's
// recipe with read-back and reset, and the link cut mid-upload — on each QEMU
// board in turn (one VM per board). The primary board moves 1 MiB; the others
// a small image, as YMODEM over a pty runs at about 80 KiB/s.
import { randomBytes } from 'node:crypto';
import { UBootVm, ubootBoards, PRIMARY_BOARD, type UBootBoard } from '../support/uboot-vm';
import { UBootAdapter, flashRecipeFor, crc32, type StepProgress } from '../../electron/host/protocols/uboot';
import { HostError } from '../../electron/host/errors/host-error';

describe.each(ubootBoards())('U-Boot transfers: $id', (board: UBootBoard) => {
  const want = board.expect;
  const primary = board.id === PRIMARY_BOARD.id;
  const recipe = flashRecipeFor(want.boardName);
  let vm: UBootVm;
  let uboot: UBootAdapter;

  beforeAll(async () => {
    vm = new UBootVm({ board });
    uboot = UBootAdapter.over(await vm.start());
    await vm.resume();
    expect((await uboot.detect({ timeoutMs: 30_000 })).detected).toBe(true);
  });
  afterAll(async () => {
    uboot?.console.dispose();
    await vm?.dispose();
  });

  it(`uploads ${board.transferBytes / 1024} KiB with loady to the board's loadaddr and proves it with U-Boot crc32`, async () => {
    const image = new Uint8Array(randomBytes(board.transferBytes));
    const progress: StepProgress[] = [];
    const r = await uboot.loadY(image, { onProgress: (p) => progress.push(p) });
    expect(r).toMatchObject({ loadAddr: want.loadAddr, size: image.length, crc: crc32(image) });
    // Independent check: U-Boot's own view of what it received.
    expect((await uboot.runCommand('printenv filesize')).output).toBe(`filesize=${image.length.toString(16)}`);
    expect(await uboot.crc32(want.loadAddr, image.length)).toBe(crc32(image));
    const uploads = progress.filter((p) => p.step === 'upload');
    expect(uploads.length).toBeGreaterThan(2);
    expect(uploads.at(-1)).toEqual({ step: 'upload', bytes: image.length, total: image.length });
    expect(progress.at(-1)).toEqual({ step: 'verify-load', bytes: image.length, total: image.length });
  });

  it('refuses an upload that would overwrite U-Boot at the top of RAM, before sending a byte', async () => {
    const before = uboot.console.transcript.all().length;
    // 8 KiB just below the end of RAM: where U-Boot relocated itself (bdinfo's lmb reserved ranges).
    const top = want.dramStart + want.dramSize - 4096;
    await expect(uboot.loadY(new Uint8Array(8192), { loadAddr: top })).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/would overwrite memory U-Boot reserved|does not fit in the board's RAM/) });
    expect(uboot.console.transcript.all().slice(before).some((l) => l.dir === 'tx' && /^loady/.test(l.text))).toBe(false);
  });

  if (recipe) {
    it('writes an image to flash by its recipe, reads it back, resets and finds it still there', async () => {
      const size = primary ? 300 * 1024 : 96 * 1024 + 3; // not a whole number of 128 KiB sectors
      const image = new Uint8Array(randomBytes(size));
      const steps: string[] = [];
      const r = await uboot.flashWrite(image, recipe, {
        onProgress: (p) => {
          if (steps.at(-1) !== p.step) steps.push(p.step);
        },
      });
      expect(r).toEqual({ flashAddr: recipe.flashAddr, size, crc: crc32(image), sectorsErased: Math.ceil(size / recipe.sectorSize), resetVerified: true });
      expect(steps).toEqual(['upload', 'verify-load', 'unprotect', 'erase', 'write', 'verify-crc', 'verify-compare', 'reset']);
      // The reset really happened: a second banner, and the board is back at its prompt.
      const banners = uboot.console.transcript.all().filter((l) => /^U-Boot 2023\.01/.test(l.text));
      expect(banners.length).toBeGreaterThanOrEqual(2);
      expect(await uboot.crc32(recipe.flashAddr, size)).toBe(crc32(image));
      // The env sectors before the region were not touched.
      expect((await uboot.runCommand('env exists bootcmd')).status).toBe(0);
    });

    it('refuses an image bigger than the recipe region before touching the board', async () => {
      const before = uboot.console.transcript.all().length;
      await expect(uboot.flashWrite(new Uint8Array(recipe.regionSize + 1), recipe)).rejects.toMatchObject({ code: 'invalid-params' });
      expect(uboot.console.transcript.all().length).toBe(before);
    });
  } else {
    it('has no flash recipe in fwbench (the host refuses its flash job: uboot-session.test.ts)', async () => {
      expect(want.flashRecipe).toBe(false);
      const bd = await uboot.boardInfo();
      expect(Number(bd.fields.get('flashsize'))).toBe(want.flashSize);
    });
  }

  it('cancels an upload with the signal and gets the prompt back', async () => {
    const ac = new AbortController();
    const p = uboot.loadY(new Uint8Array(randomBytes(128 * 1024)), {
      signal: ac.signal,
      onProgress: (x) => {
        if (x.step === 'upload' && x.bytes >= 8 * 1024) ac.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect((await uboot.runCommand('echo alive')).output).toBe('alive');
  });

  it('fails with device-gone, not a hang, when the board dies mid-upload', async () => {
    let killed = false;
    const started = Date.now();
    const p = uboot.loadY(new Uint8Array(randomBytes(primary ? 1024 * 1024 : 128 * 1024)), {
      onProgress: (x) => {
        if (!killed && x.step === 'upload' && x.bytes >= 16 * 1024) {
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
