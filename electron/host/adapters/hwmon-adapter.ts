// The workstation's own sensors (Linux hwmon: CPU, board, NVMe, GPU and PCI
// cards, including the parents of fwctl devices) as one read-only device with
// a Telemetry panel. Nothing here writes; sensors are re-listed each time the
// stream starts, since chips come and go with drivers and hotplug.
import { deviceInfo, telemetryStream } from '../../contract/catalog/common';
import { telemetryPollStatus } from '../../contract/catalog/telemetry-poll';
import { HostError } from '../errors/host-error';
import { discoverHwmon, type HwmonDevice } from '../telemetry';
import { PollController } from '../telemetry-sources/poll-controller';
import { hwmonReader, nameSensors } from '../telemetry-sources/hwmon-reader';
import { bind, type AdapterSink, type BoundCommand, type DeviceAdapter } from './device-adapter';

/** What `sensors`-style tools use; hwmon drivers cache readings for about this long anyway. */
export const HWMON_INTERVAL_MS = 1000;

export class HwmonAdapter implements DeviceAdapter {
  readonly protocol = 'hwmon';
  private readonly polls: PollController;

  private constructor(
    private readonly sysRoot: string,
    private readonly sessionId: string,
    private chips: HwmonDevice[],
    private readonly intervalMs: number,
    sink: AdapterSink,
  ) {
    this.polls = new PollController({ emit: sink.emit });
  }

  static async open(sysRoot: string, sink: AdapterSink, sessionId: string, intervalMs = HWMON_INTERVAL_MS): Promise<HwmonAdapter> {
    const chips = await withSensors(sysRoot);
    return new HwmonAdapter(sysRoot, sessionId, chips, intervalMs, sink);
  }

  identity(): Record<string, string> {
    return { chips: this.chips.map((c) => c.name).join(' '), sensors: String(this.chips.reduce((n, c) => n + c.sensors.length, 0)) };
  }

  commands(): readonly BoundCommand[] {
    return [
      bind(deviceInfo, async () => {
        const st = this.polls.status();
        return {
          ...this.identity(),
          channels: nameSensors(this.chips).map((s) => `${s.channel} [${s.sensor.unit}]`).join(', '),
          streaming: String(this.polls.running),
          reads: String(st.reads),
          failedReads: String(st.failures),
          sensorProblems: String(st.partialProblems),
          lastError: st.lastError ?? '',
        };
      }),
      bind(telemetryStream, async (p, ctx) => {
        if (!p.on) return { on: false, ...(await this.polls.stop()) };
        this.chips = await withSensors(this.sysRoot);
        const status = await this.polls.start({ source: 'hwmon', reader: hwmonReader(this.chips) }, ctx.sessionId || this.sessionId, this.intervalMs);
        return { on: true, ...status, channels: nameSensors(this.chips).map((s) => ({ name: s.channel, unit: s.sensor.unit })) };
      }),
      bind(telemetryPollStatus, async () => this.polls.status()),
    ];
  }

  async close(): Promise<void> {
    await this.polls.close();
  }
}

async function withSensors(sysRoot: string): Promise<HwmonDevice[]> {
  const chips = (await discoverHwmon(sysRoot)).filter((c) => c.sensors.length > 0);
  if (chips.length === 0) throw new HostError('device-gone', 'This machine shows no hwmon sensors any more.', `${sysRoot}/class/hwmon`);
  return chips;
}
