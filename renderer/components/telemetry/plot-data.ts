// Turns a time window of the telemetry store into uPlot's columns: raw
// samples when they fit (at most two per pixel column), otherwise a min and a
// max point per pixel column, which draws the same envelope as every sample.
import type { TelemetryBuffer } from '../../store/telemetry-buffer';

export type PlotColumns = [number[], ...(number | null)[][]];

/** x in seconds (uPlot's time scale), y null where a channel has no value. */
export function plotColumns(buf: TelemetryBuffer, t0: number, t1: number, pixelColumns: number): { data: PlotColumns; decimated: boolean } {
  const columns = Math.max(1, Math.floor(pixelColumns));
  const nch = buf.channels.length;
  if (buf.countIn(t0, t1) <= 2 * columns) {
    const raw = buf.readRange(t0, t1);
    const xs = Array.from(raw.t, (t) => t / 1000);
    const ys = raw.values.map((col) => Array.from(col, (v) => (v === v ? v : null)));
    return { data: [xs, ...ys], decimated: false };
  }
  const d = buf.decimate(t0, t1, columns);
  const xs: number[] = [];
  const ys: (number | null)[][] = Array.from({ length: nch }, () => []);
  let empty = 0;
  for (let k = 0; k < columns; k++) {
    if (d.count[k] === 0) {
      // A run of empty columns is a real hole in the data (link down, device reset): break the line there.
      if (++empty === 3 && xs.length) {
        xs.push((d.edges[k] + d.edges[k + 1]) / 2000);
        for (const y of ys) y.push(null);
      }
      continue;
    }
    empty = 0;
    const x = (d.edges[k] + d.edges[k + 1]) / 2000;
    xs.push(x, x);
    for (let c = 0; c < nch; c++) {
      const lo = d.min[c][k];
      const hi = d.max[c][k];
      ys[c].push(lo === lo ? lo : null, hi === hi ? hi : null);
    }
  }
  return { data: [xs, ...ys], decimated: true };
}
