// The device graph over fake sysfs trees laid out as the kernel does it:
// /sys/devices/... directories, with /sys/class/* and /sys/bus/usb/devices/*
// as symlinks into them.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listFwctlDevices } from '../../../electron/host/devices/fwctl-discovery';
import { listSerialPorts } from '../../../electron/host/devices/serial-discovery';
import { attachDevices, buildUnits, DeviceGraph, listUsbDevices, normalizePortPath, UnitTracker } from '../../../electron/host/graph';
import type { DeviceInfo } from '../../../electron/contract/devices';

let sys: string;
beforeEach(() => {
  sys = mkdtempSync(join(tmpdir(), 'fwbench-sysfs-'));
});
afterEach(() => rmSync(sys, { recursive: true, force: true }));

function file(path: string, text: string): void {
  mkdirSync(dirname(join(sys, path)), { recursive: true });
  writeFileSync(join(sys, path), text + '\n');
}
function dir(path: string): void {
  mkdirSync(join(sys, path), { recursive: true });
}
function link(from: string, to: string): void {
  mkdirSync(dirname(join(sys, from)), { recursive: true });
  symlinkSync(join(sys, to), join(sys, from));
}

const PCI = 'devices/pci0000:00/0000:00:02.0';

function nicWithTwoNetdevs(): void {
  const fn = `${PCI}/0000:3b:00.0`;
  file(`${fn}/vendor`, '0x15b3');
  file(`${fn}/device`, '0x101d');
  dir('bus/pci/drivers/mlx5_core');
  link(`${fn}/driver`, 'bus/pci/drivers/mlx5_core');
  dir(`${fn}/net/enp59s0f0np0`);
  dir(`${fn}/net/enp59s0f0np1`);
  dir(`${fn}/infiniband/mlx5_0`);
  dir(`${fn}/fwctl/fwctl0`);
  link('class/fwctl/fwctl0', `${fn}/fwctl/fwctl0`);
  link(`${fn}/fwctl/fwctl0/device`, fn);
}

function cxlMemdev(): void {
  const fn = `${PCI}/0000:0d:00.0`;
  file(`${fn}/vendor`, '0x8086');
  file(`${fn}/device`, '0x0d93');
  dir('bus/pci/drivers/cxl_pci');
  link(`${fn}/driver`, 'bus/pci/drivers/cxl_pci');
  dir(`${fn}/mem0/fwctl/fwctl1`);
  link('class/fwctl/fwctl1', `${fn}/mem0/fwctl/fwctl1`);
  link(`${fn}/mem0/fwctl/fwctl1/device`, `${fn}/mem0`);
}

/** A dev board on root port 1, hub port 2: two CDC-ACM ports and a DFU interface (runtime or DFU mode). */
function devBoard(opts: { pid: string; serial?: string; mode: 'app' | 'dfu' }): void {
  const usbDev = `devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1.2`;
  file(`${usbDev}/idVendor`, '1209');
  file(`${usbDev}/idProduct`, opts.pid);
  if (opts.serial) file(`${usbDev}/serial`, opts.serial);
  file(`${usbDev}/product`, opts.mode === 'app' ? 'Bench Board' : 'Bench Board DFU');
  link('bus/usb/devices/1-1.2', usbDev);
  dir('bus/usb/drivers/cdc_acm');
  const iface = (n: number, cls: string, sub: string, proto: string, driver?: string) => {
    const d = `${usbDev}/1-1.2:1.${n}`;
    file(`${d}/bInterfaceNumber`, n.toString(16).padStart(2, '0'));
    file(`${d}/bInterfaceClass`, cls);
    file(`${d}/bInterfaceSubClass`, sub);
    file(`${d}/bInterfaceProtocol`, proto);
    if (driver) link(`${d}/driver`, `bus/usb/drivers/${driver}`);
    return d;
  };
  if (opts.mode === 'app') {
    for (const [n, tty] of [[0, 'ttyACM0'], [2, 'ttyACM1']] as const) {
      iface(n, '02', '02', '01', 'cdc_acm');
      const data = iface(n + 1, '0a', '00', '00', 'cdc_acm');
      dir(`${data}/tty/${tty}`);
      // /sys/class/tty/ttyACMn/device points at the data interface, as the cdc_acm driver registers it.
      link(`class/tty/${tty}`, `${data}/tty/${tty}`);
      link(`${data}/tty/${tty}/device`, data);
    }
    iface(4, 'fe', '01', '01');
  } else {
    iface(0, 'fe', '01', '02');
  }
}

function facts() {
  return { fwctl: listFwctlDevices(sys, '/dev'), serial: listSerialPorts(sys, '/dev'), usb: listUsbDevices(sys) };
}

