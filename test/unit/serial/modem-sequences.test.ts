import { MODEM_SEQUENCES, findSequence, runModemSequence, sendBreak, type ModemControl, type ModemLineState } from '../../../electron/host/serial';
import { HostError } from '../../../electron/host/errors/host-error';
import { MODEM_SEQUENCE_NAMES } from '../../../electron/contract/catalog/serial';

/** A port that records every line change it is asked for, with the time the runner slept after it. */
class ModelPort implements ModemControl {
  modemLines: ModemLineState = { dtr: true, rts: true };
  calls: Array<ModemLineState & { brk: boolean }> = [];
  constructor(private readonly failOnCall = -1) {}
  async setSignals(s: ModemLineState & { brk?: boolean }): Promise<void> {
    const n = this.calls.length;
    this.calls.push({ dtr: s.dtr, rts: s.rts, brk: s.brk ?? false });
    if (n === this.failOnCall) throw new HostError('not-supported', 'no modem lines', 'Inappropriate ioctl for device');
    this.modemLines = { dtr: s.dtr, rts: s.rts };
  }
}

const noSleep = async () => {};

describe('named DTR/RTS sequences', () => {
  it('every catalog name has a sequence, and every sequence ends with the chip out of reset', () => {
    expect(Object.keys(MODEM_SEQUENCES).sort()).toEqual([...MODEM_SEQUENCE_NAMES].sort());
    for (const seq of Object.values(MODEM_SEQUENCES)) {
      expect(seq.steps.length).toBeGreaterThan(0);
      expect(seq.wiring.length).toBeGreaterThan(10);
      // Every sequence but the Arduino capacitor pulse releases RTS (reset) at the end.
      if (seq.name !== 'plain-reset-dtr') expect(seq.steps.some((s) => s.rts === false)).toBe(true);
    }
  });

  it('esp32-bootloader drives EN and GPIO0 as esptool ClassicReset does, both lines in each step', async () => {
    const port = new ModelPort();
    const slept: number[] = [];
    const run = await runModemSequence(port, findSequence('esp32-bootloader'), { sleep: async (ms) => void slept.push(ms) });
    expect(port.calls).toEqual([
      { dtr: false, rts: true, brk: false }, // GPIO0 high, EN low
      { dtr: true, rts: false, brk: false }, // GPIO0 low, EN released
      { dtr: false, rts: false, brk: false }, // GPIO0 high
    ]);
    expect(slept).toEqual([100, 50, 0]);
    expect(run.applied.map((a) => a.delayMs)).toEqual([100, 50, 0]);
    expect(port.modemLines).toEqual({ dtr: false, rts: false });
  });

  it('a step that names one line keeps the other where it was', async () => {
    const port = new ModelPort();
    port.modemLines = { dtr: false, rts: false };
    await runModemSequence(port, findSequence('plain-reset-rts'), { sleep: noSleep });
    expect(port.calls).toEqual([
      { dtr: false, rts: true, brk: false },
      { dtr: false, rts: false, brk: false },
    ]);
    const stm = new ModelPort();
    await runModemSequence(stm, findSequence('stm32-boot0-dtr'), { sleep: noSleep });
    expect(stm.calls.map(({ dtr, rts }) => [dtr, rts])).toEqual([
      [true, true], // BOOT0 high, NRST held
      [true, false], // released from reset with BOOT0 high: system bootloader
      [false, false], // BOOT0 back low
    ]);
  });

  it('stops at the first failure (a pty has no modem lines) and passes its error on', async () => {
    const port = new ModelPort(0);
    await expect(runModemSequence(port, findSequence('esp32-bootloader'), { sleep: noSleep })).rejects.toMatchObject({ code: 'not-supported' });
    expect(port.calls).toHaveLength(1);
    expect(port.modemLines).toEqual({ dtr: true, rts: true });
  });

  it('a cancelled run stops between steps and says how far it got', async () => {
    const ac = new AbortController();
    const port = new ModelPort();
    const p = runModemSequence(port, findSequence('esp32-usb-jtag-bootloader'), { signal: ac.signal, sleep: async () => ac.abort() });
    await expect(p).rejects.toMatchObject({ code: 'cancelled', detail: 'applied 1 of 4 steps' });
    expect(port.calls).toHaveLength(1);
  });

  it('refuses an unknown sequence name with the list of known ones', () => {
    expect(() => findSequence('esp32-reboot')).toThrow(/no reset sequence called "esp32-reboot"/);
    try {
      findSequence('x');
    } catch (e) {
      expect((e as HostError).code).toBe('invalid-params');
      expect((e as HostError).detail).toMatch(/esp32-bootloader/);
    }
  });
});

describe('break', () => {
  it('switches break on with the lines as they are, holds it, and switches it off', async () => {
    const port = new ModelPort();
    port.modemLines = { dtr: false, rts: true };
    const slept: number[] = [];
    await sendBreak(port, 250, async (ms) => void slept.push(ms));
    expect(port.calls).toEqual([
      { dtr: false, rts: true, brk: true },
      { dtr: false, rts: true, brk: false },
    ]);
    expect(slept).toEqual([250]);
  });

  it('still clears the break after a failure, and reports the failure', async () => {
    const port = new ModelPort(0);
    await expect(sendBreak(port, 10, noSleep)).rejects.toMatchObject({ code: 'not-supported' });
    expect(port.calls.map((c) => c.brk)).toEqual([true, false]);
  });

  it.each([0, -5, 1.5, 5001, NaN])('refuses a break of %s ms', async (ms) => {
    const port = new ModelPort();
    await expect(sendBreak(port, ms, noSleep)).rejects.toMatchObject({ code: 'invalid-params', message: 'A break lasts from 1 to 5000 ms.' });
    expect(port.calls).toHaveLength(0);
  });
});
