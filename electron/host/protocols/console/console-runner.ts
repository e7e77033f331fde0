// Drives a line-oriented console (boot loader, shell) over a ByteStream: send a
// line, wait for a pattern or the prompt, run a command and get its output.
// One StreamReader stays attached for the runner's whole life, so bytes that
// arrive between commands are kept (and reported) instead of lost, and every
// byte also lands in a timestamped transcript for the console panel.
import type { ByteStream } from '../../transports/byte-stream';
import { StreamReader, latin1 } from '../../transports/stream-reader';
import { HostError } from '../../errors/host-error';
import { ConsoleTranscript } from './console-transcript';
import { escapeRegExp, normalizeNewlines, promptPattern, stripTrailingPrompt } from './console-text';

const KEY_REPEAT_MS = 1_500;

export interface ConsoleRunnerOptions {
  /** The shell prompt, e.g. '=> ' for U-Boot. A string matches at the start of a line; a RegExp is used as given. */
  prompt: string | RegExp;
  /** What ends a line we send; U-Boot and most shells take CR like a terminal sends it. */
  eol?: string;
  /** Default timeout of run()/expect() in ms. */
  timeoutMs?: number;
  /** Longest command line the target accepts (U-Boot: CONFIG_SYS_CBSIZE - 1); longer ones are refused before sending. */
  maxLineLength?: number;
  /**
   * Pace writes for targets without flow control: send `chunk` bytes, then wait
   * `delayMs`. Not needed on ptys/QEMU (back-pressure); real UARTs with a small
   * RX FIFO may drop characters of long lines without it.
   */
  pacing?: { chunk: number; delayMs: number };
  transcriptLines?: number;
}

export interface RunOptions {
  prompt?: string | RegExp;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RunResult {
  /** What the command printed between its echo and the next prompt; LF line ends, no trailing newline. */
  output: string;
  /** Text the board printed on its own before the command was sent (kept, not lost). */
  unsolicited: string;
  durationMs: number;
}

export interface AutobootOptions {
  stopPattern?: RegExp;
  /** Key (or keyed-autoboot string) that stops the countdown. */
  key?: string;
  prompt?: string | RegExp;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Keys to send every 1.5 s while waiting for the countdown or the prompt, for a
   * board that may sit silently at its prompt already (U-Boot: Ctrl-C, which also
   * stops a countdown and never repeats a command). Default: send nothing.
   */
  poke?: string;
}

export interface AutobootResult {
  /** True when a countdown was seen and stopped; false when the board was already at its prompt. */
  interrupted: boolean;
  /** Everything printed before the countdown (banner, DRAM, env messages), LF line ends. */
  bootLog: string;
}

export class ConsoleRunner {
  readonly transcript: ConsoleTranscript;
  private readonly reader: StreamReader;
  private readonly offTranscript: () => void;
  private readonly prompt: string | RegExp;
  private readonly eol: string;
  private readonly timeoutMs: number;
  private queue: Promise<unknown> = Promise.resolve();
  private unsolicitedListeners = new Set<(text: string) => void>();

  constructor(
    private readonly stream: ByteStream,
    private readonly options: ConsoleRunnerOptions,
  ) {
    this.prompt = options.prompt;
    this.eol = options.eol ?? '\r';
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.transcript = new ConsoleTranscript(options.transcriptLines);
    // The transcript listens before the reader so it sees every byte even while the reader is busy.
    this.offTranscript = stream.onData((chunk) => this.transcript.receive(chunk));
    this.reader = new StreamReader(stream);
  }

  get isOpen(): boolean {
    return this.stream.isOpen;
  }

  /** Runs `fn` with the console to itself; callers sharing a runner queue here so exchanges never interleave. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Text the board printed unprompted (found before a command was sent). */
  onUnsolicited(listener: (text: string) => void): () => void {
    this.unsolicitedListeners.add(listener);
    return () => this.unsolicitedListeners.delete(listener);
  }

