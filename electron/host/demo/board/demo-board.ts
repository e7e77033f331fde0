// The built-in demo board: a simulated device with a shell, telemetry, settings
// and MCUboot-style image slots, managed over MCUmgr SMP on the same UART as
// its shell (as Zephyr does: SMP frame lines start with 0x06 0x09 / 0x04 0x14,
// everything else is console input). It sits on the far end of a ByteStream (a
// real pty when one can be made), so the host reaches it exactly as it reaches
// a board on a UART.
import type { ConfigValue } from '../../../contract/config';
import type { ByteStream } from '../../transports/byte-stream';
import { DEMO_DEFAULTS, DEMO_SETTINGS, parseSetting } from './settings';
import { BoardFlash, factoryImage, mcubootVersion, panicsAtBoot } from './firmware-slots';
import { TELEMETRY_CHANNELS, TELEMETRY_MARK, formatTelemetryLine } from './telemetry-format';
import { UartPacer } from './uart-pacing';
import { boardSettingsGroup, boardStatsGroup } from './board-smp-groups';
import { SmpServer, type ResetOutcome, type SmpDeviceProfile } from '../smp-server';
import { GROUP } from '../smp-server/rc';
import { ymodemReceive } from '../../protocols/xmodem';

export const DEMO_PROMPT = 'demo> ';
export const DEMO_BOARD_NAME = 'fwbench-demo';

export interface DemoBoardOptions {
  serial: string;
  /** Starting firmware version (X.Y.Z+B), as if flashed at the factory. Default 1.0.0+0. */
  version?: string;
  /** Boot time, to make re-acquisition after reset observable. */
  bootMs?: number;
  /**
   * Pace the UART like a real link: bytes leave and arrive no faster than this
   * many per second (BAUD_115200_8N1 = 11520). Default: as fast as the transport.
   */
  uartBytesPerSecond?: number;
  /** Frames the SMP server dropped (a device's log). */
  onSmpDiagnostic?: (why: string) => void;
  /** The SMP server's build and limits (group set, buffer, RX pool, boot mode). Default: all groups, 2048 × 4, swap. */
  smp?: Pick<SmpDeviceProfile, 'state' | 'server'>;
}

export class DemoBoard {
  /** The one slot model: SMP image group, shell `fw` commands and boot all use it. */
  readonly flash: BoardFlash;
  private settings: Record<string, ConfigValue> = { ...DEMO_DEFAULTS };
  private saved: Record<string, ConfigValue> = { ...DEMO_DEFAULTS };
  private smp: SmpServer | null = null;
  private line = '';
  private lastWasCr = false;
  private streaming = false;
  private busy = false;
  private receiving = false;
  private halted = false;
  private timer: NodeJS.Timeout | null = null;
  private bootedAt = Date.now();
  private phase = 0;
  private offData: () => void = () => {};
  private booting: NodeJS.Timeout | null = null;
  private readonly tx: UartPacer | null;
  private readonly rx: UartPacer | null;
  private stopped = false;

  constructor(
    private io: ByteStream,
    private readonly opts: DemoBoardOptions,
  ) {
    this.flash = new BoardFlash({
      initialImage: factoryImage(opts.version ?? '1.0.0+0', opts.serial),
      identity: { node: DEMO_BOARD_NAME },
      shell: (argv) => this.shellOverSmp(argv),
      ...opts.smp?.state,
    });
    this.flash.allowReset = () => !this.receiving;
    this.flash.onReset((outcome) => this.boot(outcome));
    const rate = opts.uartBytesPerSecond;
    this.tx = rate ? new UartPacer(rate, (b) => this.transmit(b)) : null;
    this.rx = rate ? new UartPacer(rate, (b) => this.receive(b)) : null;
    this.listen(io);
    this.boot('power-on');
  }

