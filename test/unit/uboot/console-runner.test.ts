// ConsoleRunner against a scripted board on an in-process pipe: echo stripping,
// prompt handling, output the board prints on its own, timeouts, link loss.
import { createPipePair } from '../../../electron/host/transports/pipe-pair';
import type { ByteStream } from '../../../electron/host/transports/byte-stream';
import { ConsoleRunner } from '../../../electron/host/protocols/console';

const enc = (s: string) => new TextEncoder().encode(s);

/** A tiny U-Boot-like board: echoes typed characters, answers lines from `answers`, prints `=> `. */
function fakeBoard(end: ByteStream, answers: Record<string, string | null>) {
  let line = '';
  const say = (s: string) => void end.write(enc(s));
  end.onData((chunk) => {
    for (const ch of new TextDecoder().decode(chunk)) {
      if (ch === '\r') {
        say('\r\n');
        const a = answers[line];
        line = '';
        if (a === null) continue; // hangs: no prompt
        say(`${a ?? ''}=> `);
      } else if (ch === '\x03') {
        line = '';
        say('<INTERRUPT>\r\n=> ');
      } else {
        line += ch;
        say(ch);
      }
    }
  });
  return { say };
}

function setup(answers: Record<string, string | null> = {}) {
  const [host, dev] = createPipePair();
  const board = fakeBoard(dev, answers);
  const runner = new ConsoleRunner(host, { prompt: '=> ', timeoutMs: 1000, maxLineLength: 40 });
  return { host, dev, board, runner };
}

describe('ConsoleRunner', () => {
  it('returns the output between the echo and the prompt, CRLF normalised', async () => {
    const { runner } = setup({ version: 'U-Boot 2023.01\r\n\r\ngcc 12\r\n' });
    const r = await runner.run('version');
    expect(r.output).toBe('U-Boot 2023.01\n\ngcc 12');
    expect(r.unsolicited).toBe('');
  });

  it('does not take "==> " inside output for the prompt', async () => {
    const { runner } = setup({ 'crc32 0 10': 'crc32 for 00000000 ... 0000000f ==> 1a2b3c4d\r\n' });
    expect((await runner.run('crc32 0 10')).output).toBe('crc32 for 00000000 ... 0000000f ==> 1a2b3c4d');
  });

  it('keeps what the board printed between commands and reports it as unsolicited', async () => {
    const { runner, board } = setup({ a: 'A\r\n', b: 'B\r\n' });
    expect((await runner.run('a')).output).toBe('A');
    const heard: string[] = [];
    runner.onUnsolicited((t) => heard.push(t));
    board.say('\r\nusb 1-1: new device\r\n');
    await new Promise((r) => setTimeout(r, 10));
    const r = await runner.run('b');
    expect(r.output).toBe('B');
    expect(r.unsolicited).toBe('usb 1-1: new device');
    expect(heard.join('')).toMatch(/usb 1-1: new device/);
    // And the transcript has every line, timestamped, with what we sent marked.
    const lines = runner.transcript.all();
    expect(lines.map((l) => `${l.dir}:${l.text}`)).toEqual(['tx:a', 'rx:a', 'rx:A', 'rx:=> ', 'rx:usb 1-1: new device', 'tx:b', 'rx:b', 'rx:B']);
    expect(lines.every((l) => typeof l.t === 'number' && l.t > 0)).toBe(true);
    expect(runner.transcript.pending()).toBe('=> ');
  });

  it('catches an autoboot countdown and stops it', async () => {
    const { runner, dev } = setup();
    let gotKey = '';
    dev.onData((c) => {
      gotKey += new TextDecoder().decode(c);
      if (gotKey === ' ') void dev.write(enc('\b\b\b 0 \r\n=> '));
    });
    await dev.write(enc('\r\nU-Boot 2023.01 (x)\r\nDRAM:  512 MiB\r\nHit any key to stop autoboot:  2 '));
    const r = await runner.interruptAutoboot();
    expect(r).toEqual({ interrupted: true, bootLog: '\nU-Boot 2023.01 (x)\nDRAM:  512 MiB' });
  });

  it('reports a board already at its prompt as not interrupted', async () => {
    const { runner, dev } = setup();
    await dev.write(enc('\r\n=> '));
    expect((await runner.interruptAutoboot({ timeoutMs: 500 })).interrupted).toBe(false);
  });

  it('times out with a clear error that quotes the last output', async () => {
    const { runner } = setup({ hang: null });
    const err = await runner.run('hang', { timeoutMs: 200 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'timeout', message: 'The board did not finish "hang" in time (no prompt after 200 ms).' });
    expect(err.detail).toMatch(/last output: .*hang/);
  });

  it('says so when the board does not echo the command', async () => {
    const [host] = createPipePair();
    const runner = new ConsoleRunner(host, { prompt: '=> ', timeoutMs: 150 });
    await expect(runner.run('version')).rejects.toMatchObject({ code: 'timeout', message: 'The board did not echo the command "version".' });
  });

  it('fails with device-gone when the link closes mid-command', async () => {
    const { runner, dev } = setup({ slow: null });
    const p = runner.run('slow', { timeoutMs: 5000 });
    setTimeout(() => void dev.close(), 20);
    await expect(p).rejects.toMatchObject({ code: 'device-gone' });
  });

  it('refuses empty, multi-line and over-long commands before sending', async () => {
    const { runner } = setup();
    await expect(runner.run('  ')).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/repeat its last command/) });
    await expect(runner.run('a\nb')).rejects.toMatchObject({ code: 'invalid-params' });
    await expect(runner.run('x'.repeat(41))).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/at most 40/) });
    expect(runner.transcript.all()).toEqual([]);
  });

  it('serialises exchanges through exclusive()', async () => {
    const { runner } = setup({ a: 'A\r\n', b: 'B\r\n' });
    const [ra, rb] = await Promise.all([runner.exclusive(() => runner.run('a')), runner.exclusive(() => runner.run('b'))]);
    expect([ra.output, rb.output]).toEqual(['A', 'B']);
  });

  it('presses a key again when the first one is lost, until the prompt shows', async () => {
    const [host, dev] = createPipePair();
    const runner = new ConsoleRunner(host, { prompt: '=> ', timeoutMs: 1000 });
    let presses = 0;
    dev.onData(() => {
      // The first press is lost (QEMU's pty not polled yet); the second is answered.
      if (++presses === 2) void dev.write(enc('<INTERRUPT>\r\n=> '));
    });
    await runner.pressUntilPrompt('\x03', '=> ', 5000);
    expect(presses).toBe(2);
    await expect(runner.pressUntilPrompt('\x03', '=> ', 300)).rejects.toMatchObject({ code: 'timeout' });
  });
});
