import { DfuSeClient, encodeSetAddress } from '../../../electron/host/protocols/dfu';
import { DfuDeviceModel, buildModelImage, type DfuDeviceModelOptions } from '../../../electron/host/demo/dfu-model';
import { VirtualClock } from './virtual-clock';

const F4_LAYOUT = '@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg';
const hex = (b?: Uint8Array) => Array.from(b ?? [], (x) => x.toString(16).padStart(2, '0')).join(' ');

function fill(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff);
}

function setup(model: Partial<DfuDeviceModelOptions> = {}) {
  const vc = new VirtualClock();
  const dev = new DfuDeviceModel({ clock: vc.clock, transferSize: 2048, manifestationTolerant: false, pollTimeoutMs: 5, eraseTimeoutMs: 30, dfuse: { layout: F4_LAYOUT }, ...model });
  const dfuse = new DfuSeClient(dev, { interfaceNumber: 0, functional: dev.functionalDescriptor, sleep: vc.sleep, layout: F4_LAYOUT });
  return { vc, dev, dfuse };
}

describe('DfuSe client against the device model', () => {
  it('erases, writes two elements at different addresses, reads them back and leaves', async () => {
    const oldApp = buildModelImage(fill(1000, 1));
    const { vc, dev, dfuse } = setup({ initialFlash: [{ address: 0x08000000, data: oldApp }, { address: 0x08004100, data: fill(64, 9) }] });
    const app = buildModelImage(fill(20_000, 2)); // spans the 16 KiB pages at 0x08000000 and 0x08004000
    const config = fill(3000, 3);
    const erased: number[] = [];
    const progress: number[] = [];
    await dfuse.downloadElements(
      [
        { address: 0x08000000, data: app },
        { address: 0x08020000, data: config },
      ],
      { onProgress: (b) => progress.push(b), onErase: (d) => erased.push(d) },
    );
    const commands = dev.log.filter((l) => l.request === 'DNLOAD' && l.value === 0).map((l) => hex(l.data));
    expect(commands).toEqual([
      '41 00 00 00 08', // erase page 0x08000000
      '41 00 40 00 08', // erase page 0x08004000
      '41 00 00 02 08', // erase page 0x08020000 (128 KiB sector)
      '21 00 00 00 08', // set address pointer
      '21 00 00 02 08',
    ]);
    expect(erased).toEqual([1, 2, 3]);
    expect(vc.sleeps.filter((ms) => ms === 30)).toHaveLength(3); // erase poll timeouts honoured
    // data blocks number from 2 after each SET_ADDRESS_POINTER
    const blocks = dev.log.filter((l) => l.request === 'DNLOAD' && l.value !== 0).map((l) => l.value);
    expect(blocks).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 2, 3]);
    expect(progress.at(-1)).toBe(app.length + config.length);

    expect(await dfuse.readMemory(0x08000000, app.length)).toEqual(app);
    expect(await dfuse.readMemory(0x08020000, config.length)).toEqual(config);
    expect(dev.activeImage).toEqual(oldApp); // not active before leaving

    await dfuse.leave(0x08000000);
    expect(dev.isGone).toBe(true);
    expect(dev.running).toBe('application');
    expect(dev.activeImage).toEqual(app);
    expect(dev.readActive(0x08020000, config.length)).toEqual(config);
    expect(dev.readActive(0x08004100, 64)).toEqual(app.subarray(0x4100, 0x4140)); // the old bytes were erased
  });

  it('mass erase sends the single byte 0x41 and then writes', async () => {
    const { dev, dfuse } = setup({ initialFlash: [{ address: 0x08000000, data: fill(100, 1) }] });
    const app = buildModelImage(fill(500, 4));
    await dfuse.downloadElements([{ address: 0x08000000, data: app }], { erase: 'mass' });
    expect(hex(dev.log.find((l) => l.request === 'DNLOAD' && l.value === 0)?.data)).toBe('41');
    expect(await dfuse.readMemory(0x08000000, app.length)).toEqual(app);
  });

  it('writing over unerased flash fails with errPROG by name', async () => {
    const { dfuse } = setup({ initialFlash: [{ address: 0x08000000, data: fill(100, 1) }] });
    const err = await dfuse.downloadElements([{ address: 0x08000000, data: fill(100, 5) }], { erase: 'none' }).catch((e) => e);
    expect(err.code).toBe('device-error');
    expect(err.message).toMatch(/errPROG after DFU_DNLOAD for block 2 \(100 bytes at 0x08000000\): The program memory function failed\..*cleared/);
  });

  it('re-issues SET_ADDRESS_POINTER when wBlockNum would pass 65535', async () => {
    const layout = '@RAM /0x20000000/1*1Me';
    const vc = new VirtualClock();
    const dev = new DfuDeviceModel({ clock: vc.clock, transferSize: 8, dfuse: { layout } });
    const dfuse = new DfuSeClient(dev, { interfaceNumber: 0, functional: dev.functionalDescriptor, sleep: vc.sleep, layout });
    const data = fill(8 * 65534 + 24, 6);
    await dfuse.downloadElements([{ address: 0x20000000, data }], { erase: 'none' });
    const sets = dev.log.filter((l) => l.request === 'DNLOAD' && l.value === 0).map((l) => hex(l.data));
    expect(sets).toEqual([hex(encodeSetAddress(0x20000000)), hex(encodeSetAddress(0x20000000 + 8 * 65534))]);
    // the bytes either side of the second pointer landed where they belong
    expect(Array.from(await dfuse.readMemory(0x20000000 + 8 * 65530, 56))).toEqual(Array.from(data.subarray(8 * 65530)));
  });

  it('lists the bootloader commands (UPLOAD block 0)', async () => {
    const { dfuse, dev } = setup();
    expect(await dfuse.getCommands()).toEqual([0x00, 0x21, 0x41, 0x92]);
    expect(dev.stateName).toBe('dfuIDLE');
  });

  it('refuses READ_UNPROTECT unless confirmed; when confirmed the flash is wiped and the chip resets', async () => {
    const { dev, dfuse } = setup({ initialFlash: [{ address: 0x08000000, data: buildModelImage(fill(50, 1)) }] });
    const before = dev.log.length;
    await expect(dfuse.readUnprotect()).rejects.toMatchObject({ code: 'confirmation-required', message: expect.stringMatching(/erases the entire flash/) });
    expect(dev.log.length).toBe(before); // nothing was sent
    expect(dev.bootable).toBe(true);
    await dfuse.readUnprotect({ confirm: true });
    expect(hex(dev.log.filter((l) => l.request === 'DNLOAD').at(-1)?.data)).toBe('92');
    expect(dev.isGone).toBe(true);
    expect(dev.bootable).toBe(false);
  });

  it('checks elements and erases against the memory map before sending anything', async () => {
    const { dev, dfuse } = setup();
    await expect(dfuse.downloadElements([{ address: 0x08100000 - 10, data: fill(20, 1) }])).rejects.toMatchObject({
      code: 'invalid-params',
      message: expect.stringMatching(/0x08100000 .*not writeable according to the device's memory map \(Internal Flash\)/),
    });
    await expect(dfuse.erasePage(0x20000000)).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/cannot be erased/) });
    await expect(dfuse.readMemory(0x1fff0000, 16)).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/not readable/) });
    await expect(dfuse.downloadElements([])).rejects.toMatchObject({ code: 'invalid-params' });
    expect(dev.log).toHaveLength(0);
    const noMap = new DfuSeClient(dev, { interfaceNumber: 0, functional: dev.functionalDescriptor });
    await expect(noMap.downloadElements([{ address: 0x08000000, data: fill(4, 1) }])).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/Page erase needs/) });
  });

  it('a SET_ADDRESS_POINTER to an address the device does not have: errTARGET by name', async () => {
    const { dfuse, dev } = setup();
    const err = await dfuse.setAddress(0x30000000).catch((e) => e);
    expect(err.message).toMatch(/errTARGET after DFU_DNLOAD for SET_ADDRESS_POINTER 0x30000000/);
    expect(dev.stateName).toBe('dfuIDLE');
  });

  it('leave with an image that does not validate keeps the previous one bootable', async () => {
    const oldApp = buildModelImage(fill(300, 1));
    const { dev, dfuse } = setup({ initialFlash: [{ address: 0x08000000, data: oldApp }] });
    const bad = buildModelImage(fill(300, 2));
    bad[10] ^= 1;
    await dfuse.downloadElements([{ address: 0x08000000, data: bad }]);
    await dfuse.leave();
    expect(dev.lastManifestation).toMatchObject({ accepted: false, reason: expect.stringMatching(/CRC-32 mismatch/) });
    expect(dev.activeImage).toEqual(oldApp);
    expect(dev.bootable).toBe(true);
  });
});
