// Channels that share a unit share a y scale; the first three units get an
// axis (left, right, right again further out). Later units still get their
// own scale so their trace is readable in shape, with values in the table.

export interface AxisPlan {
  /** Scale key of each channel, in channel order. */
  scaleOf: string[];
  axes: { scale: string; unit: string; side: 'left' | 'right'; shown: boolean; channels: string[] }[];
}

export const MAX_Y_AXES = 3;

export function scaleKey(unit: string): string {
  return `unit:${unit}`;
}

export function planAxes(channels: readonly { name: string; unit: string }[]): AxisPlan {
  const axes: AxisPlan['axes'] = [];
  const scaleOf = channels.map((ch) => {
    const key = scaleKey(ch.unit);
    let axis = axes.find((a) => a.scale === key);
    if (!axis) {
      const n = axes.length;
      axis = { scale: key, unit: ch.unit, side: n === 0 ? 'left' : 'right', shown: n < MAX_Y_AXES, channels: [] };
      axes.push(axis);
    }
    axis.channels.push(ch.name);
    return key;
  });
  return { scaleOf, axes };
}

/** Trace colours with enough contrast on white; channels past eight reuse them. */
export const CHANNEL_COLORS = ['#d62728', '#2ca02c', '#1f77b4', '#ff7f0e', '#9467bd', '#17becf', '#e377c2', '#8c564b'];

export function channelColor(i: number): string {
  return CHANNEL_COLORS[i % CHANNEL_COLORS.length];
}
