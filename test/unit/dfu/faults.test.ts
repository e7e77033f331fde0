import { DfuClient, DfuSeClient } from '../../../electron/host/protocols/dfu';
import { DfuDeviceModel, buildModelImage, type DfuDeviceModelOptions } from '../../../electron/host/demo/dfu-model';
import { VirtualClock } from './virtual-clock';

const image = (n: number, seed = 1) => buildModelImage(Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed) & 0xff));
const OLD = image(200, 99);

function setup(model: Partial<DfuDeviceModelOptions> = {}, timeoutMs = 5000) {
  const vc = new VirtualClock();
  const dev = new DfuDeviceModel({ clock: vc.clock, transferSize: 256, pollTimeoutMs: 3, initialImage: OLD, ...model });
  const dfu = new DfuClient(dev, { interfaceNumber: 0, functional: dev.functionalDescriptor, sleep: vc.sleep, timeoutMs });
  return { dev, dfu };
}

describe('DFU client under injected faults', () => {
  it('stall → clear error naming the request, device recovered with CLRSTATUS, old image kept', async () => {
    const { dev, dfu } = setup();
    dev.inject({ kind: 'stall', request: 'DNLOAD', occurrence: 3 });
    const err = await dfu.download(image(2000)).catch((e) => e);
    expect(err.code).toBe('protocol-error');
    expect(err.message).toMatch(/^The device refused DFU_DNLOAD for block 2 \(bytes 512–767 of 2008\) \(USB stall\) and reports errSTALLEDPKT: The device stalled an unexpected request\. The error was cleared/);
    expect(err.message).toMatch(/512 of 2008 bytes had been transferred/);
    expect(dev.stateName).toBe('dfuIDLE');
    expect(dev.activeImage).toEqual(OLD);
    // and the device is usable again
    const next = image(2000, 5);
    await dfu.download(next);
    expect(dev.activeImage).toEqual(next);
  });

  it('dfuERROR with a status → status name and meaning in the message, CLRSTATUS recovers', async () => {
    const { dev, dfu } = setup();
    dev.inject({ kind: 'error', request: 'DNLOAD', occurrence: 2, status: 'errWRITE' });
    const err = await dfu.download(image(1000)).catch((e) => e);
    expect(err.code).toBe('device-error');
    expect(err.report).toMatchObject({ statusName: 'errWRITE', stateName: 'dfuERROR' });
    expect(err.message).toMatch(/reported errWRITE after DFU_DNLOAD for block 1 .*unable to write memory\. The error was cleared \(DFU_CLRSTATUS\)/);
    expect(dev.log.filter((l) => l.request === 'CLRSTATUS')).toHaveLength(1);
    expect(dev.stateName).toBe('dfuIDLE');
    expect(dev.activeImage).toEqual(OLD);
  });

  it('wrong state → protocol error that names the state and what was expected', async () => {
    const { dev, dfu } = setup();
    dev.inject({ kind: 'wrong-state', request: 'GETSTATUS', occurrence: 3, state: 'dfuUPLOAD-IDLE' });
    const err = await dfu.download(image(1000)).catch((e) => e);
    expect(err.code).toBe('protocol-error');
    expect(err.message).toMatch(/reported state dfuUPLOAD-IDLE \(The device is processing an upload\.\) after DFU_DNLOAD for block \d .*expected dfuDNBUSY or dfuDNLOAD-IDLE/);
    expect(dev.activeImage).toEqual(OLD);
  });

  it('a device that never answers → timeout naming the request', async () => {
    const { dev, dfu } = setup({}, 30);
    dev.inject({ kind: 'timeout', request: 'GETSTATUS', occurrence: 4 });
    const err = await dfu.download(image(1000)).catch((e) => e);
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/did not answer DFU_GETSTATUS after DFU_DNLOAD for block \d .*within 30 ms/);
    expect(dev.activeImage).toEqual(OLD);
  });

  it('link cut at byte N → device-gone, every later call fails the same way, old image stays bootable', async () => {
    const { dev, dfu } = setup();
    dev.inject({ kind: 'cut-at-byte', atByte: 700 });
    const err = await dfu.download(image(2000)).catch((e) => e);
    expect(err.code).toBe('device-gone');
    expect(err.message).toMatch(/disappeared during DFU_DNLOAD for block 2 \(bytes 512–767 of 2008\).*512 of 2008 bytes had been transferred/);
    await expect(dfu.getStatus()).rejects.toMatchObject({ code: 'device-gone' });
    await expect(dfu.abort()).rejects.toMatchObject({ code: 'device-gone' });
    expect(dev.bootable).toBe(true);
    expect(dev.activeImage).toEqual(OLD);
    dev.reattach();
    const next = image(2000, 3);
    await dfu.download(next);
    expect(dev.activeImage).toEqual(next);
  });

  it('link cut at a request during manifestation of a tolerant device → device-gone is reported, image either old or new but bootable', async () => {
    const { dev, dfu } = setup({ manifestTimeoutMs: 5 });
    dev.inject({ kind: 'cut', request: 'DNLOAD', occurrence: 9 }); // the zero-length DNLOAD of an 8-block image
    const err = await dfu.download(image(2000)).catch((e) => e);
    expect(err.code).toBe('device-gone');
    expect(err.message).toMatch(/DFU_DNLOAD for the end of the image/);
    expect(dev.activeImage).toEqual(OLD);
  });

  it('DfuSe: a stalled erase names the command', async () => {
    const layout = '@Internal Flash  /0x08000000/04*016Kg';
    const dev = new DfuDeviceModel({ transferSize: 1024, dfuse: { layout } });
    const vc = new VirtualClock();
    const dfuse = new DfuSeClient(dev, { interfaceNumber: 0, functional: dev.functionalDescriptor, layout, sleep: vc.sleep });
    dev.inject({ kind: 'stall', request: 'DNLOAD', occurrence: 2 });
    const err = await dfuse.downloadElements([{ address: 0x08000000, data: image(20000) }]).catch((e) => e);
    expect(err.message).toMatch(/refused DFU_DNLOAD for ERASE page 0x08004000 \(USB stall\) and reports errSTALLEDPKT/);
    expect(dev.stateName).toBe('dfuIDLE');
  });
});
