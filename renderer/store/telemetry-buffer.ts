// The renderer's copy of live telemetry: a fixed-size ring per channel, enough
// for the plot window. The host keeps the full history and the recording.
import type { TelemetryBatch, TelemetryChannel } from '../../electron/contract/events';

export class TelemetryBuffer {
  readonly capacity: number;
  channels: TelemetryChannel[] = [];
  private t: Float64Array;
  private v: Float32Array[] = [];
  private head = 0;
  private count = 0;
  /** Bumped on every append, so views know to redraw. */
  version = 0;

  constructor(capacity = 120_000) {
    this.capacity = capacity;
    this.t = new Float64Array(capacity);
  }

  append(batch: TelemetryBatch): void {
    if (this.channels.length !== batch.channels.length || this.channels.some((c, i) => c.name !== batch.channels[i].name)) {
      this.channels = batch.channels;
      this.v = batch.channels.map(() => new Float32Array(this.capacity));
      this.head = 0;
      this.count = 0;
    }
    for (let i = 0; i < batch.t.length; i++) {
      this.t[this.head] = batch.t[i];
      for (let c = 0; c < this.v.length; c++) this.v[c][this.head] = batch.values[c][i];
      this.head = (this.head + 1) % this.capacity;
    }
    this.count = Math.min(this.capacity, this.count + batch.t.length);
    this.version++;
  }

  get length(): number {
    return this.count;
  }

  latest(): number[] | null {
    if (this.count === 0) return null;
    const i = (this.head - 1 + this.capacity) % this.capacity;
    return this.v.map((col) => col[i]);
  }

  /** Samples newer than `sinceMs`, oldest first, as uPlot's [x(seconds), ...ys]. */
  window(sinceMs: number): [number[], ...number[][]] {
    const xs: number[] = [];
    const ys: number[][] = this.v.map(() => []);
    for (let k = 0; k < this.count; k++) {
      const i = (this.head - this.count + k + this.capacity) % this.capacity;
      if (this.t[i] < sinceMs) continue;
      xs.push(this.t[i] / 1000);
      for (let c = 0; c < this.v.length; c++) ys[c].push(this.v[c][i]);
    }
    return [xs, ...ys];
  }
}
