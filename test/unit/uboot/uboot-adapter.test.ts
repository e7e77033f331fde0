// The adapter's checks, against a scripted U-Boot (fake-uboot.ts) for the
// failures real U-Boot will not produce on demand. The happy paths run against
// real U-Boot in test/uboot/.
import { createPipePair } from '../../../electron/host/transports/pipe-pair';
import { UBootAdapter, QEMU_ARM64_FLASH, crc32 } from '../../../electron/host/protocols/uboot';
import { FakeUBoot, type FakeUBootOptions } from './fake-uboot';

function setup(opts: FakeUBootOptions = {}) {
  const [host, dev] = createPipePair();
  const board = new FakeUBoot(dev, opts);
  const uboot = UBootAdapter.over(host, { timeoutMs: 2000 });
  return { board, uboot, dev };
}
const image = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

describe('UBootAdapter', () => {
  it('detects a booting board and stops its countdown', async () => {
    const { board, uboot } = setup();
    board.boot();
    const d = await uboot.detect({ timeoutMs: 3000 });
    expect(d).toMatchObject({ detected: true, atPrompt: true, stoppedAutoboot: true, version: { release: '2023.01' } });
  });

  it('detects a board sitting silently at its prompt (poked with Ctrl-C)', async () => {
    const { uboot } = setup();
    expect(await uboot.detect({ timeoutMs: 3000 })).toMatchObject({ detected: true, atPrompt: true, stoppedAutoboot: false });
  });

  it('does not claim a Linux shell is U-Boot', async () => {
    const [host, dev] = createPipePair();
    dev.onData(() => void dev.write(new TextEncoder().encode('\r\nroot@board:~# ')));
    const d = await UBootAdapter.over(host).detect({ timeoutMs: 800 });
    expect(d.detected).toBe(false);
    expect(d.evidence).toMatch(/root@board/);
  });

  it('fails clearly when saveenv does not end with OK', async () => {
    const { uboot } = setup({ saveFails: true });
    await expect(uboot.saveEnv()).rejects.toMatchObject({ code: 'device-error', message: 'U-Boot could not save its environment.', detail: expect.stringMatching(/FAILED/) });
  });

  it('catches a value U-Boot stored differently', async () => {
    const { uboot } = setup({ mangle: (v) => v.toUpperCase() });
    await expect(uboot.setEnv('x', 'abc')).rejects.toMatchObject({ code: 'verification-failed', detail: 'sent "abc", read back "ABC"' });
  });

  it('says which changes were applied when a diff fails part-way', async () => {
    const { uboot } = setup({ mangle: (v) => (v === 'bad' ? 'BAD' : v) });
    const err = await uboot.applyEnvDiff({ a: '1', b: 'bad', c: '3' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'verification-failed' });
    expect(err.detail).toMatch(/already applied \(not saved\): a$/);
  });

  it('loads an image and checks it', async () => {
    const { uboot } = setup();
    const img = image(5000);
    expect(await uboot.loadY(img)).toMatchObject({ loadAddr: 0x40200000, size: 5000, crc: crc32(img) });
  });

  it('refuses a download whose CRC differs, and writes nothing to flash', async () => {
    const { uboot, board } = setup({ corruptLoad: true });
    await expect(uboot.loadY(image(3000))).rejects.toMatchObject({ code: 'verification-failed', message: expect.stringMatching(/CRC-32 differs/) });
    await expect(uboot.flashWrite(image(3000), { ...QEMU_ARM64_FLASH, resetAfter: false })).rejects.toMatchObject({ code: 'verification-failed' });
    expect(board.commands.filter((c) => /^(protect|erase|cp)/.test(c))).toEqual([]);
  });

  it('stops at a failing erase with the board output, and does not copy', async () => {
    const { uboot, board } = setup({ eraseFails: true });
    const err = await uboot.flashWrite(image(3000), { ...QEMU_ARM64_FLASH, resetAfter: false }).catch((e) => e);
    expect(err).toMatchObject({ code: 'device-error', message: 'Flash step "erase" failed on the board.' });
    expect(err.detail).toMatch(/exit status 1; Error: start and\/or end address/);
    expect(board.commands.some((c) => c.startsWith('cp.b'))).toBe(false);
  });

  it('writes flash with the exact commands of the recipe', async () => {
    const { uboot, board } = setup();
    const img = image(300 * 1024);
    const r = await uboot.flashWrite(img, { ...QEMU_ARM64_FLASH, resetAfter: false });
    expect(r).toEqual({ flashAddr: 0x04100000, size: img.length, crc: crc32(img), sectorsErased: 3, resetVerified: false });
    expect(board.commands.filter((c) => !c.startsWith('loady'))).toEqual([
      'crc32 40200000 4b000',
      'protect off 4100000 415ffff',
      'erase 4100000 415ffff',
      'cp.b 40200000 4100000 4b000',
      'crc32 4100000 4b000',
      'cmp.b 4100000 40200000 4b000',
    ]);
  });
});
