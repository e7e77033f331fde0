// Our senders against our receivers over an in-process pipe.
import { createPipePair } from '../../../electron/host/transports/pipe-pair';
import { SUB, xmodemReceive, xmodemSend, ymodemReceive, ymodemSend, type SendProgress } from '../../../electron/host/protocols/xmodem';
import { bytes } from './scripted-peer';

describe('loopback', () => {
  it('YMODEM batch: empty, 1 byte, one block, one block + 1, trailing SUBs, 300 KiB, with mtimes', async () => {
    const [a, b] = createPipePair();
    const mtime = new Date(1_700_000_000_000);
    const files = [
      { name: 'empty', data: new Uint8Array(0) },
      { name: 'one', data: bytes(1, 2) },
      { name: 'k', data: bytes(1024, 3), mtime },
      { name: 'k1', data: bytes(1025, 4) },
      { name: 'sub', data: Uint8Array.of(1, 2, SUB, SUB) },
      { name: 'big', data: bytes(300 * 1024, 5), mtime },
    ];
    const progress: SendProgress[] = [];
    const [sent, got] = await Promise.all([ymodemSend(a, files, { onProgress: (p) => progress.push(p) }), ymodemReceive(b)]);
    expect(sent).toEqual({ mode: 'crc', blocks: 0 + 1 + 1 + 2 + 1 + 300, retransmits: 0 });
    expect(got.map((f) => [f.name, f.size, f.mtime?.getTime()])).toEqual(files.map((f) => [f.name, f.data.length, f.mtime?.getTime()]));
    for (const [i, f] of files.entries()) expect(Buffer.from(got[i].data).equals(Buffer.from(f.data)), f.name).toBe(true);
    expect(progress.filter((p) => p.file === 'big').at(-1)).toEqual({ file: 'big', sent: 300 * 1024, total: 300 * 1024 });
  });

  it('XMODEM-1K: the receiver gets the data plus SUB padding, or exactly the data when told the size', async () => {
    const data = bytes(3000, 6);
    let [a, b] = createPipePair();
    let [sent, got] = await Promise.all([xmodemSend(a, data), xmodemReceive(b)]);
    expect(sent.mode).toBe('crc');
    // 1024 + 1024 + 952 in a third 1K block.
    expect(got.data.length).toBe(3072);
    expect(got.data.subarray(0, 3000)).toEqual(data);
    expect(got.data.subarray(3000).every((x) => x === SUB)).toBe(true);
    [a, b] = createPipePair();
    [sent, got] = await Promise.all([xmodemSend(a, data, { blockSize: 128 }), xmodemReceive(b, { size: 3000 })]);
    expect(sent.blocks).toBe(24);
    expect(got.data).toEqual(data);
  });

  it('a tail of 128 bytes or less goes in a short block', async () => {
    const [a, b] = createPipePair();
    const [, got] = await Promise.all([xmodemSend(a, bytes(1024 + 100)), xmodemReceive(b)]);
    expect(got.data.length).toBe(1024 + 128);
  });
});
