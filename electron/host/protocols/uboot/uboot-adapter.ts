// U-Boot over its serial console: find it, read what it knows (version,
// bdinfo, env), change the env safely (quoted, read back, backed up first),
// load an image with YMODEM and prove it arrived (CRC-32 on both sides), and
// write it to NOR flash by a per-board recipe with read-back checks.
// Every public method takes the console for itself (ConsoleRunner.exclusive).
import type { ByteStream } from '../../transports/byte-stream';
import { HostError } from '../../errors/host-error';
import { ConsoleRunner, type AutobootResult } from '../console';
import { ymodemSend } from '../xmodem';
import { crc32, crc32Hex } from './crc32';
import { deleteEnvCommand, setenvCommand, checkEnvName } from './env-quoting';
import { flashPlan, hex, type FlashRecipe } from './flash-recipe';
import {
  findBanner,
  parseBdinfo,
  parseCmpResult,
  parseCrc32Line,
  parseLoadSummary,
  parsePrintenv,
  parsePrintenvOne,
  parseReadyLine,
  parseVersion,
  type BoardInfo,
  type UBootEnv,
  type UBootVersion,
} from './uboot-text';

export interface UBootAdapterOptions {
  prompt?: string;
  /** Default per-command timeout (ms). */
  timeoutMs?: number;
  /** The countdown line, for boards with a custom (keyed) autoboot. */
  stopPattern?: RegExp;
  autobootKey?: string;
  /**
   * CONFIG_SYS_CBSIZE - 1 of the board. Default 255: U-Boot's own default
   * CBSIZE is 256 (qemu-riscv64 keeps it; qemu_arm64 has 512), and a longer line
   * would be cut silently by a board with the smaller buffer.
   */
  maxLineLength?: number;
}

export interface StepProgress {
  step: string;
  bytes: number;
  total: number;
}
export type ProgressFn = (p: StepProgress) => void;

export interface DetectResult {
  detected: boolean;
  /** The board answered at its prompt (and is left there). */
  atPrompt: boolean;
  /** A running autoboot countdown was stopped to get there. */
  stoppedAutoboot: boolean;
  version?: UBootVersion;
  /** What the board printed, when nothing matched (for the operator). */
  evidence?: string;
}

/** Where the board keeps its environment, and whether `saveenv` can make changes stick. */
export interface EnvStorage {
  saveable: boolean;
  /** From the boot log's "Loading Environment from X..." (Flash, MMC, nowhere...) when it was seen. */
  location?: string;
  /** Why it cannot be saved (for the operator). */
  reason?: string;
}

export interface EnvBackup {
  takenAt: string;
  /** printenv output as the board printed it (LF line ends). */
  text: string;
  vars: Map<string, string>;
}

/** name -> new value, or null to delete. Applied in the given order. */
export type EnvChanges = Array<{ name: string; value: string | null }> | Record<string, string | null>;

export interface LoadResult {
  loadAddr: number;
  size: number;
  crc: number;
  durationMs: number;
}

export interface FlashResult {
  flashAddr: number;
  size: number;
  crc: number;
  sectorsErased: number;
  /** The board was reset and came back with the same flash contents. */
  resetVerified: boolean;
}

const SAVE_TIMEOUT_MS = 60_000;
const FLASH_TIMEOUT_MS = 180_000;
const CTRL_C = '\x03';

export class UBootAdapter {
  private readonly stopPattern: RegExp;
  private readonly key: string;
  private readonly timeoutMs: number;
  private envLocation: string | undefined;
  private storage: EnvStorage | undefined;
  private bdinfo: BoardInfo | null | undefined;

