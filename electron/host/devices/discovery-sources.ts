// Discovery sources: what sysfs and the USB bus show, turned into registry
// entries with the factory that opens each kind of device.
import type { HostEvent } from '../../contract/events';
import type { DeviceEntry, DiscoverySource } from './registry';
import { listSerialPorts, type SerialPortFacts } from './serial-discovery';
import { listFwctlDevices } from './fwctl-discovery';
import { scanUsb } from './usb-discovery';
import { SerialPortStream } from '../transports/serial-port';
import { SerialConsoleAdapter } from '../adapters/serial-console-adapter';
import { UBootDeviceAdapter } from '../adapters/uboot-device-adapter';
import { SmpDeviceAdapter } from '../adapters/smp-device-adapter';
import { SerialTelemetryAdapter, TELEMETRY_PROTOCOLS, type TelemetryProtocol } from '../adapters/serial-telemetry-adapter';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ConsoleCapture } from '../console/console-capture';
import { openFwctlAdapter } from '../adapters/fwctl-adapter';
import { lineSettingsFor, withSerialControls } from '../serial';
import { DfuDeviceAdapter } from '../adapters/dfu-device-adapter';
import { dfuPortPath, usbDfuLink } from '../adapters/dfu-usb-link';

type Emit = (e: HostEvent) => void;

const isTelemetryProtocol = (p: string): p is TelemetryProtocol => (TELEMETRY_PROTOCOLS as readonly string[]).includes(p);

function serialEntry(facts: SerialPortFacts | { path: string; name: string }, protocol: string, emit: Emit, stateDir?: string): DeviceEntry {
  const usb = 'usb' in facts ? facts.usb : undefined;
  const details: Record<string, string> = { path: facts.path };
  if ('driver' in facts && facts.driver) details.driver = facts.driver;
  if (usb) {
    details.usb = `${usb.vendorId}:${usb.productId}`;
    if (usb.serial) details.usbSerial = usb.serial;
    if (usb.product) details.product = usb.product;
    details.usbPort = usb.portPath;
  }
  const captures = new Map<string, ConsoleCapture>();
  return {
    device: {
      id: `serial:${facts.path}`,
      kind: 'serial',
      label: usb?.product ? `${usb.product} (${facts.name})` : facts.name,
      path: facts.path,
      simulated: false,
      protocol,
      present: true,
      details,
    },
    reconnectable: true,
    factory: {
      open: async (sink, sessionId) => {
        let capture = captures.get(sessionId);
        if (!capture) captures.set(sessionId, (capture = new ConsoleCapture(sessionId, emit)));
        // The settings given when the port was added or last changed in a session: a reconnect keeps them.
        const line = lineSettingsFor(facts.path);
        const link = await SerialPortStream.open(facts.path, line);
        if (protocol === 'uboot') {
          const backups = join(stateDir ?? tmpdir(), 'backups', facts.path.replace(/[^\w.-]+/g, '_'));
          return withSerialControls(await UBootDeviceAdapter.open(link, capture, sink, backups), link, capture);
        }
        if (protocol === 'smp') return SmpDeviceAdapter.open(link, capture, sink, sessionId);
        if (isTelemetryProtocol(protocol)) return SerialTelemetryAdapter.open(link, sink, sessionId, protocol, details);
        return withSerialControls(new SerialConsoleAdapter(link, capture, sink, details), link, capture);
      },
    },
  };
}

export function explicitSerialEntry(path: string, protocol: string, emit: Emit, stateDir: string): DeviceEntry {
  return serialEntry({ path, name: path.split('/').pop() ?? path }, protocol, emit, stateDir);
}

export function serialDiscovery(emit: Emit): DiscoverySource {
  return { name: 'serial', scan: async () => listSerialPorts().map((f) => serialEntry(f, 'console', emit)) };
}

export function fwctlDiscovery(emit: Emit): DiscoverySource {
  return {
    name: 'fwctl',
    scan: async () =>
      listFwctlDevices().map((f) => {
        const details: Record<string, string> = { node: f.devPath };
        if (f.pciAddress) details.pci = f.pciAddress;
        if (f.vendorId) details.pciId = `${f.vendorId}:${f.deviceId}`;
        if (f.driver) details.driver = f.driver;
        if (f.netdevs.length) details.netdevs = f.netdevs.join(' ');
        if (f.ibdevs.length) details.infiniband = f.ibdevs.join(' ');
        if (f.cxlMemdevs.length) details.cxlMemdevs = f.cxlMemdevs.join(' ');
        const entry: DeviceEntry = {
          device: {
            id: `fwctl:${f.pciAddress ?? f.name}`,
            kind: 'fwctl',
            label: `${f.driver ?? 'fwctl'} ${f.pciAddress ?? f.name}`,
            path: f.devPath,
            simulated: false,
            protocol: 'fwctl',
            present: true,
            details,
          },
          reconnectable: false,
          factory: {
            // A CXL memdev with the firmware-upload class takes images through /sys/class/firmware/memN.
            open: (sink, sessionId) =>
              openFwctlAdapter(f.devPath, sink, sessionId, emit, { firmwareSysfsDir: f.cxlMemdevs.map((m) => join('/sys/class/firmware', m)).find((d) => existsSync(join(d, 'loading'))) }),
          },
        };
        return entry;
      }),
  };
}

export function usbDiscovery(): DiscoverySource {
  return {
    name: 'usb',
    scan: async () => {
      const scan = scanUsb();
      if (!scan.available) throw new Error(scan.reason);
      return scan.devices
        .filter((d) => d.dfuInterfaces.length > 0)
        .map((d) => ({
          device: {
            id: `usb:${d.portPath}:${d.vendorId}:${d.productId}`,
            kind: 'usb' as const,
            label: `USB DFU ${d.vendorId}:${d.productId} (port ${d.portPath})`,
            simulated: false,
            protocol: 'dfu',
            present: true,
            details: { usb: `${d.vendorId}:${d.productId}`, usbPort: d.portPath, dfu: d.dfuInterfaces.map((i) => `if${i.interface}/alt${i.alternate}/proto${i.protocol}`).join(' ') },
          },
          reconnectable: true,
          factory: {
            open: (sink) => DfuDeviceAdapter.open(usbDfuLink(dfuPortPath(d.portPath)), sink),
          },
        }));
    },
  };
}
