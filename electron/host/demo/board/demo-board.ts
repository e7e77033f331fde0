// The built-in demo board: a simulated device with a shell, telemetry, settings
// and an MCUboot-style update slot. It sits on the far end of a ByteStream (a
// real pty when one can be made), so the host reaches it exactly as it reaches
// a board on a UART.
import { createHash } from 'node:crypto';
import type { ConfigValue } from '../../../contract/config';
import type { ByteStream } from '../../transports/byte-stream';
import { DEMO_DEFAULTS, DEMO_SETTINGS, parseSetting } from './settings';
import { checkImage, type SlotImage } from './firmware-slots';
import { TELEMETRY_CHANNELS, TELEMETRY_MARK, formatTelemetryLine } from './telemetry-format';
import { ymodemReceive } from '../../protocols/xmodem';

export const DEMO_PROMPT = 'demo> ';
const MAX_IMAGE = 4 * 1024 * 1024;

export interface DemoBoardOptions {
  serial: string;
  /** Starting firmware version, as if flashed at the factory. */
  version?: string;
  /** Boot time, to make re-acquisition after reset observable. */
  bootMs?: number;
}

export class DemoBoard {
  private settings: Record<string, ConfigValue> = { ...DEMO_DEFAULTS };
  private saved: Record<string, ConfigValue> = { ...DEMO_DEFAULTS };
  private active: { version: string; sha256: string } ;
  private staged: SlotImage | null = null;
  private line = '';
  private streaming = false;
  private busy = false;
  private timer: NodeJS.Timeout | null = null;
  private bootedAt = Date.now();
  private phase = 0;
  private offData: () => void;
  private booting: NodeJS.Timeout | null = null;

  constructor(private io: ByteStream, private readonly opts: DemoBoardOptions) {
    this.active = { version: opts.version ?? '1.0.0+0', sha256: createHash('sha256').update('factory image').digest('hex') };
    this.offData = io.onData((chunk) => this.input(chunk));
    this.boot();
  }

  /** Moves the board to a new link (the in-process demo gets a fresh pipe per session); its state is kept. */
  attach(io: ByteStream): void {
    this.offData();
    this.io = io;
    this.offData = io.onData((chunk) => this.input(chunk));
    this.line = '';
    this.out(DEMO_PROMPT);
  }

  stop(): void {
    this.offData();
    this.stopStream();
    if (this.timer) clearInterval(this.timer);
    if (this.booting) clearTimeout(this.booting);
    this.timer = null;
  }

  private out(text: string): void {
    if (this.io.isOpen) void this.io.write(Buffer.from(text, 'latin1')).catch(() => {});
  }

  private boot(): void {
    this.busy = true;
    this.streaming = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.out('\r\n\r\nfwbench demo board (simulated)\r\n');
    if (this.staged) {
      this.out(`boot: swapping in staged image ${this.staged.version}\r\n`);
      this.active = { version: this.staged.version, sha256: this.staged.sha256 };
      this.staged = null;
    }
    this.settings = { ...this.saved };
    this.booting = setTimeout(() => {
      this.booting = null;
      this.bootedAt = Date.now();
      this.out(`firmware ${this.active.version} serial ${this.opts.serial}\r\n${DEMO_PROMPT}`);
      this.busy = false;
    }, this.opts.bootMs ?? 300);
  }

  private input(chunk: Uint8Array): void {
    if (this.busy) return;
    for (const byte of chunk) {
      const ch = String.fromCharCode(byte);
      if (ch === '\r' || ch === '\n') {
        if (ch === '\n' && this.lastWasCr) {
          this.lastWasCr = false;
          continue;
        }
        this.lastWasCr = ch === '\r';
        const cmd = this.line.trim();
        this.line = '';
        this.out('\r\n');
        void this.execute(cmd);
        if (this.busy) return;
      } else if (byte === 0x7f || byte === 0x08) {
        if (this.line.length) {
          this.line = this.line.slice(0, -1);
          this.out('\b \b');
        }
      } else if (byte === 0x03) {
        this.line = '';
        this.out(`^C\r\n${DEMO_PROMPT}`);
      } else if (byte >= 0x20 && byte < 0x7f && this.line.length < 256) {
        this.line += ch;
        this.out(ch);
      }
    }
  }
  private lastWasCr = false;

