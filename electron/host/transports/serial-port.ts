import { stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import type { ByteStream } from './byte-stream';
import { HostError } from '../errors/host-error';

export interface LineSettings {
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  parity?: 'none' | 'even' | 'odd' | 'mark' | 'space';
  stopBits?: 1 | 1.5 | 2;
  /** Hardware (RTS/CTS) or software (XON/XOFF) flow control. */
  flowControl?: 'none' | 'rtscts' | 'xonxoff';
}

type FullLine = Required<LineSettings>;

function fill(s: LineSettings): FullLine {
  return { baudRate: s.baudRate, dataBits: s.dataBits ?? 8, parity: s.parity ?? 'none', stopBits: s.stopBits ?? 1, flowControl: s.flowControl ?? 'none' };
}

/** Explains an open failure the way a Linux user can act on it. */
export function explainOpenError(path: string, err: Error): HostError {
  const msg = err.message;
  if (/ENOENT|No such file/i.test(msg))
    return new HostError(
      'unknown-device',
      `The port ${path} does not exist. Is the board plugged in? \`dmesg | tail\` shows the tty it got; /dev/serial/by-id/ names stay the same across replugs.`,
      msg,
    );
  if (/EACCES|Permission denied/i.test(msg))
    return new HostError(
      'permission-denied',
      `No permission to open ${path}. Add yourself to the dialout group (sudo usermod -aG dialout $USER, then log in again) or install fwbench's udev rules.`,
      msg,
    );
  if (/EBUSY|Resource busy|lock/i.test(msg))
    return new HostError(
      'device-busy',
      `${path} is in use by another program (\`fuser -v ${path}\` names it). Close it (ModemManager often grabs new USB serial ports: sudo systemctl stop ModemManager, or add ID_MM_DEVICE_IGNORE=1 in a udev rule).`,
      msg,
    );
  if (/ENOTTY|Inappropriate ioctl/i.test(msg)) return new HostError('not-supported', `${path} is not a serial port or terminal.`, msg);
  return new HostError('io-error', `Could not open ${path}.`, msg);
}

async function openPort(path: string, s: FullLine): Promise<SerialPort> {
  const port = new SerialPort({
    path,
    baudRate: s.baudRate,
    dataBits: s.dataBits,
    parity: s.parity,
    stopBits: s.stopBits,
    rtscts: s.flowControl === 'rtscts',
    xon: s.flowControl === 'xonxoff',
    xoff: s.flowControl === 'xonxoff',
    // Exclusive (flock) so two sessions never share a UART.
    lock: true,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(explainOpenError(path, err)) : resolve())));
  // Without a listener an 'error' event would crash the process.
  port.on('error', () => {});
  return port;
}

/** How often the device node is checked for an unplug the read loop missed. */
const PRESENCE_CHECK_MS = 1000;

/**
 * A serial port (or pty) as a ByteStream. Listeners belong to the stream, not
 * to the OS port underneath, so a reopen for new line settings keeps them.
 *
 * Unplug detection: serialport notices a hangup only when a read fails. After
 * the kernel hangs a tty up (a USB adapter pulled, a pty's master closed) reads
 * return 0 bytes, which @serialport/bindings-cpp's unixRead retries forever, so
 * the close never comes (seen on about half of pty unplugs). The stream also
 * checks every second that the device node is still there and still the same
 * node (inode) it opened, and ends itself as unplugged when not.
 */
export class SerialPortStream implements ByteStream {
  private closing = false;
  private reopening = false;
  private ended = false;
  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>();
  private readonly closeListeners = new Set<(reason?: Error) => void>();
  // Linux raises DTR and RTS when a tty is opened.
  private lines = { dtr: true, rts: true };
  private presence: NodeJS.Timeout | null = null;

  private constructor(
    private port: SerialPort,
    readonly path: string,
    private settings: FullLine,
  ) {
    this.attach(port);
  }

  static async open(path: string, settings: LineSettings = { baudRate: 115200 }): Promise<SerialPortStream> {
    const full = fill(settings);
    const port = await openPort(path, full);
    const s = new SerialPortStream(port, path, full);
    await s.watchPresence();
    return s;
  }

  private async watchPresence(): Promise<void> {
    const first = await stat(this.path).catch(() => null);
    if (!first) return;
    this.presence = setInterval(() => {
      if (this.ended || this.reopening) return;
      stat(this.path).then(
        (now) => {
          if (now.ino !== first.ino || now.rdev !== first.rdev) this.unplugged('the device node was replaced (unplugged and plugged back)');
        },
        (e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT' || e.code === 'ENODEV') this.unplugged('the device node disappeared (unplugged)');
        },
      );
    }, PRESENCE_CHECK_MS);
    this.presence.unref();
  }

