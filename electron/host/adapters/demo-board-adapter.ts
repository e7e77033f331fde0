// The host side of the built-in demo board: its shell driven by prompt, its
// telemetry records turned into batches, its update slot fed over YMODEM.
import { configRead, configWrite, consoleHistory, consoleWrite, deviceInfo, deviceReset, firmwareUpload, telemetryStream } from '../../contract/catalog/common';
import type { ConfigEntry, ConfigValue } from '../../contract/config';
import type { ByteStream } from '../transports/byte-stream';
import { StreamReader, latin1 } from '../transports/stream-reader';
import { TapStream } from '../transports/tap-stream';
import { HostError } from '../errors/host-error';
import { ConsoleCapture } from '../console/console-capture';
import { MarkedLineSplitter } from './telemetry-splitter';
import { TelemetryBatcher } from './telemetry-batcher';
import { bind, type AdapterSink, type BoundCommand, type DeviceAdapter } from './device-adapter';
import { DEMO_PROMPT } from '../demo/board/demo-board';
import { TELEMETRY_CHANNELS, TELEMETRY_MARK } from '../demo/board/telemetry-format';
import { ymodemSend } from '../protocols/xmodem';
import { inspectImage } from '../firmware/inspect-image';

const PROMPT_RE = /demo> $/;
const COMMAND_TIMEOUT_MS = 5000;
const BOOT_TIMEOUT_MS = 15000;

export class DemoBoardAdapter implements DeviceAdapter {
  readonly protocol = 'demo-board';
  private tap: TapStream;
  private reader: StreamReader;
  private splitter = new MarkedLineSplitter(TELEMETRY_MARK);
  private telemetry: TelemetryBatcher;
  private queue: Promise<unknown> = Promise.resolve();
  private ident: Record<string, string> = {};
  private offs: (() => void)[] = [];
  private closing = false;

  private constructor(
    private readonly link: ByteStream,
    private readonly capture: ConsoleCapture,
    private readonly sink: AdapterSink,
    sessionId: string,
  ) {
    this.tap = new TapStream(link);
    this.reader = new StreamReader(this.tap);
    this.telemetry = new TelemetryBatcher(sessionId, TELEMETRY_CHANNELS, sink.emit);
    this.offs.push(
      link.onData((chunk) => {
        const { console: text, records } = this.splitter.feed(latin1(chunk));
        for (const r of records) this.telemetry.addRecord(r);
        if (text) {
          capture.push(text);
          this.tap.push(Buffer.from(text, 'latin1'));
        }
      }),
      link.onClose((reason) => {
        this.tap.end(reason);
        if (!this.closing) {
          capture.note(`link lost: ${reason?.message ?? 'closed'}`);
          sink.lost(reason ?? new Error('link closed'));
        }
      }),
    );
  }

  static async open(link: ByteStream, capture: ConsoleCapture, sink: AdapterSink, sessionId: string): Promise<DemoBoardAdapter> {
    const a = new DemoBoardAdapter(link, capture, sink, sessionId);
    try {
      await a.ready();
      await a.refreshIdentity();
    } catch (e) {
      await a.close();
      throw e;
    }
    return a;
  }

  identity(): Record<string, string> {
    return { ...this.ident };
  }

  /** One shell command at a time; returns what it printed before the next prompt. */
  private shell(command: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<string> {
    const run = async () => {
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
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
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
        if (Date.now() > deadline) throw new HostError('timeout', 'The board did not show its prompt. Is it powered and on this port?', (e as Error).message);
      }
    }
  }

