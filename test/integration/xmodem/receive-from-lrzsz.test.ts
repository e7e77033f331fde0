// Our receivers against Debian's lrzsz senders (sx, sb) over a socat pty pair.
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUB, xmodemReceive, ymodemReceive, type ReceiveProgress } from '../../../electron/host/protocols/xmodem';
import { openLink, runLrzsz, testData, type Link } from './lrzsz-peer';

let link: Link;
beforeEach(async () => {
  link = await openLink();
});
afterEach(async () => {
  await link.close();
});

function writeInput(name: string, data: Uint8Array, mtime = new Date(1_600_000_000_000)): void {
  const path = join(link.dir, name);
  writeFileSync(path, data);
  utimesSync(path, mtime, mtime);
}

describe('sx -> xmodemReceive', () => {
  for (const [label, size, args] of [
    ['1 byte, 128-byte blocks', 1, []],
    ['exactly one 128-byte block', 128, []],
    ['exactly one 1K block (sx -k)', 1024, ['-k']],
    ['not a multiple of the block (sx -k)', 3000, ['-k']],
    ['300 KiB (sx -k)', 300 * 1024, ['-k']],
  ] as const) {
    it(label, async () => {
      const data = testData(size, size + 11);
      writeInput('in.bin', data);
      const sx = runLrzsz('sx', [...args, 'in.bin'], link);
      const progress: ReceiveProgress[] = [];
      const got = await xmodemReceive(link.port, { onProgress: (p) => progress.push(p) });
      const exit = await sx.done;
      expect(exit.code, exit.stderr).toBe(0);
      expect(got.mode).toBe('crc');
      // Without a size, XMODEM hands back the padding too.
      expect(Buffer.from(got.data.subarray(0, size)).equals(Buffer.from(data))).toBe(true);
      expect(got.data.length - size).toBeLessThan(1024);
      expect(got.data.subarray(size).every((b) => b === SUB)).toBe(true);
      expect(progress.at(-1)?.received).toBe(got.data.length);
    });
  }

  it('cuts the padding when the size is known', async () => {
    const data = testData(1000, 99);
    writeInput('in.bin', data);
    const sx = runLrzsz('sx', ['-k', 'in.bin'], link);
    const got = await xmodemReceive(link.port, { size: 1000 });
    expect((await sx.done).code).toBe(0);
    expect(Buffer.from(got.data).equals(Buffer.from(data))).toBe(true);
  });
});

describe('sb -> ymodemReceive', () => {
  const mtime = new Date(1_600_000_000_000);
  const files = [
    { name: 'empty.bin', data: new Uint8Array(0) },
    { name: 'one.bin', data: testData(1, 21) },
    { name: 'block.bin', data: testData(1024, 22) },
    { name: 'odd.bin', data: testData(3000, 23) },
    { name: 'sub.bin', data: Uint8Array.of(...testData(60, 24), SUB, SUB, SUB) },
    { name: 'big.bin', data: testData(300 * 1024, 25) },
  ];

  for (const args of [['-k'], []]) {
    it(`receives a batch byte for byte with names, sizes and mtimes (sb ${args.join(' ') || 'with 128-byte blocks'})`, async () => {
      for (const f of files) writeInput(f.name, f.data, mtime);
      const sb = runLrzsz('sb', [...args, ...files.map((f) => f.name)], link);
      const got = await ymodemReceive(link.port);
      const exit = await sb.done;
      expect(exit.code, exit.stderr).toBe(0);
      expect(got.map((f) => f.name)).toEqual(files.map((f) => f.name));
      for (const [i, f] of files.entries()) {
        expect(got[i].size, f.name).toBe(f.data.length);
        expect(Buffer.from(got[i].data).equals(Buffer.from(f.data)), f.name).toBe(true);
        expect(got[i].mtime?.getTime(), f.name).toBe(mtime.getTime());
        expect(got[i].mode! & 0o777, f.name).toBeGreaterThan(0);
      }
    });
  }
});
