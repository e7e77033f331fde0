// What time range the chart shows: following the newest sample, paused
// (frozen where it was), or parked on a range of history the user zoomed or
// panned to. Pure, so the rules are tested without a canvas.

export type ViewMode = 'live' | 'paused' | 'history';

export interface ViewState {
  mode: ViewMode;
  /** Width of the live window, ms. */
  windowMs: number;
  /** The frozen range when not live, ms. */
  t0: number;
  t1: number;
}

/** The choices offered for the live window: 5 s … 10 min. */
export const WINDOW_CHOICES_MS = [5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000] as const;
export const MIN_WINDOW_MS = 5_000;
export const MAX_WINDOW_MS = 600_000;
/** Zooming stops here: below a millisecond the samples are single points anyway. */
export const MIN_ZOOM_MS = 1;

export function liveView(windowMs: number): ViewState {
  return { mode: 'live', windowMs: checkWindow(windowMs), t0: 0, t1: 0 };
}

export function checkWindow(ms: number): number {
  if (!Number.isFinite(ms) || ms < MIN_WINDOW_MS || ms > MAX_WINDOW_MS) throw new RangeError(`The time window must be between 5 s and 10 min, not ${ms} ms.`);
  return ms;
}

/** The range to draw, given the newest sample's time (null when there is no data yet). */
export function rangeOf(v: ViewState, latestT: number | null): [number, number] | null {
  if (v.mode !== 'live') return [v.t0, v.t1];
  if (latestT === null) return null;
  return [latestT - v.windowMs, latestT];
}

export function pause(v: ViewState, latestT: number | null): ViewState {
  if (v.mode !== 'live') return v;
  const r = rangeOf(v, latestT) ?? [0, v.windowMs];
  return { ...v, mode: 'paused', t0: r[0], t1: r[1] };
}

export function goLive(v: ViewState): ViewState {
  return { ...v, mode: 'live' };
}

export function setWindow(v: ViewState, windowMs: number): ViewState {
  checkWindow(windowMs);
  // Frozen views keep their right edge, so the newest visible sample stays put.
  return v.mode === 'live' ? { ...v, windowMs } : { ...v, windowMs, t0: v.t1 - windowMs };
}

export function zoomTo(v: ViewState, t0: number, t1: number): ViewState {
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) return v;
  if (t1 < t0) [t0, t1] = [t1, t0];
  if (t1 - t0 < MIN_ZOOM_MS) {
    const mid = (t0 + t1) / 2;
    t0 = mid - MIN_ZOOM_MS / 2;
    t1 = mid + MIN_ZOOM_MS / 2;
  }
  return { ...v, mode: 'history', t0, t1 };
}

/** Scale the current range by `factor` (>1 zooms out) around the time `at`. */
export function zoomAround(v: ViewState, latestT: number | null, at: number, factor: number): ViewState {
  const r = rangeOf(v, latestT);
  if (!r || !(factor > 0)) return v;
  const width = Math.min(MAX_WINDOW_MS * 10, Math.max(MIN_ZOOM_MS, (r[1] - r[0]) * factor));
  const f = r[1] > r[0] ? (at - r[0]) / (r[1] - r[0]) : 0.5;
  return zoomTo(v, at - f * width, at - f * width + width);
}

/** Move by a fraction of the range width (negative = earlier). */
export function pan(v: ViewState, latestT: number | null, fraction: number): ViewState {
  const r = rangeOf(v, latestT);
  if (!r) return v;
  const d = (r[1] - r[0]) * fraction;
  return zoomTo(v, r[0] + d, r[1] + d);
}

export function describeWindow(ms: number): string {
  return ms < 60_000 ? `${ms / 1000} s` : `${ms / 60_000} min`;
}
