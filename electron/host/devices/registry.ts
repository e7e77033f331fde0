// Every device the host knows, from every discovery source, with the factory
// that opens its adapter. Sources are polled; differences become hotplug events.
import type { DeviceInfo } from '../../contract/devices';
import type { HostEvent } from '../../contract/events';
import { HostError } from '../errors/host-error';
import type { AdapterFactory } from '../adapters/device-adapter';

export interface DeviceEntry {
  device: DeviceInfo;
  factory: AdapterFactory;
  /** A serial board that drops off the bus may come back on the same path; a fwctl fd cannot. */
  reconnectable: boolean;
}

export interface DiscoverySource {
  name: string;
  /** The devices present now. Must not throw for "no such bus"; return [] and a note instead. */
  scan(): Promise<DeviceEntry[]>;
}

export class DeviceRegistry {
  private entries = new Map<string, DeviceEntry>();
  private sources: DiscoverySource[] = [];
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> | null = null;
  readonly notes = new Map<string, string>();

  constructor(private readonly emit: (e: HostEvent) => void, private readonly onRemoved: (deviceId: string) => void) {}

  addSource(source: DiscoverySource): void {
    this.sources.push(source);
  }

  list(): DeviceInfo[] {
    return [...this.entries.values()].map((e) => structuredClone(e.device)).sort((a, b) => Number(b.simulated) - Number(a.simulated) || a.label.localeCompare(b.label));
  }

  get(deviceId: string): DeviceEntry {
    const e = this.entries.get(deviceId);
    if (!e) throw new HostError('unknown-device', 'fwbench does not know that device. It may have been unplugged.', deviceId);
    return e;
  }

  /** Adds a device outside discovery (an explicit pty path, the demo board). */
  put(entry: DeviceEntry): void {
    const had = this.entries.has(entry.device.id);
    this.entries.set(entry.device.id, entry);
    if (!had) this.emit({ type: 'device-added', device: structuredClone(entry.device) });
  }

  async scan(): Promise<void> {
    if (this.scanning) return this.scanning;
    this.scanning = this.doScan().finally(() => (this.scanning = null));
    return this.scanning;
  }

  private async doScan(): Promise<void> {
    const seen = new Map<string, { entry: DeviceEntry; source: string }>();
    for (const source of this.sources) {
      try {
        for (const entry of await source.scan()) seen.set(entry.device.id, { entry, source: source.name });
        this.notes.delete(source.name);
      } catch (e) {
        // One broken source (no USB bus, no sysfs) must not hide the others.
        this.notes.set(source.name, (e as Error).message);
        for (const [id, existing] of this.entries) if (existing.device.details.source === source.name) seen.set(id, { entry: existing, source: source.name });
      }
    }
    for (const [id, { entry, source }] of seen) {
      entry.device.details = { ...entry.device.details, source };
      if (!this.entries.has(id)) {
        this.entries.set(id, entry);
        this.emit({ type: 'device-added', device: structuredClone(entry.device) });
      }
    }
    for (const [id, entry] of this.entries) {
      const fromSource = entry.device.details.source !== undefined;
      if (fromSource && !seen.has(id)) {
        this.entries.delete(id);
        this.emit({ type: 'device-removed', deviceId: id });
        this.onRemoved(id);
      }
    }
  }

  startPolling(intervalMs = 2000): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.scan(), intervalMs);
    this.timer.unref();
  }

  stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
