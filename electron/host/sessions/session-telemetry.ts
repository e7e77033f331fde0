// A session's telemetry service: every batch an adapter produces passes here,
// is written to the recording (when one runs) before anything else, and only
// then goes out for display, where a slow client may drop frames.
import { join } from 'node:path';
import type { HostEvent, TelemetryBatch } from '../../contract/events';
import { telemetryMark, telemetryRecord } from '../../contract/catalog/telemetry';
import { HostError } from '../errors/host-error';
import { ensureDir } from '../platform/xdg-paths';
import { TelemetryRecorder, type RecordingSummary, type SampleBatch } from '../telemetry';
import { bind, type BoundCommand } from '../adapters/device-adapter';

export class SessionTelemetry {
  private recorder: TelemetryRecorder | null = null;
  private channels: string[] = [];
  samplesSeen = 0;

  constructor(
    private readonly sessionId: string,
    private readonly deviceLabel: () => string,
    private readonly recordingsDir: string,
    private readonly emit: (e: HostEvent) => void,
  ) {}

  ingest(batch: TelemetryBatch): void {
    this.channels = batch.channels.map((c) => c.name);
    this.samplesSeen += batch.t.length * batch.channels.length;
    if (this.recorder) this.recorder.append(toSampleBatch(batch));
    this.emit(batch);
  }

  get recording(): boolean {
    return this.recorder !== null;
  }

  commands(): BoundCommand[] {
    return [
      bind(telemetryRecord, async (p) => {
        if (!p.on) return this.stop();
        if (this.recorder) throw new HostError('device-busy', 'This session is already recording.', this.recorder.paths.fwtl);
        ensureDir(this.recordingsDir);
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const base = join(this.recordingsDir, `${this.deviceLabel().replace(/[^\w.-]+/g, '_')}-${stamp}`);
        this.recorder = TelemetryRecorder.start({
          basePath: base,
          formats: p.formats ?? ['fwtl'],
          info: { device: this.deviceLabel(), session: this.sessionId },
          channels: this.channels.map((name) => ({ name })),
        });
        return { recording: true, paths: this.recorder.paths };
      }),
      bind(telemetryMark, async (p) => {
        if (!this.recorder) throw new HostError('bad-request', 'Start a recording before adding markers.');
        this.recorder.mark(p.text);
        return { marked: true };
      }),
    ];
  }

  private async stop(): Promise<RecordingSummary | { recording: false }> {
    const r = this.recorder;
    if (!r) return { recording: false };
    this.recorder = null;
    return r.stop();
  }

  async close(): Promise<void> {
    await this.stop();
  }
}

function toSampleBatch(b: TelemetryBatch): SampleBatch {
  const t = Float64Array.from(b.t);
  return {
    columns: b.channels.map((c, i) => ({ channel: c.name, t, hostT: t, value: Float64Array.from(b.values[i]) })),
    sampleCount: b.t.length * b.channels.length,
  };
}
