// Our senders against Debian's lrzsz receivers (rx, rb) over a socat pty pair.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SUB, xmodemSend, ymodemSend, type SendProgress } from '../../../electron/host/protocols/xmodem';
import { openLink, runLrzsz, testData, type Link } from './lrzsz-peer';

let link: Link;
beforeEach(async () => {
  link = await openLink();
});
afterEach(async () => {
  await link.close();
});

// lrzsz's receivers purge their input right after writing ACK or 'C'; on this
// shared machine our immediate reply sometimes lands before the purge and is
// thrown away, and the block goes again after a timeout. So: short timeouts,
// and retransmissions are allowed here (the data must still match exactly).
const timeoutMs = 3000;

/** rx keeps XMODEM's padding: the data, then only SUB up to the end of the last block. */
function expectPadded(received: Buffer, data: Uint8Array): void {
  expect(received.length).toBeGreaterThanOrEqual(data.length);
  expect(received.length - data.length).toBeLessThan(1024);
  expect(received.subarray(0, data.length).equals(Buffer.from(data))).toBe(true);
  expect(received.subarray(data.length).every((b) => b === SUB)).toBe(true);
}

describe('xmodemSend -> rx', () => {
  for (const [label, size] of [
    ['1 byte', 1],
    ['exactly one 128-byte block', 128],
    ['exactly one 1K block', 1024],
    ['not a multiple of the block', 3000],
    ['300 KiB', 300 * 1024],
  ] as const) {
    it(`CRC mode (rx -c), 1K blocks: ${label}`, async () => {
      const data = testData(size, size);
      const rx = runLrzsz('rx', ['-c', 'out.bin'], link);
      const progress: SendProgress[] = [];
      const result = await xmodemSend(link.port, data, { name: 'out.bin', timeoutMs, onProgress: (p) => progress.push(p) });
      const exit = await rx.done;
      expect(exit.code, exit.stderr).toBe(0);
      expect(result.mode).toBe('crc');
            expectPadded(readFileSync(join(link.dir, 'out.bin')), data);
      expect(progress.at(-1)).toEqual({ file: 'out.bin', sent: size, total: size });
    });
  }

  it('checksum mode (plain rx): falls back to 128-byte blocks', async () => {
    const data = testData(3000, 7);
    const rx = runLrzsz('rx', ['out.bin'], link);
    const result = await xmodemSend(link.port, data, { blockSize: 1024, timeoutMs });
    const exit = await rx.done;
    expect(exit.code, exit.stderr).toBe(0);
    expect(result.mode).toBe('checksum');
    expect(result.blocks).toBe(Math.ceil(3000 / 128));
    const got = readFileSync(join(link.dir, 'out.bin'));
    expectPadded(got, data);
    expect(got.length).toBe(24 * 128);
  });

  it('128-byte blocks on request (rx -c)', async () => {
    const data = testData(1000, 3);
    const rx = runLrzsz('rx', ['-c', 'out.bin'], link);
    const result = await xmodemSend(link.port, data, { blockSize: 128, timeoutMs });
    expect((await rx.done).code).toBe(0);
    expect(result.blocks).toBe(8);
    expectPadded(readFileSync(join(link.dir, 'out.bin')), data);
  });

  it('empty data: EOT only, rx ends with an empty file', async () => {
    const rx = runLrzsz('rx', ['-c', 'out.bin'], link);
    const result = await xmodemSend(link.port, new Uint8Array(0), { timeoutMs });
    const exit = await rx.done;
    expect(exit.code, exit.stderr).toBe(0);
    expect(result.blocks).toBe(0);
    expect(readFileSync(join(link.dir, 'out.bin')).length).toBe(0);
  });
});

describe('ymodemSend -> rb', () => {
  it('sends a batch of edge-case files byte for byte (empty, 1 byte, one block, odd size, trailing SUBs, 300 KiB) with mtimes', async () => {
    const mtime = new Date(1_650_000_000_000);
    const trailingSub = Uint8Array.of(...testData(125, 9), SUB, SUB, SUB, SUB, SUB);
    const files = [
      { name: 'empty.bin', data: new Uint8Array(0), mtime },
      { name: 'one.bin', data: testData(1, 1), mtime },
      { name: 'block.bin', data: testData(1024, 2), mtime },
      { name: 'odd.bin', data: testData(1000, 3), mtime },
      { name: 'sub.bin', data: trailingSub, mtime },
      { name: 'big.bin', data: testData(300 * 1024, 4), mtime },
    ];
    const rb = runLrzsz('rb', [], link);
    const started = new Set<string>();
    const result = await ymodemSend(link.port, files, { timeoutMs, onProgress: (p) => started.add(p.file) });
    const exit = await rb.done;
    expect(exit.code, exit.stderr).toBe(0);
    expect(result.mode).toBe('crc');
    expect([...started]).toEqual(files.map((f) => f.name));
    expect(readdirSync(link.dir).sort()).toEqual(files.map((f) => f.name).sort());
    for (const f of files) {
      const got = readFileSync(join(link.dir, f.name));
      expect(got.equals(Buffer.from(f.data)), f.name).toBe(true);
      expect(statSync(join(link.dir, f.name)).mtimeMs, f.name).toBe(mtime.getTime());
    }
  });

  it('128-byte blocks: exactly one block and an odd size', async () => {
    const files = [
      { name: 'a.bin', data: testData(128, 5) },
      { name: 'b.bin', data: testData(300, 6) },
    ];
    const rb = runLrzsz('rb', [], link);
    const result = await ymodemSend(link.port, files, { blockSize: 128, timeoutMs });
    expect((await rb.done).code).toBe(0);
    expect(result.blocks).toBe(1 + 3);
    for (const f of files) expect(readFileSync(join(link.dir, f.name)).equals(Buffer.from(f.data))).toBe(true);
  });
});