  /** Moves the board to a new link (the in-process demo gets a fresh pipe per session); its state is kept. */
  attach(io: ByteStream): void {
    this.io = io;
    this.listen(io);
    this.line = '';
    this.rx?.clear();
    if (!this.busy) {
      this.smp = this.newSmpServer();
      this.out(DEMO_PROMPT);
    }
  }

  /** Running firmware (MCUboot's X.Y.Z+B). */
  get version(): string {
    return mcubootVersion(this.flash.running);
  }

  stop(): void {
    this.stopped = true;
    this.offData();
    this.stopStream();
    this.smp?.dispose();
    this.tx?.stop();
    this.rx?.stop();
    if (this.booting) clearTimeout(this.booting);
    this.booting = null;
  }

  private listen(io: ByteStream): void {
    this.offData();
    this.offData = io.onData((chunk) => (this.rx ? this.rx.push(chunk) : this.receive(chunk)));
  }

  // ---- UART ----

  private out(text: string): void {
    this.send(Buffer.from(text, 'latin1'));
  }

  private send(bytes: Uint8Array): void {
    if (this.tx) this.tx.push(bytes);
    else this.transmit(bytes);
  }

  private transmit(bytes: Uint8Array): void {
    this.flash.bumpStat('uart', 'tx_bytes', bytes.length);
    if (this.io.isOpen) void this.io.write(bytes).catch(() => {});
  }

  private receive(chunk: Uint8Array): void {
    this.flash.bumpStat('uart', 'rx_bytes', chunk.length);
    // While booting nothing runs; during `fw load` the YMODEM receiver owns the line.
    if (this.busy || this.receiving || !this.smp) return;
    this.smp.feed(chunk);
  }

  private newSmpServer(): SmpServer {
    this.smp?.dispose();
    const server = new SmpServer(this.flash, {
      ...this.opts.smp?.server,
      send: (b) => this.send(b),
      onConsole: (b) => this.consoleInput(b),
      onDiagnostic: (why) => {
        this.flash.bumpStat('smp', 'dropped_frames');
        this.opts.onSmpDiagnostic?.(why);
      },
    });
    server.registerGroup(
      GROUP.SETTINGS,
      boardSettingsGroup({
        get: (key) => (key === 'serial_number' ? this.opts.serial : this.settings[key]),
        set: (key, text) => {
          const r = parseSetting(key, text);
          if ('error' in r) return r.error;
          this.settings[key] = r.value;
          return null;
        },
        save: () => (this.saved = { ...this.settings }),
        load: () => (this.settings = { ...this.saved }),
      }),
    );
    server.registerGroup(GROUP.STAT, boardStatsGroup(() => this.refreshStats()));
    return server;
  }

  private refreshStats(): void {
    const sys = this.flash.stats.get('system');
    sys?.set('uptime_s', Math.floor((Date.now() - this.bootedAt) / 1000));
    sys?.set('boots', this.flash.bootCount);
  }

  // ---- boot ----

  /** Runs after every reset (shell `reboot`, SMP os reset, watchdog) once MCUboot has swapped or reverted. */
  private boot(outcome: ResetOutcome | 'power-on'): void {
    if (this.stopped) return;
    this.busy = true;
    this.halted = false;
    this.stopStream();
    this.smp?.dispose();
    this.smp = null;
    if (this.booting) clearTimeout(this.booting);
    this.flash.bumpStat('system', outcome === 'power-on' ? 'power_ons' : 'resets');
    this.flash.bumpStat('telemetry', 'samples_sent', 0);
    this.out('\r\n\r\nfwbench demo board (simulated)\r\n');
    if (this.flash.lastErase) this.out(`boot: the image in slot 1 failed validation (${this.flash.lastErase}); erased\r\n`);
    if (outcome === 'swapped-test') this.out(`boot: swapped in test image ${this.version} (reverts at the next reset unless confirmed)\r\n`);
    else if (outcome === 'swapped-permanent') this.out(`boot: swapped in image ${this.version} permanently\r\n`);
    else if (outcome === 'reverted') this.out(`boot: image not confirmed; reverted to ${this.version}\r\n`);
    this.settings = { ...this.saved };
    this.booting = setTimeout(() => {
      this.booting = null;
      this.bootedAt = Date.now();
      this.out(`firmware ${this.version} serial ${this.opts.serial}\r\n`);
      if (panicsAtBoot(this.flash.running)) return this.panic();
      this.smp = this.newSmpServer();
      this.out(DEMO_PROMPT);
      this.busy = false;
    }, this.opts.bootMs ?? 300);
  }

