// USB devices from /sys/bus/usb/devices: unlike libusb this needs no
// permission and gives the serial number and, per interface, the driver and
// the tty it created (CDC-ACM: <if>/tty/ttyACM0; FTDI and other usb-serial:
// <if>/ttyUSB0), which is what ties a board's ports to its DFU interface.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface UsbInterfaceFacts {
  number: number;
  cls: number;
  subclass: number;
  protocol: number;
  driver?: string;
  ttys: string[];
}

export interface UsbNodeFacts {
  /** The sysfs name, e.g. "1-1.2" (bus 1, port 1, then port 2 of the hub there). */
  portPath: string;
  vendorId: string;
  productId: string;
  serial?: string;
  manufacturer?: string;
  product?: string;
  interfaces: UsbInterfaceFacts[];
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function hex(path: string): number {
  return Number.parseInt(read(path) ?? 'ff', 16);
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function listUsbDevices(sysRoot = '/sys'): UsbNodeFacts[] {
  const bus = join(sysRoot, 'bus', 'usb', 'devices');
  if (!existsSync(bus)) return [];
  const out: UsbNodeFacts[] = [];
  for (const name of list(bus)) {
    // Devices are "1-1.2"; interfaces "1-1.2:1.0"; root hubs "usb1".
    if (!/^\d+-[\d.]+$/.test(name)) continue;
    const dir = join(bus, name);
    if (!existsSync(join(dir, 'idVendor'))) continue;
    const node: UsbNodeFacts = {
      portPath: name,
      vendorId: read(join(dir, 'idVendor')) ?? '',
      productId: read(join(dir, 'idProduct')) ?? '',
      serial: read(join(dir, 'serial')),
      manufacturer: read(join(dir, 'manufacturer')),
      product: read(join(dir, 'product')),
      interfaces: [],
    };
    for (const entry of list(dir)) {
      if (!entry.startsWith(`${name}:`)) continue;
      const ifDir = join(dir, entry);
      let driver: string | undefined;
      try {
        driver = basename(realpathSync(join(ifDir, 'driver')));
      } catch {
        driver = undefined;
      }
      const ttys = [...list(join(ifDir, 'tty')), ...list(ifDir).filter((n) => /^tty[A-Za-z]+\d+$/.test(n))];
      node.interfaces.push({
        number: hex(join(ifDir, 'bInterfaceNumber')),
        cls: hex(join(ifDir, 'bInterfaceClass')),
        subclass: hex(join(ifDir, 'bInterfaceSubClass')),
        protocol: hex(join(ifDir, 'bInterfaceProtocol')),
        driver,
        ttys: [...new Set(ttys)].sort(),
      });
    }
    node.interfaces.sort((a, b) => a.number - b.number);
    out.push(node);
  }
  return out.sort((a, b) => a.portPath.localeCompare(b.portPath));
}

/** One spelling for a port path: sysfs "1-1.2" and libusb's "1-1-2" both become "1-1.2". */
export function normalizePortPath(p: string): string {
  const [bus, ...ports] = p.split('-');
  return ports.length <= 1 ? p : `${bus}-${ports.join('.')}`;
}