  /** Sends one line (the end-of-line is added). */
  async send(line: string): Promise<void> {
    if (/[\r\n]/.test(line)) throw new HostError('invalid-params', 'A console line cannot contain a line break.', JSON.stringify(line));
    const max = this.options.maxLineLength;
    if (max !== undefined && line.length > max)
      throw new HostError('invalid-params', `The command is too long for the board's console (${line.length} characters, at most ${max}).`, line.slice(0, 80));
    this.transcript.sent(line);
    await this.write(line + this.eol);
  }

  /** Sends raw text (keys, Ctrl-C) with no end-of-line. */
  async sendKeys(text: string): Promise<void> {
    await this.write(text);
  }

  /**
   * Lends the link to a binary protocol (YMODEM after `loady`): it gets the
   * stream and this runner's own reader, so nothing the board sent before or
   * after the transfer is lost. Call inside exclusive().
   */
  takeOver<T>(fn: (stream: ByteStream, reader: StreamReader) => Promise<T>): Promise<T> {
    return fn(this.stream, this.reader);
  }

  private async write(text: string): Promise<void> {
    const bytes = new TextEncoder().encode(text);
    const pacing = this.options.pacing;
    if (!pacing) return this.stream.write(bytes);
    for (let i = 0; i < bytes.length; i += pacing.chunk) {
      await this.stream.write(bytes.subarray(i, i + pacing.chunk));
      if (i + pacing.chunk < bytes.length) await new Promise((r) => setTimeout(r, pacing.delayMs));
    }
  }

  /** Waits for `pattern` (a RegExp, or a literal string); returns the text before it and the match. Consumes through the match. */
  async expect(pattern: RegExp | string, timeoutMs = this.timeoutMs, signal?: AbortSignal): Promise<{ before: string; match: RegExpExecArray }> {
    try {
      return await this.reader.expect(pattern, timeoutMs, signal);
    } catch (err) {
      throw this.explain(err, `waiting for ${pattern}`);
    }
  }

  /** Waits for the prompt. */
  expectPrompt(timeoutMs = this.timeoutMs, signal?: AbortSignal, prompt: string | RegExp = this.prompt): Promise<{ before: string; match: RegExpExecArray }> {
    return this.expect(promptPattern(prompt), timeoutMs, signal);
  }

  /** Takes (and reports) whatever the board printed that nobody asked for yet. */
  takeUnsolicited(): string {
    const bytes = this.reader.drain();
    if (bytes.length === 0) return '';
    const text = latin1(bytes);
    for (const l of this.unsolicitedListeners) l(text);
    return text;
  }

  /**
   * Sends `command`, waits for its echo and then the prompt, and returns what it
   * printed in between. Output the board produced before the command is returned
   * separately as `unsolicited`.
   */
  async run(command: string, opts: RunOptions = {}): Promise<RunResult> {
    if (command.trim() === '')
      // U-Boot repeats the previous command on an empty line (a second cp or mw!), so never send one.
      throw new HostError('invalid-params', 'An empty command is not sent (the board would repeat its last command).');
    const started = Date.now();
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const deadline = started + timeoutMs;
    const unsolicited = this.takeUnsolicited();
    await this.send(command);
    // The echo is the command followed by the line end; anything before it printed asynchronously.
    const echo = await this.expect(new RegExp(`${escapeRegExp(command)}\\r?\\n`), Math.max(1, deadline - Date.now()), opts.signal).catch((err) => {
      throw retitle(err, `The board did not echo the command "${command}".`);
    });
    const extra = echo.before.replace(/^\r?\n/, '');
    const res = await this.expectPrompt(Math.max(1, deadline - Date.now()), opts.signal, opts.prompt ?? this.prompt).catch((err) => {
      throw retitle(err, `The board did not finish "${command}" in time (no prompt after ${timeoutMs} ms).`);
    });
    return {
      output: normalizeNewlines(res.before),
      unsolicited: stripTrailingPrompt(normalizeNewlines(unsolicited + extra), this.prompt),
      durationMs: Date.now() - started,
    };
  }