  constructor(
    readonly console: ConsoleRunner,
    opts: UBootAdapterOptions = {},
  ) {
    this.stopPattern = opts.stopPattern ?? /Hit any key to stop autoboot/;
    this.key = opts.autobootKey ?? ' ';
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** A runner with U-Boot's prompt and line limit on `stream`, and the adapter over it. */
  static over(stream: ByteStream, opts: UBootAdapterOptions = {}): UBootAdapter {
    const runner = new ConsoleRunner(stream, { prompt: opts.prompt ?? '=> ', maxLineLength: opts.maxLineLength ?? 255, timeoutMs: opts.timeoutMs });
    return new UBootAdapter(runner, opts);
  }

  private lock<T>(fn: () => Promise<T>): Promise<T> {
    return this.console.exclusive(fn);
  }

  /**
   * Is U-Boot on this console? Pokes with Ctrl-C (clears a half-typed line and
   * never repeats a command, unlike Enter), stops a running countdown, and asks
   * `version`. Works for a board that is booting and one already at `=> `;
   * leaves the board at its prompt.
   */
  detect(opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<DetectResult> {
    return this.lock(async () => {
      const timeoutMs = opts.timeoutMs ?? 5_000;
      let stoppedAutoboot = false;
      try {
        const r = await this.console.interruptAutoboot({ stopPattern: this.stopPattern, key: this.key, timeoutMs, signal: opts.signal, poke: CTRL_C });
        stoppedAutoboot = r.interrupted;
        this.noteBootLog(r.bootLog);
      } catch (err) {
        const e = HostError.from(err);
        if (e.code !== 'timeout') throw e;
        const evidence = this.console.transcript.tail(300);
        // A banner without a prompt is U-Boot that is busy (booting an OS, stuck in a command).
        return { detected: findBanner(evidence) !== undefined, atPrompt: false, stoppedAutoboot: false, evidence };
      }
      await this.sync(opts.signal);
      const out = await this.console.run('version', { timeoutMs: this.timeoutMs, signal: opts.signal });
      try {
        return { detected: true, atPrompt: true, stoppedAutoboot, version: parseVersion(out.output) };
      } catch {
        return { detected: false, atPrompt: true, stoppedAutoboot, evidence: out.output.slice(0, 300) };
      }
    });
  }

  /** Remembers what the boot log says about the environment's storage. */
  private noteBootLog(log: string): void {
    const m = /Loading Environment from (\S+?)\.\.\./.exec(log);
    if (m && m[1] !== this.envLocation) {
      this.envLocation = m[1];
      this.storage = undefined;
    }
  }

  /**
   * Can this board save its environment? A U-Boot built with the environment
   * "nowhere" has no `saveenv` at all; one that booted saying "Loading
   * Environment from nowhere" cannot keep anything either. Asked once (`help saveenv`).
   */
  envStorage(): Promise<EnvStorage> {
    return this.lock(() => this.envStorageUnlocked());
  }

  private async envStorageUnlocked(): Promise<EnvStorage> {
    if (this.storage) return this.storage;
    let hasSaveenv = true;
    try {
      await this.exec('help saveenv');
    } catch (err) {
      if (HostError.from(err).code !== 'not-supported') throw err;
      hasSaveenv = false;
    }
    const location = this.envLocation;
    const where = location ? ` (it booted with "Loading Environment from ${location}")` : '';
    if (location === 'nowhere')
      this.storage = { saveable: false, location, reason: `This board keeps its U-Boot environment nowhere${where}: changes last only until the next reset and cannot be saved.` };
    else if (!hasSaveenv)
      this.storage = { saveable: false, ...(location ? { location } : {}), reason: `This U-Boot has no saveenv command, so it has no storage for its environment${where}: changes last only until the next reset.` };
    else this.storage = { saveable: true, ...(location ? { location } : {}) };
    return this.storage;
  }

  /** Ctrl-C at the prompt: throws away stray input (a second autoboot key) and resynchronises. */
  private async sync(signal?: AbortSignal): Promise<void> {
    await this.console.pressUntilPrompt(CTRL_C, undefined, this.timeoutMs, signal);
    this.console.takeUnsolicited();
  }

  version(): Promise<UBootVersion> {
    return this.lock(async () => parseVersion((await this.console.run('version', { timeoutMs: this.timeoutMs })).output));
  }

  boardInfo(): Promise<BoardInfo> {
    return this.lock(async () => parseBdinfo((await this.console.run('bdinfo', { timeoutMs: this.timeoutMs })).output));
  }

  readEnv(): Promise<UBootEnv> {
    return this.lock(async () => (await this.readEnvText()).env);
  }

  private async readEnvText(): Promise<{ text: string; env: UBootEnv }> {
    const { output } = await this.console.run('printenv', { timeoutMs: this.timeoutMs });
    return { text: output, env: parsePrintenv(output) };
  }

  /** One variable, or undefined when it is not set. */
  async getEnv(name: string): Promise<string | undefined> {
    checkEnvName(name);
    return this.lock(() => this.getEnvUnlocked(name));
  }

  private async getEnvUnlocked(name: string): Promise<string | undefined> {
    const { output } = await this.console.run(`printenv ${name}`, { timeoutMs: this.timeoutMs });
    return parsePrintenvOne(name, output);
  }

  /** Sets a variable in RAM (saveEnv() makes it stick) and reads it back to prove U-Boot stored exactly `value`. */
  async setEnv(name: string, value: string): Promise<void> {
    const command = setenvCommand(name, value);
    return this.lock(() => this.setEnvUnlocked(name, value, command));
  }

  private async setEnvUnlocked(name: string, value: string, command = setenvCommand(name, value)): Promise<void> {
    const { output, status } = await this.exec(command);
    if (status !== 0) throw new HostError('device-error', `U-Boot refused to set "${name}".`, output);
    const back = await this.getEnvUnlocked(name);
    if (back !== value)
      throw new HostError('verification-failed', `U-Boot stored a different value for "${name}" than was sent.`, `sent ${JSON.stringify(value)}, read back ${JSON.stringify(back)}`);
  }

  async deleteEnv(name: string): Promise<void> {
    const command = deleteEnvCommand(name);
    return this.lock(() => this.deleteEnvUnlocked(name, command));
  }

  private async deleteEnvUnlocked(name: string, command = deleteEnvCommand(name)): Promise<void> {
    const { output, status } = await this.exec(command);
    if (status !== 0) throw new HostError('device-error', `U-Boot refused to delete "${name}".`, output);
    if ((await this.getEnvUnlocked(name)) !== undefined) throw new HostError('verification-failed', `"${name}" is still set after deleting it.`);
  }

  /** `saveenv`; U-Boot ends a good save with OK. */
  saveEnv(): Promise<{ output: string }> {
    return this.lock(() => this.saveEnvUnlocked());
  }

  private async saveEnvUnlocked(): Promise<{ output: string }> {
    const storage = await this.envStorageUnlocked();
    if (!storage.saveable) throw new HostError('not-supported', storage.reason ?? 'This board cannot save its environment.');
    const { output } = await this.console.run('saveenv', { timeoutMs: SAVE_TIMEOUT_MS });
    if (!/(^|\n)OK\s*$/.test(output)) throw new HostError('device-error', 'U-Boot could not save its environment.', output);
    return { output };
  }

  /** The whole environment as text with the time it was taken; the caller stores it. */
  backupEnv(): Promise<EnvBackup> {
    return this.lock(() => this.backupEnvUnlocked());
  }

  private async backupEnvUnlocked(): Promise<EnvBackup> {
    const { text, env } = await this.readEnvText();
    return { takenAt: new Date().toISOString(), text, vars: env.vars };
  }

  /**
   * Backs the env up, then applies each change (set or delete, each read back),
   * then saves when asked. Every change is checked before anything is sent. On a
   * failure part-way the error says which changes were already applied; the
   * backup was handed to `onBackup` before the first one.
   */
  async applyEnvDiff(
    changes: EnvChanges,
    opts: { save?: boolean; onBackup?: (b: EnvBackup) => void | Promise<void>; onProgress?: ProgressFn } = {},
  ): Promise<{ backup: EnvBackup; applied: string[]; saved: boolean }> {
    const list = Array.isArray(changes) ? changes : Object.entries(changes).map(([name, value]) => ({ name, value }));
    const commands = list.map((c) => (c.value === null ? deleteEnvCommand(c.name) : setenvCommand(c.name, c.value)));
    return this.lock(async () => {
      // Refused before the first change: a save that cannot happen must not leave half a diff in RAM.
      if (opts.save) {
        const storage = await this.envStorageUnlocked();
        if (!storage.saveable) throw new HostError('not-supported', storage.reason ?? 'This board cannot save its environment.', 'nothing was changed');
      }
      const backup = await this.backupEnvUnlocked();
      await opts.onBackup?.(backup);
      const applied: string[] = [];
      for (const [i, c] of list.entries()) {
        opts.onProgress?.({ step: `env ${c.name}`, bytes: i, total: list.length });
        try {
          if (c.value === null) {
            if (backup.vars.has(c.name)) await this.deleteEnvUnlocked(c.name, commands[i]);
          } else await this.setEnvUnlocked(c.name, c.value, commands[i]);
        } catch (err) {
          const e = HostError.from(err);
          throw new HostError(e.code, e.message, `${e.detail ?? ''}; already applied (not saved): ${applied.join(', ') || 'none'}`);
        }
        applied.push(c.name);
      }
      opts.onProgress?.({ step: 'env', bytes: list.length, total: list.length });
      if (opts.save) await this.saveEnvUnlocked();
      return { backup, applied, saved: !!opts.save };
    });
  }

  /** Runs any command; `status` is U-Boot's `$?` for it (0 = success). */
  runCommand(command: string, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<{ output: string; status: number }> {
    return this.lock(() => this.exec(command, opts.timeoutMs, opts.signal));
  }

  /** Runs `command` followed by an echo of its exit status, and splits the two. */
  private async exec(command: string, timeoutMs = this.timeoutMs, signal?: AbortSignal): Promise<{ output: string; status: number }> {
    const { output } = await this.console.run(`${command}; echo ::rc=$?::`, { timeoutMs, signal });
    const m = /(?:^|\n)::rc=(\d+)::$/.exec(output);
    if (!m) throw new HostError('protocol-error', `U-Boot did not report how "${command}" ended.`, output.slice(-200));
    const text = output.slice(0, m.index);
    if (/^Unknown command '/m.test(text)) throw new HostError('not-supported', `This U-Boot has no "${command.split(/\s/)[0]}" command.`, text);
    return { output: text, status: Number(m[1]) };
  }

  /** U-Boot's CRC-32 of `len` bytes at `addr` (RAM or memory-mapped flash). */
  crc32(addr: number, len: number): Promise<number> {
    return this.lock(() => this.crc32Unlocked(addr, len));
  }

  private async crc32Unlocked(addr: number, len: number, signal?: AbortSignal): Promise<number> {
    if (!(Number.isInteger(len) && len > 0)) throw new HostError('invalid-params', 'The CRC length must be a positive whole number of bytes.', String(len));
    const { output } = await this.exec(`crc32 ${addr.toString(16)} ${len.toString(16)}`, this.timeoutMs * 3, signal);
    const r = parseCrc32Line(output);
    if (r.start !== addr || r.end !== addr + len - 1)
      throw new HostError('protocol-error', 'U-Boot computed the CRC over a different range than asked.', output);
    return r.crc;
  }

  /**
   * Uploads `image` with `loady` (YMODEM) and proves it arrived: the size U-Boot
   * reports and its CRC-32 over the loaded bytes must match the host's.
   */
  loadY(image: Uint8Array, opts: { name?: string; loadAddr?: number; onProgress?: ProgressFn; signal?: AbortSignal } = {}): Promise<LoadResult> {
    return this.lock(() => this.loadYUnlocked(image, opts));
  }

  private async loadYUnlocked(image: Uint8Array, opts: { name?: string; loadAddr?: number; onProgress?: ProgressFn; signal?: AbortSignal }): Promise<LoadResult> {
    if (image.length === 0) throw new HostError('invalid-params', 'The image is empty.');
    const started = Date.now();
    const addr = opts.loadAddr ?? (await this.defaultLoadAddr());
    if (addr !== undefined) await this.checkRamFit(addr, image.length);
    const hostCrc = crc32(image);
    const command = addr === undefined ? 'loady' : `loady ${addr.toString(16)}`;
    // Not run(): loady shows no prompt until the upload ends. Our reader keeps the
    // board's first 'C' (sent right after the Ready line) for the sender.
    this.console.takeUnsolicited();
    await this.console.send(command);
    const ready = await this.console.expect(/## Ready for binary \(\w+\) download to 0x[0-9a-fA-F]+ at \d+ bps[^\n]*\n/, this.timeoutMs, opts.signal);
    const info = parseReadyLine(ready.match[0]);
    if (!info) throw new HostError('protocol-error', 'U-Boot did not get ready for the download.', ready.match[0]);
    if (addr === undefined) {
      // Only now is the address known: stop the download (CAN x5) before a byte is sent if it does not fit.
      try {
        await this.checkRamFit(info.loadAddr, image.length);
      } catch (err) {
        await this.console.sendKeys('\x18'.repeat(5));
        await this.console.expectPrompt(10_000).catch(() => undefined);
        throw err;
      }
    }
    opts.onProgress?.({ step: 'upload', bytes: 0, total: image.length });
    try {
      await this.console.takeOver((stream, reader) =>
        ymodemSend(stream, [{ name: opts.name ?? 'image.bin', data: image }], {
          reader,
          signal: opts.signal,
          onProgress: (p) => opts.onProgress?.({ step: 'upload', bytes: p.sent, total: p.total }),
        }),
      );
    } catch (err) {
      const e = HostError.from(err);
      // The sender told U-Boot to stop (CAN x5); get the prompt back so the console stays usable.
      if (e.code !== 'device-gone' && this.console.isOpen) await this.console.expectPrompt(10_000).catch(() => undefined);
      throw e;
    }
    const done = await this.console.expectPrompt(this.timeoutMs, opts.signal);
    const summary = parseLoadSummary(done.before);
    if (summary.size !== image.length)
      throw new HostError('verification-failed', `U-Boot received ${summary.size} bytes but the image has ${image.length}.`, done.before.trim());
    if (summary.startAddr !== info.loadAddr)
      throw new HostError('protocol-error', 'U-Boot stored the download at an unexpected address.', `${hex(summary.startAddr)} != ${hex(info.loadAddr)}`);
    opts.onProgress?.({ step: 'verify-load', bytes: 0, total: image.length });
    const boardCrc = await this.crc32Unlocked(info.loadAddr, image.length, opts.signal);
    if (boardCrc !== hostCrc)
      throw new HostError('verification-failed', 'The image in the board\'s RAM is not the one sent (CRC-32 differs).', `board ${crc32Hex(boardCrc)}, host ${crc32Hex(hostCrc)}`);
    opts.onProgress?.({ step: 'verify-load', bytes: image.length, total: image.length });
    return { loadAddr: info.loadAddr, size: image.length, crc: hostCrc, durationMs: Date.now() - started };
  }

  /** Where `loady` should put an image: the board's `loadaddr`, else its `kernel_addr_r`; undefined leaves it to U-Boot's built-in default. */
  private async defaultLoadAddr(): Promise<number | undefined> {
    for (const name of ['loadaddr', 'kernel_addr_r']) {
      const v = await this.getEnvUnlocked(name);
      if (v === undefined) continue;
      const n = Number(/^0x/i.test(v.trim()) ? v.trim() : `0x${v.trim()}`);
      if (Number.isSafeInteger(n) && n >= 0) return n;
    }
    return undefined;
  }

  /** bdinfo, read once per connection; null when this U-Boot has none fwbench can read. */
  private async cachedBdinfo(): Promise<BoardInfo | null> {
    if (this.bdinfo !== undefined) return this.bdinfo;
    try {
      this.bdinfo = parseBdinfo((await this.console.run('bdinfo', { timeoutMs: this.timeoutMs })).output);
    } catch (err) {
      const e = HostError.from(err);
      if (e.code !== 'protocol-error' && e.code !== 'not-supported') throw e;
      this.bdinfo = null;
    }
    return this.bdinfo;
  }

  /**
   * Refuses a load that would not land in the board's RAM (bdinfo's DRAM banks)
   * or would overwrite what U-Boot reserved for itself (bdinfo's lmb reserved
   * ranges: its own code, stack, heap and device tree at the top of RAM).
   */
  private async checkRamFit(addr: number, len: number): Promise<void> {
    const bd = await this.cachedBdinfo();
    if (!bd) return;
    const end = addr + len; // exclusive
    const range = `${hex(addr)}..${hex(end - 1)}`;
    const banks = bd.dramBanks.map((b) => ({ start: Number(b.start), size: Number(b.size) })).filter((b) => Number.isFinite(b.start) && b.size > 0);
    if (banks.length && !banks.some((b) => addr >= b.start && end <= b.start + b.size))
      throw new HostError('invalid-params', `The image (${len} bytes at ${range}) does not fit in the board's RAM.`, `DRAM: ${banks.map((b) => `${hex(b.start)}+${hex(b.size)}`).join(', ')}`);
    for (const [key, value] of bd.fields) {
      if (!/(^|\.)reserved\[\d+\]$/.test(key)) continue;
      const m = /^\[(0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\]/.exec(value);
      if (!m) continue;
      const [rs, re] = [Number(m[1]), Number(m[2])];
      if (addr <= re && end - 1 >= rs)
        throw new HostError('invalid-params', `The image (${len} bytes at ${range}) would overwrite memory U-Boot reserved for itself (${m[1]}-${m[2]}).`, 'choose a smaller image or another loadaddr');
    }
  }

  /**
   * Writes `image` to NOR flash following `recipe`: load to RAM and check its
   * CRC (nothing is erased or written if that fails), unprotect, erase whole
   * sectors, copy, then check the flash by CRC-32 and byte compare against the
   * RAM copy; optionally reset and check the board comes back with the image intact.
   */
  async flashWrite(image: Uint8Array, recipe: FlashRecipe, opts: { onProgress?: ProgressFn; signal?: AbortSignal } = {}): Promise<FlashResult> {
    const align = recipe.writeAlign ?? 1;
    const writeLen = Math.ceil(image.length / align) * align;
    const plan = flashPlan(recipe, writeLen);
    const report = opts.onProgress ?? (() => {});
    return this.lock(async () => {
      const len = image.length;
      const load = await this.loadYUnlocked(image, { loadAddr: recipe.ramAddr, onProgress: report, signal: opts.signal });
      const ram = load.loadAddr;
      const range = `${plan.eraseStart.toString(16)} ${plan.eraseEnd.toString(16)}`;
      const step = async (name: string, command: string, check: (output: string) => string | null, timeoutMs = FLASH_TIMEOUT_MS) => {
        if (opts.signal?.aborted) throw new HostError('cancelled', 'The flash write was cancelled.', `before ${name}`);
        report({ step: name, bytes: 0, total: len });
        const { output, status } = await this.exec(command, timeoutMs, opts.signal);
        const problem = status !== 0 ? `exit status ${status}` : check(output);
        if (problem) throw new HostError('device-error', `Flash step "${name}" failed on the board.`, `${command}: ${problem}; ${output.trim().slice(-300)}`);
        report({ step: name, bytes: len, total: len });
        return output;
      };
      if (recipe.unprotect)
        await step('unprotect', `protect off ${range}`, (o) => (/Un-Protected \d+ sectors/.test(o) ? null : 'no "Un-Protected" confirmation'));
      await step('erase', `erase ${range}`, (o) => {
        const m = /Erased (\d+) sectors/.exec(o);
        if (!m) return 'no "Erased" confirmation';
        return Number(m[1]) === plan.sectors ? null : `erased ${m[1]} sectors, expected ${plan.sectors}`;
      });
      if (writeLen > len) {
        const pad = await this.exec(`mw.b ${(ram + len).toString(16)} ff ${(writeLen - len).toString(16)}`, this.timeoutMs, opts.signal);
        if (pad.status !== 0) throw new HostError('device-error', 'Could not pad the image in RAM to the flash bus width.', pad.output);
      }
      await step('write', `cp.b ${ram.toString(16)} ${recipe.flashAddr.toString(16)} ${writeLen.toString(16)}`, (o) =>
        /Copy to Flash\.\.\. done/.test(o) ? null : 'no "Copy to Flash... done"',
      );
      report({ step: 'verify-crc', bytes: 0, total: len });
      const flashCrc = await this.crc32Unlocked(recipe.flashAddr, len, opts.signal);
      if (flashCrc !== load.crc)
        throw new HostError('verification-failed', 'The flash does not hold the image after writing (CRC-32 differs).', `flash ${crc32Hex(flashCrc)}, image ${crc32Hex(load.crc)}`);
      report({ step: 'verify-crc', bytes: len, total: len });
      report({ step: 'verify-compare', bytes: 0, total: len });
      const cmp = parseCmpResult((await this.exec(`cmp.b ${recipe.flashAddr.toString(16)} ${ram.toString(16)} ${len.toString(16)}`, FLASH_TIMEOUT_MS, opts.signal)).output);
      if (cmp.same !== len)
        throw new HostError('verification-failed', 'The flash differs from the loaded image.', cmp.firstDifference ?? `${cmp.same} of ${len} bytes matched`);
      report({ step: 'verify-compare', bytes: len, total: len });
      let resetVerified = false;
      if (recipe.resetAfter) {
        report({ step: 'reset', bytes: 0, total: len });
        await this.resetUnlocked(opts.signal);
        const again = await this.crc32Unlocked(recipe.flashAddr, len, opts.signal);
        if (again !== load.crc) throw new HostError('verification-failed', 'After the reset the flash no longer holds the image.', `flash ${crc32Hex(again)}`);
        resetVerified = true;
        report({ step: 'reset', bytes: len, total: len });
      }
      return { flashAddr: recipe.flashAddr, size: len, crc: load.crc, sectorsErased: plan.sectors, resetVerified };
    });
  }

  /** `reset`, then waits for the banner, stops autoboot and waits for the prompt. */
  reset(opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<AutobootResult & { version: string }> {
    return this.lock(() => this.resetUnlocked(opts.signal, opts.timeoutMs));
  }

  private async resetUnlocked(signal?: AbortSignal, timeoutMs = 60_000): Promise<AutobootResult & { version: string }> {
    this.console.takeUnsolicited();
    await this.console.send('reset');
    await this.console.expect(/reset\r?\n/, this.timeoutMs, signal);
    const r = await this.console.interruptAutoboot({ stopPattern: this.stopPattern, key: this.key, timeoutMs, signal });
    this.noteBootLog(r.bootLog);
    const banner = findBanner(r.bootLog);
    if (!banner) throw new HostError('protocol-error', 'The board did not come back with a U-Boot banner after the reset.', r.bootLog.slice(-300));
    await this.sync(signal);
    return { ...r, version: banner.version };
  }
}
