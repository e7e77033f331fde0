// Reset and boot-mode sequences on DTR/RTS, as data. Which line drives which
// pin is the board's wiring, so each sequence says the wiring it assumes and
// where it comes from. true = line asserted (TIOCM bit set; on a USB-UART's
// TTL DTR#/RTS# pin that is a LOW level, which is why auto-reset circuits
// invert them).
import type { ModemSequenceName } from '../../contract/catalog/serial';
import { HostError } from '../errors/host-error';

export interface ModemStep {
  /** Unset: the line keeps its state. */
  dtr?: boolean;
  rts?: boolean;
  /** Hold this state for so long before the next step. */
  delayMs: number;
}

export interface ModemSequence {
  name: ModemSequenceName;
  title: string;
  /** The wiring this sequence assumes, in the words of the board's schematic. */
  wiring: string;
  /** Where the timing comes from. */
  source: string;
  steps: readonly ModemStep[];
}

export const MODEM_SEQUENCES: Readonly<Record<ModemSequenceName, ModemSequence>> = {
  'plain-reset-rts': {
    name: 'plain-reset-rts',
    title: 'Reset (pulse RTS)',
    wiring: 'RTS drives the reset pin (active low through an inverter or transistor).',
    source: 'generic; same pulse as esptool HardReset',
    steps: [{ rts: true, delayMs: 100 }, { rts: false, delayMs: 0 }],
  },
  'plain-reset-dtr': {
    name: 'plain-reset-dtr',
    title: 'Reset (pulse DTR, Arduino style)',
    wiring: 'DTR reaches RESET through a 100 nF capacitor: the assert edge resets the MCU.',
    source: 'Arduino auto-reset (avrdude -c arduino toggles DTR/RTS off then on)',
    steps: [{ dtr: false, rts: false, delayMs: 250 }, { dtr: true, rts: true, delayMs: 50 }],
  },
  'esp32-classic-reset': {
    name: 'esp32-classic-reset',
    title: 'ESP32: reset and run the application',
    wiring: 'Classic two-transistor auto-reset: RTS -> EN, DTR -> GPIO0 (DevKitC, NodeMCU).',
    source: 'esptool reset.py HardReset (--after hard_reset)',
    steps: [{ rts: true, delayMs: 100 }, { rts: false, delayMs: 0 }],
  },
  'esp32-bootloader': {
    name: 'esp32-bootloader',
    title: 'ESP32: reset into the ROM download mode',
    wiring: 'Classic two-transistor auto-reset: RTS -> EN, DTR -> GPIO0.',
    source: 'esptool reset.py ClassicReset (--before default_reset), reset_delay 50 ms',
    steps: [
      { dtr: false, rts: true, delayMs: 100 }, // GPIO0 high, EN low: in reset
      { dtr: true, rts: false, delayMs: 50 }, // GPIO0 low, EN high: boots sampling GPIO0 low
      { dtr: false, delayMs: 0 }, // GPIO0 high again, done
    ],
  },
  'esp32-usb-jtag-bootloader': {
    name: 'esp32-usb-jtag-bootloader',
    title: 'ESP32-S3/C3 USB-Serial/JTAG: reset into download mode',
    wiring: 'The chip\'s own USB-Serial/JTAG port reads DTR/RTS as GPIO0/reset requests.',
    source: 'esptool reset.py USBJTAGSerialReset',
    steps: [
      { dtr: false, rts: false, delayMs: 100 },
      { dtr: true, rts: false, delayMs: 100 },
      { dtr: false, rts: true, delayMs: 100 },
      { dtr: false, rts: false, delayMs: 0 },
    ],
  },
  'stm32-boot0-dtr': {
    name: 'stm32-boot0-dtr',
    title: 'STM32: reset into the system bootloader',
    wiring: 'DTR -> BOOT0 (asserted = BOOT0 high), RTS -> NRST (asserted = in reset).',
    source: 'stm32flash -i GPIO sequence style (BOOT0 set, reset pulse, BOOT0 released after the ROM sampled it)',
    steps: [
      { dtr: true, rts: true, delayMs: 100 },
      { rts: false, delayMs: 100 },
      { dtr: false, delayMs: 0 },
    ],
  },
  'stm32-run-rts': {
    name: 'stm32-run-rts',
    title: 'STM32: reset and run from flash',
    wiring: 'DTR -> BOOT0, RTS -> NRST, as for stm32-boot0-dtr.',
    source: 'stm32flash -i exit sequence style (BOOT0 low, reset pulse)',
    steps: [{ dtr: false, rts: true, delayMs: 100 }, { rts: false, delayMs: 0 }],
  },
};

export function findSequence(name: string): ModemSequence {
  const seq = (MODEM_SEQUENCES as Record<string, ModemSequence | undefined>)[name];
  if (!seq) throw new HostError('invalid-params', `There is no reset sequence called "${name}".`, `known: ${Object.keys(MODEM_SEQUENCES).join(', ')}`);
  return seq;
}

export interface ModemLineState {
  dtr: boolean;
  rts: boolean;
}

/** What can drive the modem lines: a SerialPortStream, or a model in tests. Always given both lines (serialport sets both at once). */
export interface ModemControl {
  readonly modemLines: ModemLineState;
  setSignals(signals: ModemLineState & { brk?: boolean }): Promise<void>;
}

export interface SequenceRun {
  name: string;
  /** The line states applied, in order, with how long each was held. */
  applied: Array<ModemLineState & { delayMs: number }>;
}

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });

/**
 * Applies each step (both lines in one ioctl, so no unwanted intermediate
 * state such as EN and GPIO0 both low) and holds it for its delay. The first
 * failure stops the sequence: on a pty that is the first step, and nothing moved.
 */
export async function runModemSequence(port: ModemControl, seq: ModemSequence, opts: { signal?: AbortSignal; sleep?: (ms: number) => Promise<void> } = {}): Promise<SequenceRun> {
  const sleep = opts.sleep ?? ((ms: number) => wait(ms, opts.signal));
  let state: ModemLineState = { ...port.modemLines };
  const applied: SequenceRun['applied'] = [];
  for (const step of seq.steps) {
    if (opts.signal?.aborted) throw new HostError('cancelled', `The "${seq.name}" sequence was cancelled part-way.`, `applied ${applied.length} of ${seq.steps.length} steps`);
    state = { dtr: step.dtr ?? state.dtr, rts: step.rts ?? state.rts };
    await port.setSignals(state);
    applied.push({ ...state, delayMs: step.delayMs });
    await sleep(step.delayMs);
  }
  return { name: seq.name, applied };
}
