// The adapter's checks, against a scripted U-Boot (fake-uboot.ts) for the
// failures real U-Boot will not produce on demand. The happy paths run against
// real U-Boot in test/uboot/.
import { createPipePair } from '../../../electron/host/transports/pipe-pair';
import { UBootAdapter, QEMU_VIRT_ARM_FLASH, crc32 } from '../../../electron/host/protocols/uboot';
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

  it('says plainly that a board built with the env nowhere cannot save, and changes nothing when asked to save a diff', async () => {
    const { uboot, board } = setup({ noSaveenv: true, envFrom: 'nowhere' });
    board.boot();
    await uboot.detect({ timeoutMs: 3000 });
    expect(await uboot.envStorage()).toMatchObject({ saveable: false, location: 'nowhere', reason: expect.stringMatching(/keeps its U-Boot environment nowhere .*cannot be saved/) });
    await expect(uboot.saveEnv()).rejects.toMatchObject({ code: 'not-supported', message: expect.stringMatching(/Loading Environment from nowhere/) });
    await expect(uboot.applyEnvDiff({ fwb_x: '1' }, { save: true })).rejects.toMatchObject({ code: 'not-supported', detail: 'nothing was changed' });
    expect(board.env.has('fwb_x')).toBe(false);
    expect(board.commands).not.toContain('saveenv');
    // Without saving, the change itself is allowed (it lasts until the next reset).
    expect((await uboot.applyEnvDiff({ fwb_x: '1' })).applied).toEqual(['fwb_x']);
  });

  it('finds a missing saveenv even without the boot log', async () => {
    const { uboot, board } = setup({ noSaveenv: true });
    expect(await uboot.envStorage()).toEqual({ saveable: false, reason: expect.stringMatching(/has no saveenv command/) });
    await expect(uboot.saveEnv()).rejects.toMatchObject({ code: 'not-supported' });
    expect(board.commands).not.toContain('saveenv');
    const ok = setup({ envFrom: 'Flash' });
    ok.board.boot();
    await ok.uboot.detect({ timeoutMs: 3000 });
    expect(await ok.uboot.envStorage()).toEqual({ saveable: true, location: 'Flash' });
  });

  it('loads to the board\'s own loadaddr and refuses one that misses its RAM or hits U-Boot itself', async () => {
    const bdinfo = 'DRAM bank   = 0x00000000\n-> start    = 0x80000000\n-> size     = 0x00100000\nlmb_dump_all:\n memory.cnt  = 0x1\n reserved.cnt  = 0x1\n reserved[0]\t[0x800f0000-0x800fffff], 0x00010000 bytes flags: 0\n';
    const { uboot, board } = setup({ bdinfo });
    board.env.set('loadaddr', '0x80000000');
    const img = image(4096);
    expect(await uboot.loadY(img)).toMatchObject({ loadAddr: 0x80000000, size: 4096, crc: crc32(img) });
    expect(board.commands).toContain('loady 80000000');
    await expect(uboot.loadY(image(0xf0001))).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/would overwrite memory U-Boot reserved/) });
    board.env.set('loadaddr', '0x40000000');
    await expect(uboot.loadY(img)).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/does not fit in the board's RAM/) });
    expect(board.commands.filter((c) => c.startsWith('loady'))).toEqual(['loady 80000000']);
    // kernel_addr_r when there is no loadaddr.
    board.env.delete('loadaddr');
    board.env.set('kernel_addr_r', '0x80010000');
    expect((await uboot.loadY(img)).loadAddr).toBe(0x80010000);
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
    await expect(uboot.flashWrite(image(3000), { ...QEMU_VIRT_ARM_FLASH, resetAfter: false })).rejects.toMatchObject({ code: 'verification-failed' });
    expect(board.commands.filter((c) => /^(protect|erase|cp)/.test(c))).toEqual([]);
  });

  it('stops at a failing erase with the board output, and does not copy', async () => {
    const { uboot, board } = setup({ eraseFails: true });
    const err = await uboot.flashWrite(image(3000), { ...QEMU_VIRT_ARM_FLASH, resetAfter: false }).catch((e) => e);
    expect(err).toMatchObject({ code: 'device-error', message: 'Flash step "erase" failed on the board.' });
    expect(err.detail).toMatch(/exit status 1; Error: start and\/or end address/);
    expect(board.commands.some((c) => c.startsWith('cp.b'))).toBe(false);
  });

  it('writes flash with the exact commands of the recipe', async () => {
    const { uboot, board } = setup();
    const img = image(300 * 1024);
    const r = await uboot.flashWrite(img, { ...QEMU_VIRT_ARM_FLASH, resetAfter: false });
    expect(r).toEqual({ flashAddr: 0x04100000, size: img.length, crc: crc32(img), sectorsErased: 3, resetVerified: false });
    expect(board.commands.filter((c) => !c.startsWith('loady'))).toEqual([
      // Where to load it: the board's loadaddr, and its bdinfo (none here) to check the RAM.
      'printenv loadaddr',
      'bdinfo',
      'crc32 40200000 4b000',
      'protect off 4100000 415ffff',
      'erase 4100000 415ffff',
      'cp.b 40200000 4100000 4b000',
      'crc32 4100000 4b000',
      'cmp.b 4100000 40200000 4b000',
    ]);
  });
});
