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

/** Explains an open failure the way a Linux user can act on it. */
export function explainOpenError(path: string, err: Error): HostError {
  const msg = err.message;
  if (/ENOENT|No such file/i.test(msg)) return new HostError('unknown-device', `The port ${path} does not exist. Is the board plugged in?`, msg);
  if (/EACCES|Permission denied/i.test(msg))
    return new HostError(
      'permission-denied',
      `No permission to open ${path}. Add yourself to the dialout group (sudo usermod -aG dialout $USER, then log in again) or install fwbench's udev rules.`,
      msg,
    );
  if (/EBUSY|Resource busy|lock/i.test(msg))
    return new HostError(
      'device-busy',
      `${path} is in use by another program. Close it (ModemManager often grabs new USB serial ports: sudo systemctl stop ModemManager, or add ID_MM_DEVICE_IGNORE=1 in a udev rule).`,
      msg,
    );
  return new HostError('io-error', `Could not open ${path}.`, msg);
}

/** A serial port (or pty) as a ByteStream. */
export class SerialPortStream implements ByteStream {
  private closing = false;
  private constructor(private readonly port: SerialPort, readonly path: string) {}

  static async open(path: string, settings: LineSettings = { baudRate: 115200 }): Promise<SerialPortStream> {
    const port = new SerialPort({
      path,
      baudRate: settings.baudRate,
      dataBits: settings.dataBits ?? 8,
      parity: settings.parity ?? 'none',
      stopBits: settings.stopBits ?? 1,
      rtscts: settings.flowControl === 'rtscts',
      xon: settings.flowControl === 'xonxoff',
      xoff: settings.flowControl === 'xonxoff',
      // Exclusive so two sessions never share a UART.
      lock: true,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(explainOpenError(path, err)) : resolve())));
    // Without a listener an 'error' event would crash the process.
    port.on('error', () => {});
    return new SerialPortStream(port, path);
  }

  get isOpen(): boolean {
    return this.port.isOpen;
  }

  write(data: Uint8Array): Promise<void> {
    if (!this.port.isOpen) return Promise.reject(new HostError('device-gone', `${this.path} is closed.`));
    return new Promise((resolve, reject) => {
      this.port.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength), (err) => {
        if (err) return reject(new HostError('io-error', `Writing to ${this.path} failed.`, err.message));
        this.port.drain((e) => (e ? reject(new HostError('io-error', `Writing to ${this.path} failed.`, e.message)) : resolve()));
      });
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    const l = (b: Buffer) => listener(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    this.port.on('data', l);
    return () => this.port.off('data', l);
  }

  onClose(listener: (reason?: Error) => void): () => void {
    const l = (err?: Error & { disconnected?: boolean }) => listener(this.closing ? undefined : (err ?? new Error('port closed')));
    this.port.on('close', l);
    return () => this.port.off('close', l);
  }

  /** DTR/RTS for reset and boot-mode sequences; a pty has no modem lines and says so. */
  async setSignals(signals: { dtr?: boolean; rts?: boolean; brk?: boolean }): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.port.set(signals, (err) =>
        err ? reject(new HostError('not-supported', `${this.path} does not support modem control lines (a pty or a cable without them).`, err.message)) : resolve(),
      ),
    );
  }

  async update(settings: Pick<LineSettings, 'baudRate'>): Promise<void> {
    await new Promise<void>((resolve, reject) => this.port.update({ baudRate: settings.baudRate }, (err) => (err ? reject(new HostError('io-error', 'Could not change the baud rate.', err.message)) : resolve())));
  }

  async close(): Promise<void> {
    if (!this.port.isOpen) return;
    this.closing = true;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}