describe('device graph from sysfs', () => {
  it('groups a NIC: its PCI function, fwctl node, both netdevs and the infiniband device form one unit', () => {
    nicWithTwoNetdevs();
    const units = buildUnits(facts());
    expect(units).toHaveLength(1);
    const u = units[0];
    expect(u.id).toBe('pci:0000:3b:00');
    expect(u.kind).toBe('pci');
    expect(u.identity).toMatchObject({ pciSlot: '0000:3b:00', pciId: '15b3:101d', driver: 'mlx5_core' });
    expect(u.members.map((m) => `${m.kind}:${m.name}`)).toEqual([
      'fwctl:fwctl0',
      'infiniband:mlx5_0',
      'netdev:enp59s0f0np0',
      'netdev:enp59s0f0np1',
      'pci-function:0000:3b:00.0',
    ]);
  });

  it('groups a CXL memdev with the PCI function above it and its fwctl node', () => {
    cxlMemdev();
    const [u] = buildUnits(facts());
    expect(u.id).toBe('pci:0000:0d:00');
    expect(u.label).toBe('CXL memory device 0000:0d:00');
    expect(u.members.map((m) => `${m.kind}:${m.name}`)).toEqual(['cxl-memdev:mem0', 'fwctl:fwctl1', 'pci-function:0000:0d:00.0']);
  });

  it('groups a dev board: two CDC-ACM ports and the DFU runtime interface under its USB serial number', () => {
    devBoard({ pid: '0001', serial: 'BB-0042', mode: 'app' });
    const units = buildUnits(facts());
    expect(units).toHaveLength(1);
    const u = units[0];
    expect(u.id).toBe('usb:sn:BB-0042');
    expect(u.identity).toMatchObject({ usbSerial: 'BB-0042', usbPort: '1-1.2', usb: '1209:0001' });
    expect(u.members.filter((m) => m.kind === 'tty').map((m) => m.name)).toEqual(['ttyACM0', 'ttyACM1']);
    expect(u.members.find((m) => m.kind === 'dfu')).toEqual({ kind: 'dfu', name: 'interface 4', detail: 'runtime' });
  });

  it('keeps the board the same unit when it re-enumerates in DFU mode with a new PID and the same serial', () => {
    devBoard({ pid: '0001', serial: 'BB-0042', mode: 'app' });
    const app = buildUnits(facts());
    rmSync(sys, { recursive: true, force: true });
    mkdirSync(sys);
    devBoard({ pid: '0002', serial: 'BB-0042', mode: 'dfu' });
    const dfu = buildUnits(facts());
    expect(dfu).toHaveLength(1);
    expect(dfu[0].id).toBe(app[0].id);
    expect(dfu[0].identity.usb).toBe('1209:0002');
    expect(dfu[0].members.find((m) => m.kind === 'dfu')?.detail).toBe('DFU mode');
    expect(dfu[0].members.some((m) => m.kind === 'tty')).toBe(false);
  });

  it('keeps the unit by port path when the boot loader reports no serial number', () => {
    const tracker = new UnitTracker();
    devBoard({ pid: '0001', serial: 'BB-0042', mode: 'app' });
    const app = tracker.resolve(buildUnits(facts()));
    rmSync(sys, { recursive: true, force: true });
    mkdirSync(sys);
    devBoard({ pid: 'df11', mode: 'dfu' });
    const raw = buildUnits(facts());
    expect(raw[0].id).toBe('usb:port:1-1.2');
    expect(tracker.resolve(raw)[0].id).toBe(app[0].id);
  });

  it('places registry devices in their units: the ports by tty, the DFU device by its libusb port path', () => {
    devBoard({ pid: '0001', serial: 'BB-0042', mode: 'app' });
    nicWithTwoNetdevs();
    const devices: DeviceInfo[] = [
      { id: 'serial:/dev/ttyACM0', kind: 'serial', label: 'ACM0', path: '/dev/ttyACM0', simulated: false, protocol: 'console', present: true, details: {} },
      { id: 'serial:/dev/ttyACM1', kind: 'serial', label: 'ACM1', path: '/dev/ttyACM1', simulated: false, protocol: 'console', present: true, details: {} },
      { id: 'usb:1-1-2:1209:0001', kind: 'usb', label: 'DFU', simulated: false, protocol: 'dfu', present: true, details: { usbPort: '1-1-2' } },
      { id: 'fwctl:0000:3b:00.0', kind: 'fwctl', label: 'mlx5', path: '/dev/fwctl/fwctl0', simulated: false, protocol: 'fwctl', present: true, details: { pci: '0000:3b:00.0' } },
      { id: 'demo:DEMO-1001', kind: 'serial', label: 'Demo', path: '/tmp/x/ttyDEMO0', simulated: true, protocol: 'demo-board', present: true, details: {} },
    ];
    const { units, unitOf } = attachDevices(buildUnits(facts()), devices);
    expect(units).toHaveLength(3);
    const board = units.find((u) => u.id === 'usb:sn:BB-0042')!;
    expect(board.deviceIds.sort()).toEqual(['serial:/dev/ttyACM0', 'serial:/dev/ttyACM1', 'usb:1-1-2:1209:0001']);
    expect(unitOf.get('fwctl:0000:3b:00.0')).toBe('pci:0000:3b:00');
    expect(units.find((u) => u.id === 'device:demo:DEMO-1001')).toMatchObject({ kind: 'standalone', simulated: true, deviceIds: ['demo:DEMO-1001'] });
  });

  it('answers siblings and annotates the list through DeviceGraph', () => {
    devBoard({ pid: '0001', serial: 'BB-0042', mode: 'app' });
    const g = DeviceGraph.forSysfs(true, sys, '/dev');
    const devices: DeviceInfo[] = ['ttyACM0', 'ttyACM1'].map((t) => ({ id: `serial:/dev/${t}`, kind: 'serial', label: t, path: `/dev/${t}`, simulated: false, protocol: 'console', present: true, details: {} }));
    expect(g.siblings('serial:/dev/ttyACM0', devices)).toEqual(['serial:/dev/ttyACM1']);
    expect(g.annotate(devices).map((d) => d.unit)).toEqual(['usb:sn:BB-0042', 'usb:sn:BB-0042']);
  });

  it('reads nothing and fails nothing where sysfs has no such classes', () => {
    expect(buildUnits(facts())).toEqual([]);
    expect(normalizePortPath('1-1-2')).toBe('1-1.2');
    expect(normalizePortPath('1-1.2')).toBe('1-1.2');
    expect(normalizePortPath('3-4')).toBe('3-4');
  });
});
