// Threshold alarms with hysteresis: "above 85" raises at > 85 and clears only
// below 85 - hysteresis, so a noisy signal near the limit does not chatter.
import { HostError } from '../errors/host-error';

export interface AlarmSpec {
  above?: number;
  below?: number;
  /** Distance back inside the limit before the alarm clears; default 0. */
  hysteresis?: number;
}

export interface AlarmEvent {
  channel: string;
  kind: 'above' | 'below';
  state: 'raised' | 'cleared';
  threshold: number;
  value: number;
  /** Sample time (device time when the format has it). */
  t: number;
  hostT: number;
}

export class ChannelAlarm {
  private high = false;
  private low = false;
  private readonly hyst: number;

  constructor(readonly channel: string, readonly spec: AlarmSpec) {
    if (spec.above === undefined && spec.below === undefined) throw new HostError('invalid-params', `The alarm for ${channel} needs an "above" or "below" limit.`);
    this.hyst = spec.hysteresis ?? 0;
    if (!(this.hyst >= 0)) throw new HostError('invalid-params', `The alarm hysteresis for ${channel} must be zero or more.`);
    if (spec.above !== undefined && spec.below !== undefined && spec.below >= spec.above)
      throw new HostError('invalid-params', `The alarm for ${channel} has "below" (${spec.below}) not under "above" (${spec.above}).`);
  }

  get active(): { above: boolean; below: boolean } {
    return { above: this.high, below: this.low };
  }

  check(t: number, hostT: number, value: number, emit: (e: AlarmEvent) => void): void {
    if (value !== value) return; // NaN says nothing about the limit
    const { above, below } = this.spec;
    if (above !== undefined) {
      if (!this.high && value > above) {
        this.high = true;
        emit({ channel: this.channel, kind: 'above', state: 'raised', threshold: above, value, t, hostT });
      } else if (this.high && value < above - this.hyst) {
        this.high = false;
        emit({ channel: this.channel, kind: 'above', state: 'cleared', threshold: above, value, t, hostT });
      }
    }
    if (below !== undefined) {
      if (!this.low && value < below) {
        this.low = true;
        emit({ channel: this.channel, kind: 'below', state: 'raised', threshold: below, value, t, hostT });
      } else if (this.low && value > below + this.hyst) {
        this.low = false;
        emit({ channel: this.channel, kind: 'below', state: 'cleared', threshold: below, value, t, hostT });
      }
    }
  }
}