  /** Ends the stream as a lost link and closes the OS port (which also stops serialport's read loop). */
  private unplugged(why: string): void {
    if (this.ended || this.closing) return;
    this.ended = true;
    this.stopPresence();
    const reason = new Error(`${this.path}: ${why}`);
    for (const l of [...this.closeListeners]) l(reason);
    if (this.port.isOpen) this.port.close(() => {});
  }

  private stopPresence(): void {
    if (this.presence) clearInterval(this.presence);
    this.presence = null;
  }

  private attach(port: SerialPort): void {
    port.on('data', (b: Buffer) => {
      const chunk = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      for (const l of this.dataListeners) l(chunk);
    });
    port.on('close', (err?: Error & { disconnected?: boolean }) => {
      if (this.reopening || this.ended) return;
      this.ended = true;
      this.stopPresence();
      const reason = this.closing ? undefined : (err ?? new Error('port closed'));
      for (const l of [...this.closeListeners]) l(reason);
    });
  }

  get isOpen(): boolean {
    return !this.ended && this.port.isOpen;
  }

  /** The settings the port is open with now. */
  get line(): FullLine {
    return { ...this.settings };
  }

  /** DTR/RTS as last set by fwbench (the kernel does not report them back on every driver). */
  get modemLines(): { dtr: boolean; rts: boolean } {
    return { ...this.lines };
  }

  /**
   * Resolves once the kernel has the bytes (write(2) done), not when they have
   * left the wire: waiting for tcdrain on every write costs a thread-pool round
   * trip per YMODEM block. drain() waits for the wire where that matters
   * (before a settings change).
   */
  write(data: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(new HostError('device-gone', `${this.path} is closed.`));
    const port = this.port;
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength), (err) => {
        if (err) return reject(new HostError('io-error', `Writing to ${this.path} failed.`, err.message));
        resolve();
      });
    });
  }

  /** Waits until everything written has been sent on the wire (tcdrain). */
  drain(): Promise<void> {
    if (!this.isOpen) return Promise.resolve();
    return new Promise((resolve, reject) => this.port.drain((e) => (e ? reject(new HostError('io-error', `Writing to ${this.path} failed.`, e.message)) : resolve())));
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (reason?: Error) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /**
   * DTR/RTS/break for reset and boot-mode sequences; a pty has no modem lines
   * and says so. serialport fills every unset flag with its default (DTR and
   * RTS asserted, break off), so the lines not named keep their last state here.
   */
  async setSignals(signals: { dtr?: boolean; rts?: boolean; brk?: boolean }): Promise<void> {
    const next = { dtr: signals.dtr ?? this.lines.dtr, rts: signals.rts ?? this.lines.rts };
    await new Promise<void>((resolve, reject) =>
      this.port.set({ ...next, brk: signals.brk ?? false }, (err) =>
        err ? reject(new HostError('not-supported', `${this.path} does not support modem control lines or break (a pty, or a cable without them).`, err.message)) : resolve(),
      ),
    );
    this.lines = next;
  }

  async update(settings: Pick<LineSettings, 'baudRate'>): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.port.update({ baudRate: settings.baudRate }, (err) => (err ? reject(new HostError('io-error', 'Could not change the baud rate.', err.message)) : resolve())),
    );
    this.settings = { ...this.settings, baudRate: settings.baudRate };
  }

  /**
   * Applies new line settings. The baud rate changes in place; anything else
   * closes and reopens the port (serialport cannot change termios otherwise),
   * keeping every listener. When the reopen fails the old settings are tried
   * again; if even that fails the stream ends as if unplugged.
   */
  async reconfigure(settings: LineSettings): Promise<{ reopened: boolean }> {
    const next = fill(settings);
    const cur = this.settings;
    if (!this.isOpen) throw new HostError('device-gone', `${this.path} is closed.`);
    // Bytes still queued would go out with the new settings: let them leave first.
    await this.drain();
    const reopen = next.dataBits !== cur.dataBits || next.parity !== cur.parity || next.stopBits !== cur.stopBits || next.flowControl !== cur.flowControl;
    if (!reopen) {
      if (next.baudRate !== cur.baudRate) await this.update({ baudRate: next.baudRate });
      return { reopened: false };
    }
    this.reopening = true;
    try {
      const old = this.port;
      old.removeAllListeners('data');
      await new Promise<void>((resolve) => old.close(() => resolve()));
      old.removeAllListeners('close');
      try {
        this.port = await openPort(this.path, next);
        this.settings = next;
      } catch (e) {
        try {
          this.port = await openPort(this.path, cur);
        } catch {
          this.reopening = false;
          this.ended = true;
          this.stopPresence();
          for (const l of [...this.closeListeners]) l(e as Error);
          throw e;
        }
        this.attach(this.port);
        throw e;
      }
      this.attach(this.port);
      this.lines = { dtr: true, rts: true };
      return { reopened: true };
    } finally {
      this.reopening = false;
    }
  }

  async close(): Promise<void> {
    this.stopPresence();
    if (!this.isOpen) return;
    this.closing = true;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}

