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
import { AdapterSuccession } from '../firmware/link-succession';
import { activeSlot, displayVersion, type SmpUpdateTarget } from '../firmware/update-flow';
import { PollController } from '../telemetry-sources/poll-controller';
import { planSmpStatsPoll } from '../telemetry-sources/smp-stats-reader';
import { DEFAULT_POLL_INTERVAL_MS } from '../../contract/catalog/telemetry-poll';

const PROBE_TIMEOUT_MS = 1500;
const BOOT_TIMEOUT_MS = 30_000;
/** A device answers its reset request just before it resets: do not take a late echo for the new boot. */
const RESET_GRACE_MS = 300;
const REACQUIRE_TIMEOUT_MS = 30_000;

const succession = new AdapterSuccession<SmpDeviceAdapter>();

export class SmpDeviceAdapter implements DeviceAdapter {
  readonly protocol = 'smp';
  private readonly smp: SmpClient;
  private ident: Record<string, string> = {};
  private closing = false;
  private readonly offClose: () => void;
  /** SMP stats polled as telemetry (telemetry.poll). */
  private readonly polls: PollController;

  private constructor(
    private readonly link: ByteStream,
    private readonly capture: ConsoleCapture,
    private readonly sink: AdapterSink,
    private readonly sessionId: string,
  ) {
    this.smp = new SmpClient(link, { onConsole: (b) => capture.push(latin1(b)) });
    this.polls = new PollController({ emit: sink.emit, report: (text) => capture.note(text) });
    this.offClose = link.onClose((reason) => {
      if (this.closing) return;
      capture.note(`link lost: ${reason?.message ?? 'closed'}`);
      sink.lost(reason ?? new Error('link closed'));
    });
  }

  static async open(link: ByteStream, capture: ConsoleCapture, sink: AdapterSink, sessionId: string): Promise<SmpDeviceAdapter> {
    const a = new SmpDeviceAdapter(link, capture, sink, sessionId);
    try {
      await a.waitForSmp(BOOT_TIMEOUT_MS / 3, new AbortController().signal);
      await a.refreshIdentity();
    } catch (e) {
      await a.close();
      throw e;
    }
    succession.publish(sessionId, a);
    return a;
  }

  get linkOpen(): boolean {
    return this.link.isOpen && !this.closing;
  }

  identity(): Record<string, string> {
    return { ...this.ident };
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

  private async refreshIdentity(): Promise<Record<string, string>> {
    const running = activeSlot(await this.smp.imageList());
    const next: Record<string, string> = { firmware: displayVersion(running.version), image_sha256: running.hash, confirmed: String(running.confirmed) };
    try {
      next.board = (await this.smp.osInfo('n')).trim();
      next.os = await this.smp.osInfo('sr');
    } catch {
      // os info is optional in Zephyr (CONFIG_MCUMGR_GRP_OS_INFO); the image state is not.
    }
    const changed = JSON.stringify(next) !== JSON.stringify(this.ident);
    this.ident = next;
    if (changed) this.sink.identityChanged(next);
    return next;
  }

  private async resetAndWait(signal: AbortSignal): Promise<void> {
    await this.smp.reset({ signal });
    await new Promise((r) => setTimeout(r, RESET_GRACE_MS));
    await this.waitForSmp(BOOT_TIMEOUT_MS, signal);
  }

  private updateTarget(): SmpUpdateTarget {
    let current: SmpDeviceAdapter = this;
    const reacquire = async (signal: AbortSignal) => {
      current = await succession.next(this.sessionId, current, signal, REACQUIRE_TIMEOUT_MS);
    };
    return {
      get board() {
        return current.ident.board ?? '';
      },
      client: () => current.smp,
      reacquire,
      resetAndWait: async (signal) => {
        try {
          await current.resetAndWait(signal);
        } catch (e) {
          if (current.linkOpen || signal.aborted) throw e;
          await reacquire(signal);
        }
      },
      refreshIdentity: () => current.refreshIdentity(),
    };
  }

  commands(): readonly BoundCommand[] {
    const target = this.updateTarget();
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
    this.closing = true;
    succession.retire(this.sessionId, this);
    this.offClose();
    await this.polls.close();
    this.smp.close();
    this.capture.flush();
    await this.link.close();
  }
}
