// Commands every serial session offers, whatever speaks on the port (a plain
// console, U-Boot, SMP): the host's line settings, the modem lines as named
// reset/boot sequences, and a break.
import { z } from 'zod';
import { defineCommand } from '../commands';

/** Baud rates a Linux UART driver or USB-serial bridge can be asked for (termios accepts any through BOTHER). */
export const lineSettingsSchema = z
  .object({
    baudRate: z.number().int().min(50).max(12_000_000),
    dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).optional(),
    parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).optional(),
    stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]).optional(),
    flowControl: z.enum(['none', 'rtscts', 'xonxoff']).optional(),
  })
  .strict();
export type LineSettingsParams = z.output<typeof lineSettingsSchema>;

/** Names of the built-in DTR/RTS sequences (the table itself lives in the host: electron/host/serial/modem-sequences.ts). */
export const MODEM_SEQUENCE_NAMES = [
  'plain-reset-rts',
  'plain-reset-dtr',
  'esp32-classic-reset',
  'esp32-bootloader',
  'esp32-usb-jtag-bootloader',
  'stm32-boot0-dtr',
  'stm32-run-rts',
] as const;
export type ModemSequenceName = (typeof MODEM_SEQUENCE_NAMES)[number];

/**
 * Reads (no params) or changes the host's side of the line. Declared
 * 'reads-device' because the board is not touched: only how the host's UART
 * samples the wire changes. A change that needs the port reopened (anything
 * but the baud rate: serialport can only update the speed in place) can pulse
 * DTR on close (HUPCL) and so reset boards with an auto-reset circuit; the host
 * raises the effects to 'resets-device' for those calls.
 */
export const serialSettings = defineCommand({
  id: 'serial.settings',
  title: 'Serial line settings',
  summary: "Shows or changes the host's baud rate, data bits, parity, stop bits and flow control for this port.",
  scope: 'configuration',
  effects: ['reads-device'],
  params: z.object({ line: lineSettingsSchema.partial().optional() }).strict(),
});

export const serialSequence = defineCommand({
  id: 'serial.sequence',
  title: 'Run a reset/boot sequence',
  summary: 'Drives DTR and RTS through a named sequence (reset, enter the ROM bootloader) the way the board wires them.',
  scope: 'configuration',
  effects: ['resets-device'],
  params: z.object({ name: z.enum(MODEM_SEQUENCE_NAMES) }).strict(),
});

/**
 * A break is console input the board may act on: Linux and U-Boot serial
 * consoles read break + a key as Magic SysRq (reboot, crash dump), so it needs
 * the same scope as typing.
 */
export const serialBreak = defineCommand({
  id: 'serial.break',
  title: 'Send a break',
  summary: 'Holds the TX line low for the given time. Linux consoles read a break followed by a key as Magic SysRq.',
  scope: 'debug-write',
  effects: ['raw-console-input'],
  params: z.object({ ms: z.number().int().min(1).max(5000) }).strict(),
});

export const SERIAL_COMMANDS = [serialSettings, serialSequence, serialBreak] as const;
