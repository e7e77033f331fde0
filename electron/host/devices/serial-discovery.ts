// Serial ports from sysfs rather than serialport's list(): that spawns udevadm
// and crashes the process where udevadm is missing. sysfs also gives the USB
// parent (vendor, product, serial, port path) the device graph needs.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

export interface SerialPortFacts {
  path: string;
  name: string;
  driver?: string;
  usb?: { vendorId: string; productId: string; serial?: string; manufacturer?: string; product?: string; portPath: string; interface?: string };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Lists tty devices that have a real parent device (skips the hundreds of virtual ttys). */
export function listSerialPorts(sysRoot = '/sys', devRoot = '/dev'): SerialPortFacts[] {
  const cls = join(sysRoot, 'class', 'tty');
  if (!existsSync(cls)) return [];
  const out: SerialPortFacts[] = [];
  for (const name of readdirSync(cls)) {
    const devLink = join(cls, name, 'device');
    if (!existsSync(devLink)) continue;
    let devPath: string;
    try {
      devPath = realpathSync(devLink);
    } catch {
      continue;
    }
    const driver = (() => {
      try {
        return realpathSync(join(devLink, 'driver')).split('/').pop();
      } catch {
        return undefined;
      }
    })();
    // Legacy 8250 ports exist whether or not a UART is wired; only list the one the console might use.
    if (driver === 'serial8250' && name !== 'ttyS0') continue;
    const facts: SerialPortFacts = { path: join(devRoot, name), name, driver };
    // Walk up to the USB device (the directory with idVendor).
    let dir = devPath;
    for (let i = 0; i < 6 && dir.length > 1; i++) {
      if (existsSync(join(dir, 'idVendor'))) {
        facts.usb = {
          vendorId: read(join(dir, 'idVendor')) ?? '',
          productId: read(join(dir, 'idProduct')) ?? '',
          serial: read(join(dir, 'serial')),
          manufacturer: read(join(dir, 'manufacturer')),
          product: read(join(dir, 'product')),
          portPath: dir.split('/').pop() ?? '',
          interface: read(join(devPath, 'interface')),
        };
        break;
      }
      dir = join(dir, '..');
      try {
        dir = realpathSync(dir);
      } catch {
        break;
      }
    }
    out.push(facts);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