  /** The application faulted during start-up: the watchdog resets, and MCUboot reverts an unconfirmed image. */
  private panic(): void {
    this.flash.bumpStat('system', 'panics');
    this.out('panic: application fault during start-up\r\n');
    if (this.flash.activeConfirmed) {
      // A confirmed image that cannot start: nothing to revert to. What forcing a confirm risks.
      this.halted = true;
      this.out('halted: the confirmed image cannot start; recover the board with a debug probe\r\n');
      return;
    }
    this.booting = setTimeout(() => {
      this.booting = null;
      this.out('watchdog: reset\r\n');
      this.flash.reset();
    }, 50);
  }

  // ---- shell ----

  private consoleInput(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (this.busy) return;
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
        this.execute(cmd);
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

  private execute(cmd: string): void {
    const [verb = '', ...args] = cmd.split(/\s+/).filter(Boolean);
    if (verb === 'reboot') {
      this.flash.reset();
      return;
    }
    if (verb === 'fw' && args[0] === 'load') {
      void this.receiveImage();
      return;
    }
    const reply = this.reply(verb, args);
    this.out(reply ? `${reply}\r\n${DEMO_PROMPT}` : DEMO_PROMPT);
  }

  /** SMP shell group: the same commands, output returned instead of printed. */
  private shellOverSmp(argv: string[]): { output: string; ret: number } {
    const [verb = '', ...args] = argv;
    if (verb === 'reboot' || (verb === 'fw' && args[0] === 'load')) return { output: `${verb}: use the SMP ${verb === 'reboot' ? 'os reset' : 'image upload'} command\n`, ret: -95 };
    const text = this.reply(verb, args);
    return { output: text.replace(/\r\n/g, '\n') + (text ? '\n' : ''), ret: text.startsWith('error') ? -22 : 0 };
  }

  private reply(verb: string, args: string[]): string {
    switch (verb) {
      case '':
        return '';
      case 'help':
        return [
          'help                 this text',
          'version              firmware version',
          'info                 board identity',
          'settings [--json]    list settings',
          'get KEY              read one setting',
          'set KEY VALUE        change a setting (until reset, unless saved)',
          'save                 keep settings across resets',
          'stream on|off        live telemetry',
          'fw info              image slots',
          'fw load              receive an image over YMODEM into slot 1',
          'fw test              run slot 1 at the next reset (reverts unless confirmed)',
          'fw confirm           keep the running image',
          'reboot               reset the board',
          '(MCUmgr SMP requests are answered on this UART too)',
        ].join('\r\n');
      case 'version':
        return this.version;
      case 'info':
        return [
          `board: ${DEMO_BOARD_NAME}`,
          `serial: ${this.opts.serial}`,
          `firmware: ${this.version}`,
          `image_sha256: ${Buffer.from(this.flash.running.hash).toString('hex')}`,
          `confirmed: ${this.flash.activeConfirmed}`,
          `uptime_ms: ${Date.now() - this.bootedAt}`,
        ].join('\r\n');
      case 'settings': {
        const value = (key: string) => (key === 'serial_number' ? this.opts.serial : this.settings[key]);
        return args[0] === '--json'
          ? JSON.stringify(DEMO_SETTINGS.map((s) => ({ ...s, value: value(s.key) })))
          : DEMO_SETTINGS.map((s) => `${s.key} = ${value(s.key)}`).join('\r\n');
      }
      case 'get': {
        const key = args[0] ?? '';
        if (key === 'serial_number') return this.opts.serial;
        return key in this.settings ? String(this.settings[key]) : `error: unknown setting '${key}'`;
      }
      case 'set': {
        const key = args[0] ?? '';
        const r = parseSetting(key, args.slice(1).join(' '));
        if ('error' in r) return `error: ${r.error}`;
        this.settings[key] = r.value;
        return 'ok';
      }
      case 'save':
        this.saved = { ...this.settings };
        return 'ok: settings saved';
      case 'stream':
        if (args[0] === 'on') this.startStream();
        else if (args[0] === 'off') this.stopStream();
        else return 'error: stream on|off';
        return '';
      case 'fw':
        return this.fwCommand(args[0]);
      default:
        return `error: unknown command '${verb}' (try help)`;
    }
  }

  private fwCommand(sub: string | undefined): string {
    const f = this.flash;
    const hex = (h: Uint8Array) => Buffer.from(h).toString('hex');
    if (sub === 'info') {
      const [s0, s1] = f.slots;
      return [
        `slot0: ${mcubootVersion(s0)} sha256 ${hex(s0.hash)} active${f.activeConfirmed ? ' confirmed' : ' trial'}`,
        s1 ? `slot1: ${mcubootVersion(s1)} sha256 ${hex(s1.hash)}${f.pending === 'none' ? '' : f.pending === 'test' ? ' pending-test' : ' pending-permanent'}` : 'slot1: empty',
      ].join('\r\n');
    }
    if (sub === 'test') {
      if (!f.slots[1]) return 'error: slot 1 is empty';
      f.pending = 'test';
      return `ok: ${mcubootVersion(f.slots[1])} runs at the next reset, on trial`;
    }
    if (sub === 'confirm') {
      f.activeConfirmed = true;
      return `ok: ${this.version} confirmed`;
    }
    return 'error: fw info|load|test|confirm';
  }

  private async receiveImage(): Promise<void> {
    this.receiving = true;
    const wasStreaming = this.streaming;
    this.stopStream();
    this.out(`## Ready for YMODEM download (max ${this.flash.slotSize} bytes)\r\n`);
    let reply: string;
    try {
      const file = (await ymodemReceive(this.io))[0];
      if (!file) reply = 'error: no file received';
      else {
        const r = this.flash.stage(file.data);
        reply = r.ok ? `fw: staged ${file.name} version ${r.version} size ${file.data.length} sha256 ${r.sha256} in slot 1 (fw test to run it)` : `error: image rejected: ${r.reason}`;
      }
    } catch (e) {
      reply = `error: transfer failed: ${(e as Error).message}`;
    }
    this.receiving = false;
    if (wasStreaming) this.startStream();
    this.out(`\r\n${reply}\r\n${DEMO_PROMPT}`);
  }

  // ---- telemetry ----

  private startStream(): void {
    this.streaming = true;
    if (this.timer) return;
    const tickMs = 20;
    let due = 0;
    let last = Date.now();
    // Each sample carries its own time, as a sampling board's would, not the time of the write.
    let sampleAt = last - this.bootedAt;
    this.timer = setInterval(() => {
      const now = Date.now();
      const rate = Number(this.settings.sample_rate_hz);
      due += ((now - last) / 1000) * rate;
      last = now;
      let text = '';
      let lines = 0;
      for (; due >= 1; due--, lines++) {
        sampleAt = Math.max(sampleAt + 1000 / rate, now - this.bootedAt - 1000);
        text += formatTelemetryLine(Math.round(sampleAt * 1000) / 1000, this.sample());
      }
      if (!text) return;
      this.flash.bumpStat('telemetry', 'lines_sent', lines);
      this.flash.bumpStat('telemetry', 'samples_sent', lines * TELEMETRY_CHANNELS.length);
      this.out(text);
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
