// A DfuLink over real USB (libusb through node-usb): finds the device's DFU
// interface by its hub port, which survives the runtime→DFU re-enumeration
// (the product id often changes, the port does not), and claims it.
import { HostError } from '../errors/host-error';
import { findDfuInterfaces, NodeUsbDfuControl, parseDfuSeMemoryLayout, type DfuInterfaceInfo, type UsbAccessOptions } from '../protocols/dfu';
import type { DfuLink, DfuTarget } from './dfu-device-adapter';

/** How long a detached device may take to come back in DFU mode (DFU 1.1 allows wDetachTimeOut plus enumeration). */
const REENUMERATE_TIMEOUT_MS = 10_000;
const RESCAN_MS = 250;

/** usb-discovery writes a port as "1-2-3" (bus, ports); node-usb.ts as "1-2.3". */
export function dfuPortPath(discoveryPortPath: string): string {
  const [bus, ...ports] = discoveryPortPath.split('-');
  return `${bus}-${ports.join('.')}`;
}

/** The interface to use on a device: DFU mode before runtime, then the lowest alternate setting. */
export function pickDfuInterface(found: readonly DfuInterfaceInfo[], portPath: string, want: 'any' | 'dfu'): DfuInterfaceInfo | undefined {
  return found
    .filter((i) => i.portPath === portPath && (want === 'any' || i.mode === 'dfu'))
    .sort((a, b) => Number(b.mode === 'dfu') - Number(a.mode === 'dfu') || a.interfaceNumber - b.interfaceNumber || a.alternateSetting - b.alternateSetting)[0];
}

export function usbDfuLink(portPath: string, options: UsbAccessOptions = {}): DfuLink {
  return {
    simulated: false,
    acquire: async (want, signal) => {
      const deadline = Date.now() + (want === 'dfu' ? REENUMERATE_TIMEOUT_MS : 0);
      for (;;) {
        const scan = await findDfuInterfaces(options);
        if (!scan.available) throw new HostError('capability-missing', scan.reason);
        const info = pickDfuInterface(scan.interfaces, portPath, want);
        if (info) return openTarget(info, options);
        if (signal.aborted) throw new HostError('cancelled', 'Waiting for the DFU device was cancelled.');
        if (Date.now() >= deadline) {
          throw new HostError('device-gone', want === 'dfu' ? `The device on USB port ${portPath} did not come back in DFU mode within ${REENUMERATE_TIMEOUT_MS / 1000} s.` : `No DFU device is on USB port ${portPath}.`);
        }
        await new Promise((r) => setTimeout(r, RESCAN_MS));
      }
    },
  };
}

async function openTarget(info: DfuInterfaceInfo, options: UsbAccessOptions): Promise<DfuTarget> {
  if (!info.functional) {
    throw new HostError('protocol-error', 'The device has a DFU interface but its DFU functional descriptor is missing or malformed.', info.functionalProblem);
  }
  // DfuSe puts its memory map in the interface string; a plain DFU interface name is just a name.
  const layout = info.mode === 'dfu' && info.interfaceName?.startsWith('@') ? parseDfuSeMemoryLayout(info.interfaceName) : undefined;
  const control = await NodeUsbDfuControl.open(info, options);
  return {
    control,
    mode: info.mode,
    interfaceNumber: info.interfaceNumber,
    alternateSetting: info.alternateSetting,
    functional: info.functional,
    layout,
    vendorId: info.vendorId,
    productId: info.productId,
    close: () => control.close(),
  };
}
