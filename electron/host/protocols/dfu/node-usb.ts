// DfuControl over the `usb` package (libusb), and a finder for DFU interfaces
// (class 0xFE, subclass 0x01; protocol 1 = runtime, 2 = DFU mode). Everything
// is guarded: `usb` is loaded lazily, and a machine without a USB bus (or
// without a working libusb) gets { available: false, reason }, never a throw.
import { existsSync } from 'node:fs';
import type * as UsbPackage from 'usb';
import { HostError } from '../../errors/host-error';
import { UsbTransferError, type ControlRequest, type DfuControl, type UsbTransferFailure } from './usb-control';
import { findDfuFunctionalDescriptor, type DfuFunctionalDescriptor } from './functional-descriptor';

export const DFU_INTERFACE_CLASS = 0xfe;
export const DFU_INTERFACE_SUBCLASS = 0x01;
export const DFU_PROTOCOL_RUNTIME = 0x01;
export const DFU_PROTOCOL_DFU_MODE = 0x02;

type UsbModule = typeof UsbPackage;
type UsbDevice = UsbPackage.Device;

export interface DfuInterfaceInfo {
  busNumber: number;
  deviceAddress: number;
  /** Hub port path, e.g. "1-2.3": stable across the runtime→DFU re-enumeration. */
  portPath: string;
  vendorId: number;
  productId: number;
  interfaceNumber: number;
  alternateSetting: number;
  mode: 'runtime' | 'dfu';
  /** The interface string (for DfuSe: the memory layout), when the device could be opened to read it. */
  interfaceName?: string;
  functional?: DfuFunctionalDescriptor;
  /** Why the functional descriptor is missing or unreadable. */
  functionalProblem?: string;
}

export type DfuScan = { available: true; interfaces: DfuInterfaceInfo[] } | { available: false; reason: string };

export interface UsbAccessOptions {
  /** How to load the `usb` package (tests replace it). */
  loadUsb?: () => Promise<UsbModule>;
  /** Whether the OS exposes a USB bus at all (Linux: /sys/bus/usb). */
  usbBusPresent?: () => boolean;
}

const defaultBusPresent = () => process.platform !== 'linux' || existsSync('/sys/bus/usb/devices');
const defaultLoad = async (): Promise<UsbModule> => (await import('usb')) as UsbModule;

async function loadGuarded(options: UsbAccessOptions): Promise<{ usb: UsbModule } | { reason: string }> {
  if (!(options.usbBusPresent ?? defaultBusPresent)()) return { reason: 'This machine has no USB bus (no /sys/bus/usb), so no DFU device can be attached.' };
  try {
    return { usb: await (options.loadUsb ?? defaultLoad)() };
  } catch (err) {
    return { reason: `USB access is not available: the usb library could not be loaded (${(err as Error)?.message ?? String(err)}).` };
  }
}

/** List DFU interfaces on the bus. Never throws. */
export async function findDfuInterfaces(options: UsbAccessOptions = {}): Promise<DfuScan> {
  const loaded = await loadGuarded(options);
  if ('reason' in loaded) return { available: false, reason: loaded.reason };
  let devices: UsbDevice[];
  try {
    devices = loaded.usb.getDeviceList();
  } catch (err) {
    return { available: false, reason: `USB devices cannot be listed: ${(err as Error)?.message ?? String(err)}` };
  }
  const interfaces: DfuInterfaceInfo[] = [];
  for (const dev of devices) {
    try {
      interfaces.push(...(await describeDevice(dev)));
    } catch {
      /* one odd device must not hide the others */
    }
  }
  return { available: true, interfaces };
}

async function describeDevice(dev: UsbDevice): Promise<DfuInterfaceInfo[]> {
  const config = dev.configDescriptor;
  if (!config) return [];
  const found: DfuInterfaceInfo[] = [];
  for (const alts of config.interfaces) {
    for (const alt of alts) {
      if (alt.bInterfaceClass !== DFU_INTERFACE_CLASS || alt.bInterfaceSubClass !== DFU_INTERFACE_SUBCLASS) continue;
      if (alt.bInterfaceProtocol !== DFU_PROTOCOL_RUNTIME && alt.bInterfaceProtocol !== DFU_PROTOCOL_DFU_MODE) continue;
      let functional: DfuFunctionalDescriptor | undefined;
      let functionalProblem: string | undefined;
      try {
        functional = findDfuFunctionalDescriptor(alt.extra);
        if (!functional) functionalProblem = 'The interface has no DFU functional descriptor.';
      } catch (err) {
        functionalProblem = (err as Error).message;
      }
      found.push({
        busNumber: dev.busNumber,
        deviceAddress: dev.deviceAddress,
        portPath: `${dev.busNumber}-${(dev.portNumbers ?? []).join('.')}`,
        vendorId: dev.deviceDescriptor.idVendor,
        productId: dev.deviceDescriptor.idProduct,
        interfaceNumber: alt.bInterfaceNumber,
        alternateSetting: alt.bAlternateSetting,
        mode: alt.bInterfaceProtocol === DFU_PROTOCOL_DFU_MODE ? 'dfu' : 'runtime',
        interfaceName: alt.iInterface ? await readString(dev, alt.iInterface) : undefined,
        functional,
        functionalProblem,
      });
    }
  }
  return found;
}

