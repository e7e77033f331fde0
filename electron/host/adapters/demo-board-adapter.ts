// The host side of the built-in demo board. One UART carries three things: SMP
// frames (split out first, by the SMP client's decoder), telemetry records
// (split from what is left, into batches) and the shell (driven by prompt).
// Firmware goes over SMP with safe activation (firmware/update-flow.ts).
import { configRead, configWrite, deviceInfo, deviceReset, telemetryStream } from '../../contract/catalog/common';
import type { ConfigEntry, ConfigValue } from '../../contract/config';
import type { ByteStream } from '../transports/byte-stream';
import { StreamReader, latin1 } from '../transports/stream-reader';
import { TapStream } from '../transports/tap-stream';
import { HostError } from '../errors/host-error';
import { ConsoleCapture } from '../console/console-capture';
import { MarkedLineSplitter } from './telemetry-splitter';
import { TelemetryBatcher } from './telemetry-batcher';
import { consoleCommands } from '../console/console-commands';
import { bind, type AdapterSink, type BoundCommand, type DeviceAdapter } from './device-adapter';
import { DEMO_BOARD_NAME } from '../demo/board/demo-board';
import { TELEMETRY_CHANNELS, TELEMETRY_MARK } from '../demo/board/telemetry-format';
import { SmpClient } from '../protocols/smp';
import { smpCommandBindings } from '../firmware/smp-command-bindings';
import { SmpAdapterSeat, type SmpUpdateDevice } from '../firmware/smp-adapter-seat';
import { PollController } from '../telemetry-sources/poll-controller';
import { planSmpStatsPoll } from '../telemetry-sources/smp-stats-reader';
import { DEFAULT_POLL_INTERVAL_MS } from '../../contract/catalog/telemetry-poll';

const PROMPT_RE = /demo> $/;
const BANNER_RE = /firmware \S+ serial \S+\r?\n/;
const COMMAND_TIMEOUT_MS = 5000;
const BOOT_TIMEOUT_MS = 15000;

export class DemoBoardAdapter implements DeviceAdapter, SmpUpdateDevice {
  readonly protocol = 'demo-board';
  private tap: TapStream;
  private reader: StreamReader;
  private splitter = new MarkedLineSplitter(TELEMETRY_MARK);
  private telemetry: TelemetryBatcher;
  readonly smp: SmpClient;
  readonly board = DEMO_BOARD_NAME;
  private readonly seat: SmpAdapterSeat;
  private queue: Promise<unknown> = Promise.resolve();
  /** SMP stats polled as telemetry (telemetry.poll). */
  private readonly polls: PollController;

  private constructor(
    private readonly link: ByteStream,
    private readonly capture: ConsoleCapture,
    sink: AdapterSink,
    sessionId: string,
  ) {
    this.tap = new TapStream(link);
    this.reader = new StreamReader(this.tap);
    this.telemetry = new TelemetryBatcher(sessionId, TELEMETRY_CHANNELS, sink.emit);
    // SMP frames are taken off the wire first; everything else is console + telemetry.
    this.smp = new SmpClient(link, { onConsole: (bytes) => this.consoleBytes(bytes) });
    this.polls = new PollController({ emit: sink.emit, report: (text) => capture.note(text) });
    // Registered last, as the link's close listener was before: the SMP client hears of a close first.
    this.seat = new SmpAdapterSeat(this, { link, capture, sink, sessionId, onLinkClose: (reason) => this.tap.end(reason) });
  }

  static async open(link: ByteStream, capture: ConsoleCapture, sink: AdapterSink, sessionId: string): Promise<DemoBoardAdapter> {
    const a = new DemoBoardAdapter(link, capture, sink, sessionId);
    await a.seat.open(() => a.ready());
    return a;
  }

  identity(): Record<string, string> {
    return this.seat.identity();
  }

  private consoleBytes(bytes: Uint8Array): void {
    const { console: text, records } = this.splitter.feed(latin1(bytes));
    for (const r of records) this.telemetry.addRecord(r);
    if (text) {
      this.capture.push(text);
      this.tap.push(Buffer.from(text, 'latin1'));
    }
  }

  /** Console work one at a time (shell commands, waiting for a boot). */
  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** One shell command; returns what it printed before the next prompt. */
  private shell(command: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<string> {
    return this.exclusive(async () => {
      this.reader.drain();
      await this.link.write(Buffer.from(command + '\r', 'latin1'));
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { before } = await this.reader.expect(PROMPT_RE, Math.max(1, deadline - Date.now()));
        const lines = before.replace(/\r/g, '').split('\n');
        // The board echoes what we typed; a prompt without our echo is an older one.
        const idx = lines.findIndex((l) => l.endsWith(command));
        if (idx >= 0) return lines.slice(idx + 1).join('\n').trim();
      }
    });
  }

