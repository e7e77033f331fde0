// A device that speaks MCUmgr SMP on its serial port and nothing fwbench knows
// beyond that (a Zephyr board with the SMP server on its shell UART). Console
// text that shares the UART is captured; the smp.* commands, firmware.update
// and firmware.upload (safe activation) are offered.
import { consoleHistory, deviceInfo, deviceReset } from '../../contract/catalog/common';
import type { ByteStream } from '../transports/byte-stream';
import { latin1 } from '../transports/stream-reader';
import { HostError } from '../errors/host-error';
import type { ConsoleCapture } from '../console/console-capture';
import { bind, type AdapterSink, type BoundCommand, type DeviceAdapter } from './device-adapter';
import { SmpClient } from '../protocols/smp';
import { smpCommandBindings } from '../firmware/smp-command-bindings';
import { activeSlot, displayVersion } from '../firmware/update-flow';
import { SmpAdapterSeat, type SmpUpdateDevice } from '../firmware/smp-adapter-seat';
import { PollController } from '../telemetry-sources/poll-controller';
import { planSmpStatsPoll } from '../telemetry-sources/smp-stats-reader';
import { DEFAULT_POLL_INTERVAL_MS } from '../../contract/catalog/telemetry-poll';

const PROBE_TIMEOUT_MS = 1500;
const BOOT_TIMEOUT_MS = 30_000;
/** A device answers its reset request just before it resets: do not take a late echo for the new boot. */
const RESET_GRACE_MS = 300;

export class SmpDeviceAdapter implements DeviceAdapter, SmpUpdateDevice {
  readonly protocol = 'smp';
  readonly smp: SmpClient;
  private readonly seat: SmpAdapterSeat;
  /** SMP stats polled as telemetry (telemetry.poll). */
  private readonly polls: PollController;

  private constructor(
    private readonly link: ByteStream,
    private readonly capture: ConsoleCapture,
    sink: AdapterSink,
    sessionId: string,
  ) {
    this.smp = new SmpClient(link, { onConsole: (b) => capture.push(latin1(b)) });
    this.polls = new PollController({ emit: sink.emit, report: (text) => capture.note(text) });
    this.seat = new SmpAdapterSeat(this, { link, capture, sink, sessionId });
  }

  static async open(link: ByteStream, capture: ConsoleCapture, sink: AdapterSink, sessionId: string): Promise<SmpDeviceAdapter> {
    const a = new SmpDeviceAdapter(link, capture, sink, sessionId);
    await a.seat.open(() => a.waitForSmp(BOOT_TIMEOUT_MS / 3, new AbortController().signal));
    return a;
  }

  /** Learnt from the device (os info); empty when it does not say. */
  get board(): string {
    return this.seat.identity().board ?? '';
  }

  identity(): Record<string, string> {
    return this.seat.identity();
  }

  /** Polls with echo until the device's SMP server answers. */
  private async waitForSmp(timeoutMs: number, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.smp.echo('fwbench', { timeoutMs: PROBE_TIMEOUT_MS, signal });
        return;
      } catch (e) {
        const h = HostError.from(e);
        if (h.code === 'cancelled' || !this.link.isOpen) throw e;
        if (h.code !== 'timeout' && h.code !== 'device-busy') throw e;
        if (Date.now() > deadline) throw new HostError('timeout', 'The device does not answer SMP (MCUmgr) requests on this port.', h.detail);
      }
    }
  }

  async refreshIdentity(): Promise<Record<string, string>> {
    const running = activeSlot(await this.smp.imageList());
    const next: Record<string, string> = { firmware: displayVersion(running.version), image_sha256: running.hash, confirmed: String(running.confirmed) };
    try {
      next.board = (await this.smp.osInfo('n')).trim();
      next.os = await this.smp.osInfo('sr');
    } catch {
      // os info is optional in Zephyr (CONFIG_MCUMGR_GRP_OS_INFO); the image state is not.
    }
    return this.seat.publishIdentity(next);
  }

  async smpResetAndWait(signal: AbortSignal): Promise<void> {
    await this.smp.reset({ signal });
    await new Promise((r) => setTimeout(r, RESET_GRACE_MS));
    await this.waitForSmp(BOOT_TIMEOUT_MS, signal);
  }

  commands(): readonly BoundCommand[] {
    const target = this.seat.updateTarget();
    return [
      bind(deviceInfo, async () => this.refreshIdentity()),
      bind(deviceReset, async (_p, ctx) => {
        await target.resetAndWait(ctx.signal);
        return target.refreshIdentity();
      }),
      bind(consoleHistory, async (p) => ({ text: this.capture.history(p.maxBytes) })),
      ...smpCommandBindings(target),
      ...this.polls.commands((p, signal) => planSmpStatsPoll(() => this.smp, p, signal, p.intervalMs ?? DEFAULT_POLL_INTERVAL_MS)),
    ];
  }

  async close(): Promise<void> {
    this.seat.retire();
    await this.polls.close();
    this.smp.close();
    this.capture.flush();
    await this.link.close();
  }
}
