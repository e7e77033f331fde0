// Remembers the lowest recent reading of each session's supply channels from
// live telemetry, so a write can be refused while the board is browning out.
import type { HostEvent } from '../../contract/events';

/** Supply inputs by name: vin, vbus, vsup(ply), vbat(t), v_in. Rails such as v3v3 or vcore are not supplies. */
export const SUPPLY_CHANNEL = /^(v_?in|vbus|vsup(ply)?|vbatt?)$/i;

interface Reading {
  at: number;
  volts: number;
}

export interface SupplyLow {
  channel: string;
  volts: number;
  at: number;
}

export class SupplyWatch {
  /** sessionId → channel → readings kept for the longest window asked for. */
  private readonly readings = new Map<string, Map<string, Reading[]>>();

  constructor(private readonly keepMs = 10 * 60_000, private readonly now: () => number = Date.now) {}

  /** Feed every host event; only telemetry batches are looked at. */
  observe(e: HostEvent): void {
    if (e.type === 'session' && e.session.state === 'closed') {
      this.readings.delete(e.session.id);
      return;
    }
    if (e.type !== 'telemetry') return;
    const at = this.now();
    e.channels.forEach((ch, i) => {
      if (!SUPPLY_CHANNEL.test(ch.name) || (ch.unit !== 'V' && ch.unit !== 'mV')) return;
      const col = e.values[i];
      if (!col || col.length === 0) return;
      let min = Infinity;
      for (const v of col) if (Number.isFinite(v) && v < min) min = v;
      if (min === Infinity) return;
      const volts = ch.unit === 'mV' ? min / 1000 : min;
      let bySession = this.readings.get(e.sessionId);
      if (!bySession) this.readings.set(e.sessionId, (bySession = new Map()));
      const list = bySession.get(ch.name) ?? [];
      list.push({ at, volts });
      while (list.length && list[0].at < at - this.keepMs) list.shift();
      bySession.set(ch.name, list);
    });
  }

  /** The lowest supply reading below `minVolts` within the last `windowMs`, if any. */
  lowest(sessionId: string, minVolts: number, windowMs: number): SupplyLow | null {
    const since = this.now() - windowMs;
    let worst: SupplyLow | null = null;
    for (const [channel, list] of this.readings.get(sessionId) ?? []) {
      for (const r of list) if (r.at >= since && r.volts < minVolts && (!worst || r.volts < worst.volts)) worst = { channel, volts: r.volts, at: r.at };
    }
    return worst;
  }
}
