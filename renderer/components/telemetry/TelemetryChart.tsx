// The live telemetry plot: uPlot over the renderer's telemetry store, redrawn
// at most once per animation frame and only when data or the view changed.
// Channels sharing a unit share an axis; thresholds are drawn as lines and
// raise onAlarm once per crossing (with hysteresis), checked on every sample.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import type { TelemetryBuffer } from '../../store/telemetry-buffer';
import { channelColor, planAxes } from './axis-layout';
import { ChannelTable, type ChannelRow } from './ChannelTable';
import { FrameScheduler } from './frame-scheduler';
import { ColumnCache, plotColumns } from './plot-data';
import { sameThreshold, ThresholdAlarm, type ThresholdSpec } from './threshold-alarm';
import { describeWindow, goLive, liveView, pan, pause, rangeOf, setWindow, WINDOW_CHOICES_MS, zoomAround, zoomTo, type ViewState } from './view-state';

export interface FrameStats {
  /** Time spent building the columns and drawing, ms. */
  drawMs: number;
  /** Of which building the columns from the store, ms. */
  dataMs: number;
  points: number;
  decimated: boolean;
}

export interface TelemetryChartProps {
  buffer: TelemetryBuffer | null | undefined;
  /** Accessible name of the plot. */
  label?: string;
  initialWindowMs?: number;
  thresholds?: ThresholdSpec[];
  onAlarm?: (channel: string, value: number, t: number) => void;
  height?: number;
  /** Called after each redraw (diagnostics, benchmarks). */
  onFrame?: (stats: FrameStats) => void;
}

interface AlarmSlot {
  alarm: ThresholdAlarm;
  /** Next sample index to check. */
  next: number;
}

const LATEST_REFRESH_MS = 250;
const ALARM_COLOR = '#c92a2a';

