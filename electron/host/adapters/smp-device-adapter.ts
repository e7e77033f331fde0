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
import { SmpClient, SmpDeviceError, type SmpClientOptions } from '../protocols/smp';
import { describeSmpIdentity } from '../firmware/smp-identity';
import { smpCommandBindings } from '../firmware/smp-command-bindings';
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
    options: SmpClientOptions,
  ) {
    this.smp = new SmpClient(link, { onConsole: (b) => capture.push(latin1(b)), onNote: (t) => capture.note(`smp: ${t}`), ...options });
    this.polls = new PollController({ emit: sink.emit, report: (text) => capture.note(text) });
    this.seat = new SmpAdapterSeat(this, { link, capture, sink, sessionId });
  }

  /** Opens whatever SMP server answers: its groups, buffer and identity are learnt, none is required. */
  static async open(link: ByteStream, capture: ConsoleCapture, sink: AdapterSink, sessionId: string, options: SmpClientOptions = {}): Promise<SmpDeviceAdapter> {
    const a = new SmpDeviceAdapter(link, capture, sink, sessionId, options);
    await a.seat.open(async () => {
      await a.waitForSmp(BOOT_TIMEOUT_MS / 3, new AbortController().signal);
      const d = await a.smp.discover();
      capture.note(
        `smp: buf_size ${d.params.bufSize}${d.params.reported ? '' : ' (not reported; assumed)'}, buf_count ${d.params.bufCount}; requests up to ${d.maxPacket} bytes (${d.maxFrames} frames), ${d.window} in flight; ` +
          (d.enumerated ? `groups listed by the device: ${d.enumerated.join(', ')}` : 'no enum group: groups are probed on first use'),
      );
    });
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
        // Any SMP answer, a refusal included (a build without echo), shows the server is up.
        if (e instanceof SmpDeviceError) return;
        const h = HostError.from(e);
        if (h.code === 'cancelled' || !this.link.isOpen) throw e;
        if (h.code !== 'timeout' && h.code !== 'device-busy') throw e;
        if (Date.now() > deadline) throw new HostError('timeout', 'The device does not answer SMP (MCUmgr) requests on this port.', h.detail);
      }
    }
  }

  /** From what the device has: os info, bootloader info, image state (each optional). */
  async refreshIdentity(): Promise<Record<string, string>> {
    return this.seat.publishIdentity(await describeSmpIdentity(this.smp));
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
