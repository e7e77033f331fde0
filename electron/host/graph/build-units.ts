// The device graph, pure: discovery facts in, physical units out. A PCI card
// (all functions of one slot) holds its fwctl nodes, netdevs, infiniband
// devices and CXL memdevs; a USB board holds its serial ports and DFU
// interface, keyed by its serial number so it stays the same unit when it
// re-enumerates in boot loader mode with another VID:PID.
import { basename } from 'node:path';
import type { DeviceUnit } from '../../contract/channels';
import type { FwctlDeviceFacts } from '../devices/fwctl-discovery';
import type { SerialPortFacts } from '../devices/serial-discovery';
import { normalizePortPath, type UsbNodeFacts } from './usb-sysfs';

export interface GraphFacts {
  fwctl: FwctlDeviceFacts[];
  serial: SerialPortFacts[];
  usb: UsbNodeFacts[];
}

const DFU_PROTOCOL: Record<number, string> = { 1: 'runtime', 2: 'DFU mode' };

function pciSlot(address: string): string {
  return address.replace(/\.[0-7]$/, '');
}

function addMember(u: DeviceUnit, kind: string, name: string, detail?: string): void {
  if (u.members.some((m) => m.kind === kind && m.name === name)) return;
  u.members.push(detail === undefined ? { kind, name } : { kind, name, detail });
}

function unit(id: string, label: string, kind: DeviceUnit['kind']): DeviceUnit {
  return { id, label, kind, simulated: false, deviceIds: [], members: [], identity: {} };
}

export function usbUnitId(serial: string | undefined, portPath: string): string {
  return serial ? `usb:sn:${serial}` : `usb:port:${normalizePortPath(portPath)}`;
}

export function buildUnits(facts: GraphFacts): DeviceUnit[] {
  const units = new Map<string, DeviceUnit>();
  const get = (id: string, make: () => DeviceUnit) => {
    let u = units.get(id);
    if (!u) units.set(id, (u = make()));
    return u;
  };

  for (const f of facts.fwctl) {
    if (!f.pciAddress) {
      const u = get(`fwctl:${f.name}`, () => unit(`fwctl:${f.name}`, `fwctl device ${f.name}`, 'standalone'));
      addMember(u, 'fwctl', f.name, f.devPath);
      continue;
    }
    const slot = pciSlot(f.pciAddress);
    const what = f.cxlMemdevs.length ? 'CXL memory device' : `${f.driver ?? 'PCI'} device`;
    const u = get(`pci:${slot}`, () => unit(`pci:${slot}`, `${what} ${slot}`, 'pci'));
    u.identity.pciSlot = slot;
    if (f.vendorId) u.identity.pciId = `${f.vendorId}:${f.deviceId}`;
    if (f.driver) u.identity.driver = f.driver;
    addMember(u, 'pci-function', f.pciAddress, [f.driver, f.vendorId && `${f.vendorId}:${f.deviceId}`].filter(Boolean).join(' ') || undefined);
    addMember(u, 'fwctl', f.name, f.devPath);
    for (const n of f.netdevs) addMember(u, 'netdev', n);
    for (const n of f.ibdevs) addMember(u, 'infiniband', n);
    for (const n of f.cxlMemdevs) addMember(u, 'cxl-memdev', n);
  }

  const byPort = new Map<string, DeviceUnit>();
  for (const d of facts.usb) {
    const id = usbUnitId(d.serial, d.portPath);
    const u = get(id, () => unit(id, d.product ? `${d.product}${d.serial ? ` (${d.serial})` : ''}` : `USB device ${d.vendorId}:${d.productId}`, 'usb'));
    byPort.set(normalizePortPath(d.portPath), u);
    u.identity.usbPort = normalizePortPath(d.portPath);
    u.identity.usb = `${d.vendorId}:${d.productId}`;
    if (d.serial) u.identity.usbSerial = d.serial;
    addMember(u, 'usb-device', `${d.vendorId}:${d.productId}`, [d.manufacturer, d.product].filter(Boolean).join(' ') || undefined);
    for (const i of d.interfaces) {
      for (const t of i.ttys) addMember(u, 'tty', t, `${i.driver ?? 'no driver'}, interface ${i.number}`);
      if (i.cls === 0xfe && i.subclass === 0x01) addMember(u, 'dfu', `interface ${i.number}`, DFU_PROTOCOL[i.protocol] ?? `protocol ${i.protocol}`);
    }
  }

  for (const s of facts.serial) {
    const owner = s.usb ? (byPort.get(normalizePortPath(s.usb.portPath)) ?? units.get(usbUnitId(s.usb.serial, s.usb.portPath))) : undefined;
    if (owner) {
      addMember(owner, 'tty', s.name, s.driver);
      continue;
    }
    if (s.usb) {
      // A USB serial port whose device the USB scan did not show: a unit from what sysfs told the serial scan.
      const id = usbUnitId(s.usb.serial, s.usb.portPath);
      const u = get(id, () => unit(id, s.usb!.product ? `${s.usb!.product}${s.usb!.serial ? ` (${s.usb!.serial})` : ''}` : `USB device ${s.usb!.vendorId}:${s.usb!.productId}`, 'usb'));
      u.identity.usbPort = normalizePortPath(s.usb.portPath);
      u.identity.usb = `${s.usb.vendorId}:${s.usb.productId}`;
      if (s.usb.serial) u.identity.usbSerial = s.usb.serial;
      byPort.set(u.identity.usbPort, u);
      addMember(u, 'tty', s.name, s.driver);
      continue;
    }
    const id = `tty:${s.name}`;
    addMember(get(id, () => unit(id, `Serial port ${s.name}`, 'standalone')), 'tty', s.name, s.driver);
  }
  for (const u of units.values()) u.members.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name, undefined, { numeric: true }));
  return [...units.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The tty name of a /dev path ("/dev/ttyACM0" → "ttyACM0"). */
export function ttyName(path: string): string {
  return basename(path);
}
