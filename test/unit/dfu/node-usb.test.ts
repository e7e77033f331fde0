import { existsSync } from 'node:fs';
import { NodeUsbDfuControl, findDfuInterfaces } from '../../../electron/host/protocols/dfu';

describe('guarded USB access', () => {
  it('on this machine (no USB bus) reports unavailable with a reason instead of throwing', async () => {
    const scan = await findDfuInterfaces();
    if (existsSync('/sys/bus/usb/devices')) {
      expect(scan.available).toBe(true); // a machine with USB: the guard must still not throw
    } else {
      expect(scan).toEqual({ available: false, reason: expect.stringMatching(/no USB bus/) });
    }
  });

  it('a usb library that fails to load becomes { available: false, reason }', async () => {
    const scan = await findDfuInterfaces({ usbBusPresent: () => true, loadUsb: () => Promise.reject(new Error('libusb-1.0.so.0: cannot open shared object file')) });
    expect(scan).toEqual({ available: false, reason: expect.stringMatching(/could not be loaded \(libusb-1\.0\.so\.0: cannot open/) });
  });

  it('a bus that cannot be listed becomes { available: false, reason }', async () => {
    const fake = { getDeviceList: () => { throw new Error('/sys/bus/usb/devices/ not found'); } };
    const scan = await findDfuInterfaces({ usbBusPresent: () => true, loadUsb: async () => fake as never });
    expect(scan).toEqual({ available: false, reason: expect.stringMatching(/cannot be listed: \/sys\/bus\/usb\/devices\/ not found/) });
  });

  it('picks DFU interfaces (0xFE/0x01, protocol 1 runtime / 2 DFU) and parses their functional descriptor', async () => {
    const alt = (n: number, cls: number, sub: number, proto: number, extra: number[]) => ({
      bInterfaceNumber: n, bAlternateSetting: 0, bInterfaceClass: cls, bInterfaceSubClass: sub, bInterfaceProtocol: proto, iInterface: 0, extra: Buffer.from(extra),
    });
    const dev = {
      busNumber: 1, deviceAddress: 7, portNumbers: [2, 3],
      deviceDescriptor: { idVendor: 0x0483, idProduct: 0xdf11 },
      configDescriptor: { interfaces: [[alt(0, 0xfe, 0x01, 0x02, [0x09, 0x21, 0x0b, 0xff, 0x00, 0x00, 0x08, 0x1a, 0x01])], [alt(1, 0x02, 0x02, 0x01, [])], [alt(2, 0xfe, 0x01, 0x01, [])]] },
    };
    const scan = await findDfuInterfaces({ usbBusPresent: () => true, loadUsb: async () => ({ getDeviceList: () => [dev] }) as never });
    expect(scan.available).toBe(true);
    if (!scan.available) return;
    expect(scan.interfaces.map((i) => [i.interfaceNumber, i.mode, i.portPath, i.functional?.transferSize, i.functionalProblem])).toEqual([
      [0, 'dfu', '1-2.3', 2048, undefined],
      [2, 'runtime', '1-2.3', undefined, 'The interface has no DFU functional descriptor.'],
    ]);
  });

  it('opening a device without USB access is a clear capability error', async () => {
    const info = { busNumber: 1, deviceAddress: 2, portPath: '1-1', vendorId: 1, productId: 2, interfaceNumber: 0, alternateSetting: 0, mode: 'dfu' as const };
    await expect(NodeUsbDfuControl.open(info, { usbBusPresent: () => false })).rejects.toMatchObject({ code: 'capability-missing', message: expect.stringMatching(/no USB bus/) });
  });
});
