// USB devices through the `usb` library, guarded: a machine without a USB bus
// (or without the library's binding) reports "no USB" and everything else runs.
import { createRequire } from 'node:module';

export interface UsbDeviceFacts {
  busNumber: number;
  portPath: string;
  vendorId: string;
  productId: string;
  deviceClass: number;
  /** Interfaces with class 0xFE subclass 0x01: DFU (protocol 1 runtime, 2 DFU mode). */
  dfuInterfaces: { interface: number; alternate: number; protocol: number }[];
}

export type UsbScan = { available: true; devices: UsbDeviceFacts[] } | { available: false; reason: string };

export function scanUsb(): UsbScan {
  let usb: typeof import('usb');
  try {
    usb = createRequire(import.meta.url)('usb') as typeof import('usb');
  } catch (e) {
    return { available: false, reason: `the usb library could not load: ${(e as Error).message}` };
  }
  let list: import('usb').usb.Device[];
  try {
    list = usb.getDeviceList();
  } catch (e) {
    return { available: false, reason: `no USB: ${(e as Error).message}` };
  }
  const devices: UsbDeviceFacts[] = [];
  for (const d of list) {
    const desc = d.deviceDescriptor;
    const dfuInterfaces: UsbDeviceFacts['dfuInterfaces'] = [];
    try {
      for (const iface of d.allConfigDescriptors?.flatMap((c) => c.interfaces.flat()) ?? []) {
        if (iface.bInterfaceClass === 0xfe && iface.bInterfaceSubClass === 0x01)
          dfuInterfaces.push({ interface: iface.bInterfaceNumber, alternate: iface.bAlternateSetting, protocol: iface.bInterfaceProtocol });
      }
    } catch {
      // Descriptors unreadable without permission; the device is still listed.
    }
    devices.push({
      busNumber: d.busNumber,
      portPath: [d.busNumber, ...(d.portNumbers ?? [])].join('-'),
      vendorId: desc.idVendor.toString(16).padStart(4, '0'),
      productId: desc.idProduct.toString(16).padStart(4, '0'),
      deviceClass: desc.bDeviceClass,
      dfuInterfaces,
    });
  }
  return { available: true, devices };
}