  private async execute(cmd: string): Promise<void> {
    const [verb = '', ...args] = cmd.split(/\s+/).filter(Boolean);
    let reply = '';
    switch (verb) {
      case '':
        break;
      case 'help':
        reply = [
          'help                 this text',
          'version              firmware version',
          'info                 board identity',
          'settings [--json]    list settings',
          'get KEY              read one setting',
          'set KEY VALUE        change a setting (until reset, unless saved)',
          'save                 keep settings across resets',
          'stream on|off        live telemetry',
          'fw info              image slots',
          'fw load              receive an image over YMODEM into the update slot',
          'reboot               reset the board',
        ].join('\r\n');
        break;
      case 'version':
        reply = this.active.version;
        break;
      case 'info':
        reply = [
          `board: fwbench-demo`,
          `serial: ${this.opts.serial}`,
          `firmware: ${this.active.version}`,
          `image_sha256: ${this.active.sha256}`,
          `uptime_ms: ${Date.now() - this.bootedAt}`,
        ].join('\r\n');
        break;
      case 'settings':
        reply =
          args[0] === '--json'
            ? JSON.stringify(DEMO_SETTINGS.map((s) => ({ ...s, value: s.key === 'serial_number' ? this.opts.serial : this.settings[s.key] })))
            : DEMO_SETTINGS.map((s) => `${s.key} = ${s.key === 'serial_number' ? this.opts.serial : this.settings[s.key]}`).join('\r\n');
        break;
      case 'get': {
        const key = args[0] ?? '';
        if (key === 'serial_number') reply = this.opts.serial;
        else reply = key in this.settings ? String(this.settings[key]) : `error: unknown setting '${key}'`;
        break;
      }
      case 'set': {
        const key = args[0] ?? '';
        const r = parseSetting(key, args.slice(1).join(' '));
        if ('error' in r) reply = `error: ${r.error}`;
        else {
          this.settings[key] = r.value;
          reply = 'ok';
        }
        break;
      }
      case 'save':
        this.saved = { ...this.settings };
        reply = 'ok: settings saved';
        break;
      case 'stream':
        if (args[0] === 'on') this.startStream();
        else if (args[0] === 'off') this.stopStream();
        else reply = 'error: stream on|off';
        break;
      case 'reboot':
        this.boot();
        return;
      case 'fw':
        if (args[0] === 'info') {
          reply = [`slot0: ${this.active.version} sha256 ${this.active.sha256} active`, this.staged ? `slot1: ${this.staged.version} sha256 ${this.staged.sha256} pending` : 'slot1: empty'].join('\r\n');
          break;
        }
        if (args[0] === 'load') return this.receiveImage();
        reply = 'error: fw info|load';
        break;
      default:
        reply = `error: unknown command '${verb}' (try help)`;
    }
    this.out(reply ? `${reply}\r\n${DEMO_PROMPT}` : DEMO_PROMPT);
  }

  private async receiveImage(): Promise<void> {
    this.busy = true;
    const wasStreaming = this.streaming;
    this.stopStream();
    this.out(`## Ready for YMODEM download (max ${MAX_IMAGE} bytes)\r\n`);
    let reply: string;
    try {
      const files = await ymodemReceive(this.io);
      const file = files[0];
      if (!file) reply = 'error: no file received';
      else if (file.data.length > MAX_IMAGE) reply = `error: image of ${file.data.length} bytes does not fit the ${MAX_IMAGE}-byte slot`;
      else {
        const check = checkImage(file.data);
        if (!check.ok) reply = `error: image rejected: ${check.reason}`;
        else {
          this.staged = { name: file.name, data: file.data, version: check.version, sha256: check.sha256 };
          reply = `fw: staged ${file.name} version ${check.version} size ${file.data.length} sha256 ${check.sha256}`;
        }
      }
    } catch (e) {
      reply = `error: transfer failed: ${(e as Error).message}`;
    }
    this.busy = false;
    if (wasStreaming) this.startStream();
    this.out(`\r\n${reply}\r\n${DEMO_PROMPT}`);
  }

  private startStream(): void {
    this.streaming = true;
    if (this.timer) return;
    const tickMs = 20;
    let due = 0;
    let last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      due += ((now - last) / 1000) * Number(this.settings.sample_rate_hz);
      last = now;
      let text = '';
      for (; due >= 1; due--) text += formatTelemetryLine(now - this.bootedAt, this.sample());
      if (text) this.out(text);
    }, tickMs);
  }

  private stopStream(): void {
    this.streaming = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Plausible physics: the core rail follows its set point, temperatures follow load and the fan. */
  private sample(): number[] {
    this.phase += 1 / Number(this.settings.sample_rate_hz);
    const p = this.phase;
    const fan = this.settings.fan_mode === 'full' ? -8 : this.settings.fan_mode === 'quiet' ? 6 : 0;
    const noise = () => (Math.random() - 0.5) * 0.02;
    const vcore = Number(this.settings.vcore_mv) / 1000;
    const load = 0.5 + 0.4 * Math.sin(p * 0.7);
    return [
      52 + fan + 10 * load + noise() * 20,
      38 + fan / 2 + 3 * Math.sin(p * 0.1) + noise() * 10,
      12.0 + 0.05 * Math.sin(p * 3) + noise(),
      3.3 + 0.01 * Math.sin(p * 11) + noise() / 4,
      vcore + 0.004 * Math.sin(p * 50) + noise() / 8,
      0.8 + 0.6 * load + noise(),
    ];
  }
}

export { TELEMETRY_CHANNELS, TELEMETRY_MARK };
