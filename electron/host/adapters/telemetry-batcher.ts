// Turns telemetry records ("ms,v1,v2,...") into columnar batches, one event per
// interval rather than one per sample.
import type { HostEvent, TelemetryChannel } from '../../contract/events';

const BATCH_MS = 50;

export class TelemetryBatcher {
  private t: number[] = [];
  private cols: number[][];
  private timer: NodeJS.Timeout | null = null;
  /** Records that did not parse, counted rather than thrown: the stream goes on. */
  malformed = 0;
  /** Device clock → host clock: host time at the anchor minus device time at the anchor. */
  private offset: number | null = null;
  private lastDevice = -Infinity;

  constructor(
    private readonly sessionId: string,
    private readonly channels: readonly TelemetryChannel[],
    private readonly emit: (e: HostEvent) => void,
  ) {
    this.cols = channels.map(() => []);
  }

  addRecord(record: string): void {
    const parts = record.split(',');
    if (parts.length !== this.channels.length + 1) {
      this.malformed++;
      return;
    }
    const nums = parts.map(Number);
    if (nums.some((n) => !Number.isFinite(n))) {
      this.malformed++;
      return;
    }
    // The device's own time keeps samples apart (a chunk of records arrives at one host instant);
    // it is anchored to host time, and re-anchored when the board resets and its clock restarts.
    const device = nums[0];
    const now = Date.now();
    if (this.offset === null || device < this.lastDevice || Math.abs(device + this.offset - now) > 2000) this.offset = now - device;
    this.lastDevice = device;
    this.t.push(device + this.offset);
    for (let i = 0; i < this.cols.length; i++) this.cols[i].push(nums[i + 1]);
    if (!this.timer) this.timer = setTimeout(() => this.flush(), BATCH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.t.length === 0) return;
    this.emit({
      type: 'telemetry',
      sessionId: this.sessionId,
      channels: [...this.channels],
      t: Float64Array.from(this.t),
      values: this.cols.map((c) => Float32Array.from(c)),
    });
    this.t = [];
    this.cols = this.channels.map(() => []);
  }

  dispose(): void {
    this.flush();
  }
}
