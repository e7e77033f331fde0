import type { ByteStream } from '../../transports/byte-stream';
import type { TelemetryParser } from '../parsers/parser';
import type { TelemetrySink, TelemetrySource } from './source';
import { HostError } from '../../errors/host-error';

/** Any ByteStream fed through any parser; stamps each chunk with host receive time. */
export class StreamSource implements TelemetrySource {
  private offData: (() => void) | null = null;
  private offClose: (() => void) | null = null;

  constructor(
    readonly id: string,
    private readonly stream: ByteStream,
    private readonly parser: TelemetryParser,
    private readonly now: () => number = Date.now,
  ) {}

  get running(): boolean {
    return this.offData !== null;
  }

  async start(sink: TelemetrySink): Promise<void> {
    if (this.offData) throw new HostError('device-busy', `Telemetry source ${this.id} is already running.`);
    if (!this.stream.isOpen) throw new HostError('device-gone', `The link for telemetry source ${this.id} is closed.`);
    this.offData = this.stream.onData((chunk) => {
      const r = this.parser.feed(chunk, this.now());
      if (r.samples.sampleCount > 0) sink.samples(r.samples, this.id);
      if (r.errors.length > 0) sink.errors(r.errors, this.id);
    });
    this.offClose = this.stream.onClose((reason) => {
      this.detach();
      sink.ended(this.id, reason);
    });
  }

  /** Detaches from the stream; closing the stream itself is its owner's call. */
  async stop(): Promise<void> {
    this.detach();
  }

  private detach(): void {
    this.offData?.();
    this.offClose?.();
    this.offData = this.offClose = null;
  }
}