  /**
   * Catches a boot loader's countdown and stops it with `key`, then waits for
   * the prompt. A board already sitting at its prompt (no countdown seen in
   * time) is poked with Ctrl-C, which clears the line without repeating a
   * command, and counts as not interrupted.
   */
  async interruptAutoboot(opts: AutobootOptions = {}): Promise<AutobootResult> {
    const stop = opts.stopPattern ?? /Hit any key to stop autoboot/;
    const key = opts.key ?? ' ';
    const prompt = promptPattern(opts.prompt ?? this.prompt);
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const either = new RegExp(`(?<stop>${stop.source})|(?<prompt>${prompt.source})`);
    let seen: { before: string; match: RegExpExecArray };
    if (opts.poke === undefined) seen = await this.expect(either, timeoutMs, opts.signal);
    else {
      // Poke only once the board has gone quiet: a booting board is not poked at all
      // (its countdown comes by itself), a silent one after KEY_REPEAT_MS. A key typed
      // while a board is still setting up its UART can be lost, and on QEMU's 16550
      // (qemu-riscv64) it wedges the console input for good.
      const started = Date.now();
      const heard = await this.untilQuiet(either, timeoutMs, opts.signal);
      seen = heard ?? (await this.pokeUntil(opts.poke, either, Math.max(1, timeoutMs - (Date.now() - started)), opts.signal));
    }
    const bootLog = normalizeNewlines(seen.before);
    if (seen.match.groups?.prompt !== undefined) return { interrupted: false, bootLog };
    // Press again until the prompt shows: a key can reach the board late (QEMU's
    // pty polls for a reader about once a second) and the countdown is short.
    // Extra presses may be left on the prompt's line; clear it before typing.
    await this.pressUntilPrompt(key, prompt, 10_000, opts.signal).catch((err) => {
      throw retitle(err, 'The countdown was caught but the board did not show its prompt after the key press.');
    });
    return { interrupted: true, bootLog };
  }

  /** Waits for `pattern` while the target keeps printing; undefined once it has printed nothing new for KEY_REPEAT_MS. */
  private async untilQuiet(pattern: RegExp, timeoutMs: number, signal?: AbortSignal): Promise<{ before: string; match: RegExpExecArray } | undefined> {
    const deadline = Date.now() + timeoutMs;
    let seen = -1;
    while (this.reader.buffered !== seen) {
      seen = this.reader.buffered;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      try {
        return await this.reader.expect(pattern, Math.min(KEY_REPEAT_MS, left), signal);
      } catch (err) {
        if (HostError.from(err).code !== 'timeout') throw err;
      }
    }
    return undefined;
  }

  /** Sends `keys` every `KEY_REPEAT_MS` until the prompt appears (Ctrl-C to resynchronise with a shell, a key to stop a countdown). */
  async pressUntilPrompt(keys: string, prompt: string | RegExp = this.prompt, timeoutMs = this.timeoutMs, signal?: AbortSignal): Promise<void> {
    await this.pokeUntil(keys, promptPattern(prompt), timeoutMs, signal);
  }

  private async pokeUntil(keys: string, pattern: RegExp, timeoutMs: number, signal?: AbortSignal): Promise<{ before: string; match: RegExpExecArray }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.sendKeys(keys);
      const left = deadline - Date.now();
      try {
        return await this.reader.expect(pattern, Math.max(1, Math.min(KEY_REPEAT_MS, left)), signal);
      } catch (err) {
        const e = HostError.from(err);
        if (e.code !== 'timeout' || Date.now() >= deadline) throw this.explain(e, `waiting for ${pattern} while sending ${JSON.stringify(keys)}`);
      }
    }
  }

  private explain(err: unknown, what: string): HostError {
    const e = HostError.from(err);
    const tail = this.transcript.tail(300);
    return new HostError(e.code, e.message, `${e.detail ?? what}; last output: ${JSON.stringify(tail)}`);
  }

  /** Detaches from the stream (the stream itself stays open; its owner closes it). */
  dispose(): void {
    this.reader.dispose();
    this.offTranscript();
  }
}

function retitle(err: unknown, message: string): HostError {
  const e = HostError.from(err);
  // Keep cancellation and link loss as they are: the caller acts on those codes.
  if (e.code !== 'timeout') return e;
  return new HostError(e.code, message, e.detail);
}
