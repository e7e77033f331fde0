// A threshold on one channel with hysteresis: trips when a sample goes past
// the level, and re-arms only after a sample comes back by the hysteresis
// margin, so noise sitting on the line raises one alarm, not hundreds.

export type ThresholdDirection = 'above' | 'below';

export interface ThresholdSpec {
  channel: string;
  level: number;
  direction: ThresholdDirection;
  /** Margin back inside the limit before the alarm re-arms; 0 re-arms as soon as the value is back at the level. */
  hysteresis?: number;
}

export function checkThreshold(spec: ThresholdSpec): ThresholdSpec {
  if (typeof spec.channel !== 'string' || spec.channel === '') throw new RangeError('A threshold needs a channel name.');
  if (!Number.isFinite(spec.level)) throw new RangeError(`The threshold for ${spec.channel} needs a finite level, not ${spec.level}.`);
  if (spec.direction !== 'above' && spec.direction !== 'below') throw new RangeError(`The threshold for ${spec.channel} must trip "above" or "below", not "${String(spec.direction)}".`);
  const h = spec.hysteresis ?? 0;
  if (!Number.isFinite(h) || h < 0) throw new RangeError(`The hysteresis for ${spec.channel} must be zero or a positive number, not ${h}.`);
  return spec;
}

export class ThresholdAlarm {
  readonly spec: ThresholdSpec;
  private tripped = false;

  constructor(spec: ThresholdSpec) {
    this.spec = checkThreshold(spec);
  }

  get active(): boolean {
    return this.tripped;
  }

  /** Feeds one sample; true when this sample crossed into alarm (the caller fires onAlarm). NaN (no value) changes nothing. */
  feed(value: number): boolean {
    if (value !== value) return false;
    const { level, direction } = this.spec;
    const h = this.spec.hysteresis ?? 0;
    if (!this.tripped) {
      if (direction === 'above' ? value > level : value < level) return (this.tripped = true);
    } else if (direction === 'above' ? value <= level - h : value >= level + h) this.tripped = false;
    return false;
  }
}

/** Same threshold, for deciding whether an alarm's state can be kept when the list is edited. */
export function sameThreshold(a: ThresholdSpec, b: ThresholdSpec): boolean {
  return a.channel === b.channel && a.level === b.level && a.direction === b.direction && (a.hysteresis ?? 0) === (b.hysteresis ?? 0);
}