async function readString(dev: UsbDevice, index: number): Promise<string | undefined> {
  try {
    dev.open();
  } catch {
    return undefined; // no permission (udev rule missing) or busy: the rest is still useful
  }
  try {
    return await new Promise<string | undefined>((resolve) => dev.getStringDescriptor(index, (err, value) => resolve(err ? undefined : value)));
  } finally {
    try {
      dev.close();
    } catch {
      /* ignore */
    }
  }
}

/** DfuControl over an opened, claimed libusb device. */
export class NodeUsbDfuControl implements DfuControl {
  private constructor(
    private readonly usb: UsbModule,
    private readonly dev: UsbDevice,
    private readonly iface: UsbPackage.Interface,
  ) {}

  /** Open the device of `info`, claim its DFU interface and select the alternate setting. */
  static async open(info: DfuInterfaceInfo, options: UsbAccessOptions = {}): Promise<NodeUsbDfuControl> {
    const loaded = await loadGuarded(options);
    if ('reason' in loaded) throw new HostError('capability-missing', loaded.reason);
    const dev = loaded.usb.getDeviceList().find((d) => d.busNumber === info.busNumber && d.deviceAddress === info.deviceAddress);
    if (!dev) throw new HostError('device-gone', 'The DFU device is no longer on the bus.', `bus ${info.busNumber} address ${info.deviceAddress}`);
    try {
      dev.open();
      const iface = dev.interface(info.interfaceNumber);
      iface.claim();
      if (info.alternateSetting !== 0) await iface.setAltSettingAsync(info.alternateSetting);
      return new NodeUsbDfuControl(loaded.usb, dev, iface);
    } catch (err) {
      try {
        dev.close();
      } catch {
        /* ignore */
      }
      throw new HostError('permission-denied', 'The DFU interface could not be opened (check the udev rule for this device, or whether another program holds it).', (err as Error)?.message);
    }
  }

  controlIn(req: ControlRequest, timeoutMs: number): Promise<Uint8Array> {
    return this.transfer(req, req.length, timeoutMs).then((buf) => new Uint8Array(buf as Buffer));
  }

  async controlOut(req: ControlRequest, data: Uint8Array, timeoutMs: number): Promise<void> {
    await this.transfer(req, Buffer.from(data.buffer, data.byteOffset, data.byteLength), timeoutMs);
  }

  reset(): Promise<void> {
    return new Promise((resolve, reject) => this.dev.reset((err) => (err ? reject(this.mapError(err)) : resolve())));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.iface.release(() => resolve()));
    try {
      this.dev.close();
    } catch {
      /* already gone */
    }
  }

  private transfer(req: ControlRequest, dataOrLength: number | Buffer, timeoutMs: number): Promise<Buffer | number | undefined> {
    this.dev.timeout = timeoutMs;
    return new Promise((resolve, reject) => {
      this.dev.controlTransfer(req.requestType, req.request, req.value, req.index, dataOrLength, (err, buf) => (err ? reject(this.mapError(err)) : resolve(buf)));
    });
  }

  private mapError(err: UsbPackage.LibUSBException): UsbTransferError {
    const u = this.usb.usb;
    const failure: UsbTransferFailure =
      err.errno === u.LIBUSB_ERROR_PIPE || err.errno === u.LIBUSB_TRANSFER_STALL ? 'stall' : err.errno === u.LIBUSB_ERROR_TIMEOUT || err.errno === u.LIBUSB_TRANSFER_TIMED_OUT ? 'timeout' : err.errno === u.LIBUSB_ERROR_NO_DEVICE || err.errno === u.LIBUSB_TRANSFER_NO_DEVICE ? 'gone' : 'io';
    return new UsbTransferError(failure, `USB control transfer failed (${failure}).`, `${err.message} (errno ${err.errno})`);
  }
}