  /** Waits until the board's shell answers (it may still be booting when the link opens). */
  private async ready(): Promise<void> {
    const deadline = Date.now() + BOOT_TIMEOUT_MS;
    for (;;) {
      this.reader.drain();
      await this.link.write(Buffer.from('\r', 'latin1'));
      try {
        await this.reader.expect(PROMPT_RE, 1000);
        return;
      } catch (e) {
        if (Date.now() > deadline || !this.link.isOpen) throw new HostError('timeout', 'The board did not show its prompt. Is it powered and on this port?', (e as Error).message);
      }
    }
  }

  async refreshIdentity(): Promise<Record<string, string>> {
    const info = await this.shell('info');
    const map: Record<string, string> = {};
    for (const line of info.split('\n')) {
      const m = /^(\w+):\s*(.*)$/.exec(line.trim());
      if (m) map[m[1]] = m[2];
    }
    if (map.board !== DEMO_BOARD_NAME) throw new HostError('protocol-error', 'The device did not answer like the demo board.', info.slice(0, 200));
    return this.seat.publishIdentity({ board: map.board, serial: map.serial, firmware: map.firmware, image_sha256: map.image_sha256 });
  }

  private async readConfig(): Promise<ConfigEntry[]> {
    const text = await this.shell('settings --json');
    try {
      return JSON.parse(text) as ConfigEntry[];
    } catch {
      throw new HostError('protocol-error', 'The board sent settings fwbench could not read.', text.slice(0, 200));
    }
  }

  commands(): readonly BoundCommand[] {
    return [
      bind(deviceInfo, async () => this.refreshIdentity()),
      bind(configRead, async () => ({ entries: await this.readConfig() })),
      bind(configWrite, async (p) => {
        const before = Object.fromEntries((await this.readConfig()).map((e) => [e.key, e.value]));
        const applied: { key: string; before: ConfigValue | undefined; after: ConfigValue | null }[] = [];
        for (const [key, value] of Object.entries(p.changes)) {
          if (value === null) throw new HostError('not-supported', `The demo board cannot delete settings ("${key}").`);
          const reply = await this.shell(`set ${key} ${String(value)}`);
          if (reply !== 'ok') throw new HostError('device-error', `The board refused ${key}: ${reply.replace(/^error:\s*/, '')}`, `applied before the refusal: ${applied.map((a) => a.key).join(', ') || 'none'}`);
          applied.push({ key, before: before[key], after: value });
        }
        if (p.save) {
          const reply = await this.shell('save');
          if (!reply.startsWith('ok')) throw new HostError('device-error', 'The board did not save its settings.', reply);
        }
        return { applied, backup: before, saved: p.save ?? false };
      }),
      bind(deviceReset, async () => this.reboot()),
      ...consoleCommands(this.link, this.capture),
      bind(telemetryStream, async (p) => {
        const reply = await this.shell(`stream ${p.on ? 'on' : 'off'}`);
        if (reply.startsWith('error')) throw new HostError('device-error', reply);
        return { on: p.on, channels: TELEMETRY_CHANNELS };
      }),
      // firmware.upload, firmware.update and smp.*: over SMP, with safe activation.
      ...smpCommandBindings(this.seat.updateTarget()),
      ...this.polls.commands((p, signal) => planSmpStatsPoll(() => this.smp, p, signal, p.intervalMs ?? DEFAULT_POLL_INTERVAL_MS)),
    ];
  }

  /** Shell `reboot`: the board runs the same MCUboot swap/revert as an SMP reset. */
  private async reboot(): Promise<Record<string, string>> {
    await this.exclusive(async () => {
      this.reader.drain();
      await this.link.write(Buffer.from('reboot\r', 'latin1'));
      await this.waitForBoot();
    });
    return this.refreshIdentity();
  }

  /** Banner, then the prompt: a board whose new image faults prints a banner, resets and boots again before its prompt. */
  private async waitForBoot(): Promise<void> {
    await this.reader.expect(BANNER_RE, BOOT_TIMEOUT_MS);
    await this.reader.expect(PROMPT_RE, BOOT_TIMEOUT_MS);
  }

  /** SMP os reset, then wait for the board to boot; if the link drops meanwhile, its successor is waited for instead. */
  async smpResetAndWait(signal: AbortSignal): Promise<void> {
    await this.exclusive(async () => {
      this.reader.drain();
      await this.smp.reset({ signal });
      await this.waitForBoot();
    });
  }

  async close(): Promise<void> {
    this.seat.retire();
    await this.polls.close();
    this.smp.close();
    this.telemetry.dispose();
    this.reader.dispose();
    this.capture.flush();
    await this.link.close();
  }
}