  private async refreshIdentity(): Promise<Record<string, string>> {
    const info = await this.shell('info');
    const map: Record<string, string> = {};
    for (const line of info.split('\n')) {
      const m = /^(\w+):\s*(.*)$/.exec(line.trim());
      if (m) map[m[1]] = m[2];
    }
    if (map.board !== 'fwbench-demo') throw new HostError('protocol-error', 'The device did not answer like the demo board.', info.slice(0, 200));
    const next = { board: map.board, serial: map.serial, firmware: map.firmware, image_sha256: map.image_sha256 };
    const changed = JSON.stringify(next) !== JSON.stringify(this.ident);
    this.ident = next;
    if (changed) this.sink.identityChanged(next);
    return next;
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
      bind(consoleWrite, async (p) => {
        await this.link.write(Buffer.from(p.data, 'utf8'));
        return { sent: Buffer.byteLength(p.data) };
      }),
      bind(consoleHistory, async (p) => ({ text: this.capture.history(p.maxBytes) })),
      bind(telemetryStream, async (p) => {
        const reply = await this.shell(`stream ${p.on ? 'on' : 'off'}`);
        if (reply.startsWith('error')) throw new HostError('device-error', reply);
        return { on: p.on, channels: TELEMETRY_CHANNELS };
      }),
      bind(firmwareUpload, async (p, ctx) => this.update(p, ctx.job!)),
    ];
  }

  private async reboot(): Promise<Record<string, string>> {
    const run = async () => {
      this.reader.drain();
      await this.link.write(Buffer.from('reboot\r', 'latin1'));
      await this.reader.expect(/firmware \S+ serial \S+\r?\n/, BOOT_TIMEOUT_MS);
      await this.reader.expect(PROMPT_RE, BOOT_TIMEOUT_MS);
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    await p;
    return this.refreshIdentity();
  }

  private async update(p: { name: string; data: Uint8Array; activate?: boolean }, job: import('../jobs/job-engine').JobHandle): Promise<unknown> {
    const image = await job.step('Check image', async () => {
      const meta = inspectImage(p.data, p.name);
      if (meta.format !== 'mcuboot') throw new HostError('verification-failed', `${p.name} is not an MCUboot image, which is what this board boots.`, `detected format: ${meta.format}`);
      return meta;
    });
    const staged = await job.step('Transfer', async () => {
      const run = async () => {
        this.reader.drain();
        // The sender listens before the command is typed, so the board's first 'C' is not missed.
        await ymodemSend(this.link, [{ name: p.name.replace(/[^\w.-]/g, '_'), data: p.data }], {
          beforeStart: () => this.link.write(Buffer.from('fw load\r', 'latin1')),
          signal: job.signal,
          onProgress: (x) => job.progress(x.sent, x.total),
        });
        const { before } = await this.reader.expect(PROMPT_RE, 30_000);
        return before;
      };
      const q = this.queue.then(run, run);
      this.queue = q.catch(() => undefined);
      return q;
    });
    await job.step('Verify', async () => {
      const m = /fw: staged \S+ version (\S+) size (\d+) sha256 ([0-9a-f]{64})/.exec(staged);
      if (!m) throw new HostError('verification-failed', 'The board did not accept the image.', /error:[^\r\n]*/.exec(staged)?.[0] ?? staged.slice(-200));
      // The board hashes what MCUboot hashes (header, body, protected TLVs): compare with the hash the image carries.
      const hostSha = image.embeddedHash;
      if (m[3] !== hostSha) throw new HostError('verification-failed', 'The image the board received differs from the one sent.', `board ${m[3]} host ${hostSha}`);
      if (m[1] !== image.version) throw new HostError('verification-failed', `The board read version ${m[1]} from the image; fwbench read ${image.version}.`);
    });
    if (p.activate === false) {
      job.skip('Activate', 'activation not requested: the image runs after the next reset');
      return { staged: image.version, active: this.ident.firmware };
    }
    const after = await job.step('Activate and re-acquire', async () => this.reboot());
    await job.step('Check version', async () => {
      if (after.firmware !== image.version) throw new HostError('verification-failed', `After the reset the board runs ${after.firmware}, not ${image.version}. It may have reverted to the old image.`);
    });
    return { previous: image.version === after.firmware ? undefined : after.firmware, active: after.firmware, sha256: image.sha256 };
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const off of this.offs) off();
    this.telemetry.dispose();
    this.reader.dispose();
    this.capture.flush();
    await this.link.close();
  }
}
