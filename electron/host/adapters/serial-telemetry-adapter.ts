// A serial port that streams telemetry as text (CSV or whitespace columns,
// Arduino-plotter name:value pairs, JSON lines): any parser on the stream,
// batches into the session (which records before it displays), parse errors
// counted and shown, never fatal.
import { deviceInfo, telemetryStream } from '../../contract/catalog/common';
import type { TelemetryChannel } from '../../contract/events';
import type { ByteStream } from '../transports/byte-stream';
import { CsvParser, JsonLinesParser, PlotterParser, StreamSource, type SampleBatch, type TelemetryParser } from '../telemetry';
import { bind, type AdapterSink, type BoundCommand, type DeviceAdapter } from './device-adapter';

export const TELEMETRY_PROTOCOLS = ['telemetry-csv', 'telemetry-plotter', 'telemetry-jsonl'] as const;
export type TelemetryProtocol = (typeof TELEMETRY_PROTOCOLS)[number];

function parserFor(protocol: TelemetryProtocol): TelemetryParser {
  if (protocol === 'telemetry-plotter') return new PlotterParser();
  if (protocol === 'telemetry-jsonl') return new JsonLinesParser();
  return new CsvParser();
}

const MAX_ERRORS_KEPT = 20;

export class SerialTelemetryAdapter implements DeviceAdapter {
  readonly protocol: TelemetryProtocol;
  private readonly source: StreamSource;
  private streaming = true;
  private samples = 0;
  private errorCount = 0;
  private lastErrors: string[] = [];
  private closing = false;

  constructor(
    private readonly link: ByteStream,
    private readonly sink: AdapterSink,
    private readonly sessionId: string,
    protocol: TelemetryProtocol,
    private readonly facts: Record<string, string>,
  ) {
    this.protocol = protocol;
    this.source = new StreamSource(`${sessionId}:serial`, link, parserFor(protocol));
  }

  static async open(link: ByteStream, sink: AdapterSink, sessionId: string, protocol: TelemetryProtocol, facts: Record<string, string>): Promise<SerialTelemetryAdapter> {
    const a = new SerialTelemetryAdapter(link, sink, sessionId, protocol, facts);
    await a.source.start({
      samples: (batch) => a.deliver(batch),
      errors: (errs) => {
        a.errorCount += errs.length;
        a.lastErrors = [...a.lastErrors, ...errs.map((e) => `${e.line !== undefined ? `line ${e.line}` : `byte ${e.offset}`}: ${e.message}`)].slice(-MAX_ERRORS_KEPT);
      },
      ended: (_id, reason) => {
        if (!a.closing) sink.lost(reason ?? new Error('link closed'));
      },
    });
    return a;
  }

  /** Rows that share their times become one batch; ragged columns (plotter lines naming different channels) go one by one. */
  private deliver(batch: SampleBatch): void {
    this.samples += batch.sampleCount;
    if (!this.streaming || batch.columns.length === 0) return;
    const n = batch.columns[0].hostT.length;
    const rows = batch.columns.every((c) => c.hostT.length === n);
    const groups = rows ? [batch.columns] : batch.columns.map((c) => [c]);
    for (const cols of groups) {
      const channels: TelemetryChannel[] = cols.map((c) => ({ name: c.channel, unit: '' }));
      this.sink.emit({ type: 'telemetry', sessionId: this.sessionId, channels, t: Float64Array.from(cols[0].hostT), values: cols.map((c) => Float32Array.from(c.value)) });
    }
  }

  identity(): Record<string, string> {
    return { ...this.facts, format: this.protocol.replace('telemetry-', '') };
  }

  commands(): readonly BoundCommand[] {
    return [
      bind(deviceInfo, async () => ({ ...this.identity(), samples: String(this.samples), parseErrors: String(this.errorCount), recentErrors: this.lastErrors.join('\n') })),
      // The board streams on its own; "off" only stops forwarding (recording included).
      bind(telemetryStream, async (p) => {
        this.streaming = p.on;
        return { on: p.on };
      }),
    ];
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.source.stop();
    await this.link.close();
  }
}
