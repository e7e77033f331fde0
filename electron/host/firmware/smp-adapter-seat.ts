// The place an SMP-speaking adapter holds in its session: the identity it last
// read, the report of a lost link, its publication to the jobs that wait for a
// successor after a link drop, and the SmpUpdateTarget that follows those
// successors. The demo board and the plain SMP device differ only in how they
// reach the SMP server and wait for a boot; the re-acquire logic lives here once.
import type { ByteStream } from '../transports/byte-stream';
import type { AdapterSink } from '../adapters/device-adapter';
import type { ConsoleCapture } from '../console/console-capture';
import type { SmpClient } from '../protocols/smp';
import { AdapterSuccession } from './link-succession';
import type { SmpUpdateTarget } from './update-flow';

/** How long a job waits for the device to come back after its link dropped. */
const REACQUIRE_TIMEOUT_MS = 30_000;

// Session ids are unique and a session always reopens with the same adapter
// type, so one succession serves every SMP adapter.
const succession = new AdapterSuccession<SmpAdapterSeat>();

/** What an update needs of one adapter; the adapter that replaces it after a link drop offers the same. */
export interface SmpUpdateDevice {
  /** The SMP client on this adapter's link. */
  readonly smp: SmpClient;
  /** Board name an image's board TLV must match (read on each use: it may be learnt from the device). */
  readonly board: string;
  /** SMP reset, then waits until the application answers on this same link. */
  smpResetAndWait(signal: AbortSignal): Promise<void>;
  /** Re-reads the identity and publishes it through the seat. */
  refreshIdentity(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export interface SeatOptions {
  link: ByteStream;
  capture: Pick<ConsoleCapture, 'note'>;
  sink: AdapterSink;
  sessionId: string;
  /** Runs first on every link close, deliberate or not (the demo board ends its console tap). */
  onLinkClose?(reason?: Error): void;
}

export class SmpAdapterSeat {
  private ident: Record<string, string> = {};
  private closing = false;
  private readonly link: ByteStream;
  private readonly sink: AdapterSink;
  private readonly sessionId: string;
  private readonly offClose: () => void;

  constructor(
    readonly device: SmpUpdateDevice,
    { link, capture, sink, sessionId, onLinkClose }: SeatOptions,
  ) {
    this.link = link;
    this.sink = sink;
    this.sessionId = sessionId;
    this.offClose = link.onClose((reason) => {
      onLinkClose?.(reason);
      if (this.closing) return;
      capture.note(`link lost: ${reason?.message ?? 'closed'}`);
      sink.lost(reason ?? new Error('link closed'));
    });
  }

  get linkOpen(): boolean {
    return this.link.isOpen && !this.closing;
  }

  identity(): Record<string, string> {
    return { ...this.ident };
  }

  /** Keeps the identity just read; the session hears of it only when it changed. */
  publishIdentity(next: Record<string, string>): Record<string, string> {
    const changed = JSON.stringify(next) !== JSON.stringify(this.ident);
    this.ident = next;
    if (changed) this.sink.identityChanged(next);
    return next;
  }

  /** Waits until the device answers, reads its identity, then hands the adapter to jobs waiting for a successor; closes it on failure. */
  async open(untilReady: () => Promise<void>): Promise<void> {
    try {
      await untilReady();
      await this.device.refreshIdentity();
    } catch (e) {
      await this.device.close();
      throw e;
    }
    succession.publish(this.sessionId, this);
  }

  /** First step of the adapter's close(): from here a link close is no longer a loss. */
  retire(): void {
    this.closing = true;
    succession.retire(this.sessionId, this);
    this.offClose();
  }

  /** A target that starts on this adapter and moves to its successor whenever the link drops. */
  updateTarget(): SmpUpdateTarget {
    let current: SmpAdapterSeat = this;
    const reacquire = async (signal: AbortSignal) => {
      current = await succession.next(this.sessionId, current, signal, REACQUIRE_TIMEOUT_MS);
    };
    return {
      get board() {
        return current.device.board;
      },
      client: () => current.device.smp,
      reacquire,
      resetAndWait: async (signal) => {
        try {
          await current.device.smpResetAndWait(signal);
        } catch (e) {
          if (current.linkOpen || signal.aborted) throw e;
          // The link dropped across the reset: the successor's open() already waited for the boot.
          await reacquire(signal);
        }
      },
      refreshIdentity: () => current.device.refreshIdentity(),
    };
  }
}
