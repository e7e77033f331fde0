// A timed break: TX held low for `ms`. serialport only offers break on/off
// (TIOCSBRK/TIOCCBRK) bundled with the modem lines, so the lines are passed as
// they are and the break is always switched off again, even after a failure.
import { HostError } from '../errors/host-error';
import type { ModemControl } from './modem-sequences';

export async function sendBreak(port: ModemControl, ms: number, sleep: (ms: number) => Promise<void> = (t) => new Promise((r) => setTimeout(r, t))): Promise<{ ms: number }> {
  if (!(Number.isInteger(ms) && ms >= 1 && ms <= 5000)) throw new HostError('invalid-params', 'A break lasts from 1 to 5000 ms.', String(ms));
  const lines = { ...port.modemLines };
  try {
    await port.setSignals({ ...lines, brk: true });
    await sleep(ms);
  } finally {
    // A failed first call may still have left TIOCSBRK on: clear it regardless.
    await port.setSignals({ ...lines, brk: false }).catch(() => undefined);
  }
  return { ms };
}