export function TelemetryChart({ buffer, label = 'Telemetry plot', initialWindowMs = 10_000, thresholds = [], onAlarm, height = 320, onFrame }: TelemetryChartProps) {
  const [view, setView] = useState<ViewState>(() => liveView(initialWindowMs));
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [channels, setChannels] = useState<{ name: string; unit: string }[]>([]);
  const [latest, setLatest] = useState<number[] | null>(null);
  const [cursor, setCursor] = useState<{ t: number; values: number[] } | null>(null);
  const [alarmed, setAlarmed] = useState<ReadonlySet<string>>(new Set());

  const plotEl = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const viewRef = useRef(view);
  const hiddenRef = useRef(hidden);
  const thresholdsRef = useRef(thresholds);
  const alarmedRef = useRef(alarmed);
  const alarms = useRef<AlarmSlot[]>([]);
  const onAlarmRef = useRef(onAlarm);
  const onFrameRef = useRef(onFrame);
  const bufferRef = useRef(buffer);
  /** Newest sample time at the last redraw: a parked view needs redrawing only if it reaches past it. */
  const drawnLatest = useRef(-Infinity);
  const columnCache = useRef(new ColumnCache());
  onAlarmRef.current = onAlarm;
  onFrameRef.current = onFrame;
  bufferRef.current = buffer;

  const channelsKey = channels.map((c) => `${c.name}\u0000${c.unit}`).join('\u0001');
  const axisPlan = useMemo(() => planAxes(channels), [channelsKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const draw = useCallback(() => {
    const u = plot.current;
    const buf = bufferRef.current;
    if (!u || !buf) return;
    const range = rangeOf(viewRef.current, buf.latestTime());
    if (!range || range[1] <= range[0]) return;
    const t = performance.now();
    const columns = Math.max(1, Math.round(u.bbox.width / (window.devicePixelRatio || 1)));
    const { data, decimated } = plotColumns(buf, range[0], range[1], columns, columnCache.current);
    const dataMs = performance.now() - t;
    if (data.length !== u.series.length) return; // channels changed; the plot is being rebuilt
    u.batch(() => {
      u.setData(data as uPlot.AlignedData, false);
      u.setScale('x', { min: range[0] / 1000, max: range[1] / 1000 });
    });
    drawnLatest.current = buf.latestTime() ?? -Infinity;
    onFrameRef.current?.({ drawMs: performance.now() - t, dataMs, points: data[0].length, decimated });
  }, []);

  const scheduler = useMemo(() => new FrameScheduler(() => draw()), [draw]);
  useEffect(() => () => scheduler.dispose(), [scheduler]);

  useEffect(() => {
    viewRef.current = view;
    scheduler.invalidate();
  }, [view, scheduler]);
  useEffect(() => {
    hiddenRef.current = hidden;
    const u = plot.current;
    if (u) channels.forEach((c, i) => u.setSeries(i + 1, { show: !hidden.has(c.name) }));
    scheduler.invalidate();
  }, [hidden, channels, scheduler]);

  // Alarms: every new sample of a watched channel is checked, whatever the view shows (and also while paused).
  const checkAlarms = useCallback(() => {
    const buf = bufferRef.current;
    if (!buf || alarms.current.length === 0) return;
    let changed = false;
    const now = new Set(alarmedRef.current);
    for (const slot of alarms.current) {
      const c = buf.channels.findIndex((ch) => ch.name === slot.alarm.spec.channel);
      const from = Math.max(slot.next, buf.firstIndex);
      slot.next = buf.endIndex;
      if (c < 0) continue;
      for (let i = from; i < buf.endIndex; i++) {
        const v = buf.valueAt(c, i);
        if (slot.alarm.feed(v)) onAlarmRef.current?.(slot.alarm.spec.channel, v, buf.timeAt(i));
      }
    }
    for (const name of new Set([...now, ...alarms.current.map((s) => s.alarm.spec.channel)])) {
      const on = alarms.current.some((s) => s.alarm.spec.channel === name && s.alarm.active);
      if (on !== now.has(name)) {
        changed = true;
        if (on) now.add(name);
        else now.delete(name);
      }
    }
    if (changed) {
      alarmedRef.current = now;
      setAlarmed(now);
    }
  }, []);

  const thresholdsKey = JSON.stringify(thresholds);
  useEffect(() => {
    thresholdsRef.current = thresholds;
    const buf = bufferRef.current;
    // Kept thresholds keep their state; new ones start from the newest sample, so a value already past the line alarms once.
    const start = buf && buf.endIndex > 0 ? buf.endIndex - 1 : 0;
    alarms.current = thresholds.map((spec) => alarms.current.find((s) => sameThreshold(s.alarm.spec, spec)) ?? { alarm: new ThresholdAlarm(spec), next: start });
    const gone = [...alarmedRef.current].filter((n) => !thresholds.some((t) => t.channel === n));
    if (gone.length) {
      const next = new Set(alarmedRef.current);
      gone.forEach((n) => next.delete(n));
      alarmedRef.current = next;
      setAlarmed(next);
    }
    checkAlarms();
    plot.current?.redraw(false, false);
  }, [thresholdsKey, checkAlarms]); // eslint-disable-line react-hooks/exhaustive-deps

  // The threshold lines change colour with the alarm state.
  useEffect(() => {
    plot.current?.redraw(false, false);
  }, [alarmed]);

  // Data: follow appends; refresh the channel list and the latest-values table a few times a second.
  useEffect(() => {
    if (!buffer) return;
    const refresh = () => {
      setChannels((prev) => (prev.length === buffer.channels.length && prev.every((c, i) => c.name === buffer.channels[i].name && c.unit === buffer.channels[i].unit) ? prev : buffer.channels.map((c) => ({ ...c }))));
      setLatest(buffer.latest());
    };
    refresh();
    checkAlarms();
    let seen = buffer.version;
    const timer = setInterval(() => {
      if (buffer.version !== seen) {
        seen = buffer.version;
        refresh();
      }
    }, LATEST_REFRESH_MS);
    const off = buffer.onAppend(() => {
      checkAlarms();
      const v = viewRef.current;
      if (v.mode === 'live' || (v.mode === 'history' && v.t1 >= drawnLatest.current)) scheduler.invalidate();
    });
    scheduler.invalidate();
    return () => {
      clearInterval(timer);
      off();
    };
  }, [buffer, scheduler, checkAlarms]);

  // The uPlot instance: rebuilt when the channels or their units change.
  useEffect(() => {
    const el = plotEl.current;
    if (!el || channels.length === 0) return;
    const toMs = (u: uPlot, left: number) => u.posToVal(left, 'x') * 1000;
    const opts: uPlot.Options = {
      width: el.clientWidth || 800,
      height,
      legend: { show: false },
      scales: {
        x: { time: true, auto: false },
        ...Object.fromEntries(
          axisPlan.axes.map((a) => [
            a.scale,
            {
              auto: true,
              range: (_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax => {
                // Keep threshold lines of visible channels on screen.
                for (const t of thresholdsRef.current) {
                  if (!a.channels.includes(t.channel) || hiddenRef.current.has(t.channel)) continue;
                  min = min === null ? t.level : Math.min(min, t.level);
                  max = max === null ? t.level : Math.max(max, t.level);
                }
                if (min === null || max === null) return [0, 1];
                return uPlot.rangeNum(min, max, 0.1, true);
              },
            },
          ]),
        ),
      },
      series: [{}, ...channels.map((c, i) => ({ label: c.name, scale: axisPlan.scaleOf[i], stroke: channelColor(i), width: 1, show: !hiddenRef.current.has(c.name), points: { show: false } }))],
      axes: [
        {},
        ...axisPlan.axes.map((a) => ({
          scale: a.scale,
          side: a.side === 'left' ? 3 : 1,
          show: a.shown,
          label: a.unit || '(no unit)',
          size: 60,
          grid: { show: a === axisPlan.axes[0] },
        })),
      ],
      cursor: {
        drag: { x: true, y: false, setScale: false },
        bind: { dblclick: () => null },
      },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width > 2) setView((v) => zoomTo(v, toMs(u, u.select.left), toMs(u, u.select.left + u.select.width)));
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
        setCursor: [
          (u) => {
            const left = u.cursor.left;
            const buf = bufferRef.current;
            setCursor(left === undefined || left < 0 || !buf ? null : buf.sampleNear(toMs(u, left)));
          },
        ],
        draw: [(u) => drawThresholds(u, channels, axisPlan.scaleOf, thresholdsRef.current, hiddenRef.current, alarmedRef.current)],
      },
    };
    const u = new uPlot(opts, [[], ...channels.map(() => [])] as uPlot.AlignedData, el);
    plot.current = u;
    const over = u.over;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const buf = bufferRef.current;
      const latestT = buf?.latestTime() ?? null;
      const rect = over.getBoundingClientRect();
      const at = toMs(u, e.clientX - rect.left);
      if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) setView((v) => pan(v, latestT, Math.sign(e.deltaX || e.deltaY) * 0.1));
      else setView((v) => zoomAround(v, latestT, at, e.deltaY > 0 ? 1.25 : 0.8));
    };
    const onDblClick = () => setView((v) => goLive(v));
    over.addEventListener('wheel', onWheel, { passive: false });
    over.addEventListener('dblclick', onDblClick);
    const resize = typeof ResizeObserver === 'function' ? new ResizeObserver(() => {
      const w = el.clientWidth;
      if (w > 0 && Math.abs(w - u.width) > 1) {
        u.setSize({ width: w, height });
        scheduler.invalidate();
      }
    }) : null;
    resize?.observe(el);
    scheduler.invalidate();
    return () => {
      resize?.disconnect();
      over.removeEventListener('wheel', onWheel);
      over.removeEventListener('dblclick', onDblClick);
      u.destroy();
      plot.current = null;
    };
  }, [axisPlan, channelsKey, height, scheduler]); // eslint-disable-line react-hooks/exhaustive-deps

  const latestT = buffer?.latestTime() ?? null;
  const rows: ChannelRow[] = channels.map((c, i) => ({
    name: c.name,
    unit: c.unit,
    latest: latest?.[i] ?? null,
    atCursor: cursor?.values[i] ?? null,
    hidden: hidden.has(c.name),
    alarm: alarmed.has(c.name),
    thresholds: thresholds.filter((t) => t.channel === c.name),
  }));
  const live = view.mode === 'live';
  const toggle = (name: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });

  return (
    <div className={`telemetry-chart${alarmed.size ? ' has-alarm' : ''}`}>
      <div className="row telemetry-toolbar" role="toolbar" aria-label="Plot controls">
        <span className="telemetry-mode" data-testid="telemetry-mode" aria-live="polite">
          {live ? 'Live' : view.mode === 'paused' ? 'Paused' : 'History'}
        </span>
        <button type="button" aria-pressed={!live} onClick={() => setView((v) => (v.mode === 'live' ? pause(v, bufferRef.current?.latestTime() ?? null) : goLive(v)))}>
          Pause
        </button>
        <button type="button" disabled={live} onClick={() => setView((v) => goLive(v))}>
          Live
        </button>
        <button type="button" aria-label="Earlier" title="Move half a window back in time" onClick={() => setView((v) => pan(v, bufferRef.current?.latestTime() ?? null, -0.5))}>
          ◀
        </button>
        <button type="button" aria-label="Later" title="Move half a window forward in time" disabled={live} onClick={() => setView((v) => pan(v, bufferRef.current?.latestTime() ?? null, 0.5))}>
          ▶
        </button>
        <button type="button" aria-label="Zoom out" onClick={() => setView((v) => zoomAround(v, latestT, centreOf(v, latestT), 2))}>
          −
        </button>
        <label>
          Window{' '}
          <select aria-label="Time window" value={view.windowMs} onChange={(e) => setView((v) => setWindow(v, Number(e.target.value)))}>
            {WINDOW_CHOICES_MS.map((ms) => (
              <option key={ms} value={ms}>
                {describeWindow(ms)}
              </option>
            ))}
          </select>
        </label>
        {alarmed.size > 0 && (
          <strong className="alarm-text" role="status">
            Alarm: {[...alarmed].join(', ')}
          </strong>
        )}
      </div>
      <div ref={plotEl} className="plot" role="img" aria-label={`${label}: ${channels.map((c) => `${c.name} (${c.unit})`).join(', ') || 'no data yet'}`} data-testid="telemetry-plot" />
      <ChannelTable rows={rows} cursorTime={cursor?.t ?? null} onToggle={toggle} />
    </div>
  );
}

function centreOf(v: ViewState, latestT: number | null): number {
  const r = rangeOf(v, latestT);
  return r ? (r[0] + r[1]) / 2 : 0;
}

/** Dashed line per threshold of a visible channel, red while that channel is in alarm. */
function drawThresholds(u: uPlot, channels: { name: string }[], scaleOf: string[], thresholds: ThresholdSpec[], hidden: ReadonlySet<string>, alarmed: ReadonlySet<string>): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.lineWidth = Math.max(1, (window.devicePixelRatio || 1) * 1.5);
  ctx.setLineDash([6, 4]);
  for (const t of thresholds) {
    const i = channels.findIndex((c) => c.name === t.channel);
    if (i < 0 || hidden.has(t.channel)) continue;
    const y = u.valToPos(t.level, scaleOf[i], true);
    if (!(y >= top && y <= top + height)) continue;
    ctx.strokeStyle = alarmed.has(t.channel) ? ALARM_COLOR : channelColor(i);
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + width, y);
    ctx.stroke();
  }
  ctx.restore();
}
