// Faults against real lrzsz peers: a corrupted block on the wire, a peer that
// dies, ptys that vanish, peers that cancel, and our own abort.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostError } from '../../../electron/host/errors/host-error';
import { NAK, xmodemSend, ymodemReceive, ymodemSend } from '../../../electron/host/protocols/xmodem';
import { openLink, runLrzsz, testData, type Link } from './lrzsz-peer';

let link: Link | undefined;
afterEach(async () => {
  await link?.close();
  link = undefined;
});

async function rejection(p: Promise<unknown>): Promise<HostError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(HostError);
    return e as HostError;
  }
  throw new Error('expected the transfer to fail');
}

const big = testData(200 * 1024, 77);

describe('a corrupted block is retransmitted and the data still matches', () => {
  it('ymodemSend -> pipe flipping a byte of block 3 -> rb', async () => {
    link = await openLink({ direction: 'to-peer', corruptFrame: 4, checkBytes: 2 });
    const rb = runLrzsz('rb', [], link);
    const result = await ymodemSend(link.port, [{ name: 'img.bin', data: big }], { timeoutMs: 3000 });
    const exit = await rb.done;
    expect(exit.code, exit.stderr).toBe(0);
    expect(link.pipe!.corrupted).toBe(true);
    expect(result.retransmits).toBeGreaterThanOrEqual(1);
    expect(readFileSync(join(link.dir, 'img.bin')).equals(Buffer.from(big))).toBe(true);
  });

  it('xmodemSend (checksum mode) -> pipe flipping a byte of block 2 -> rx', async () => {
    link = await openLink({ direction: 'to-peer', corruptFrame: 2, checkBytes: 1 });
    const data = testData(2000, 78);
    const rx = runLrzsz('rx', ['out.bin'], link);
    const result = await xmodemSend(link.port, data, { timeoutMs: 3000 });
    expect((await rx.done).code).toBe(0);
    expect(result.mode).toBe('checksum');
    expect(link.pipe!.corrupted).toBe(true);
    expect(result.retransmits).toBeGreaterThanOrEqual(1);
    expect(readFileSync(join(link.dir, 'out.bin')).subarray(0, data.length).equals(Buffer.from(data))).toBe(true);
  });

  it('sb -k -> pipe flipping a byte of block 3 -> ymodemReceive NAKs it and gets it again', async () => {
    link = await openLink({ direction: 'from-peer', corruptFrame: 4, checkBytes: 2 });
    writeFileSync(join(link.dir, 'img.bin'), big);
    const sb = runLrzsz('sb', ['-k', 'img.bin'], link);
    const files = await ymodemReceive(link.port);
    const exit = await sb.done;
    expect(exit.code, exit.stderr).toBe(0);
    expect(link.pipe!.corrupted).toBe(true);
    expect(link.port.controlBytesSent).toContain(NAK);
    expect(files).toHaveLength(1);
    expect(Buffer.from(files[0].data).equals(Buffer.from(big))).toBe(true);
  });
});

describe('a cut link ends the transfer with a clear error, within the timeout', () => {
  it('rb killed mid-transfer: ymodemSend times out', async () => {
    link = await openLink();
    const rb = runLrzsz('rb', [], link);
    const opts = { timeoutMs: 1000, retries: 2 };
    let t0 = 0;
    const err = await rejection(
      ymodemSend(link.port, [{ name: 'img.bin', data: big }], {
        ...opts,
        onProgress: (p) => {
          if (p.sent > 64 * 1024 && !t0) {
            t0 = Date.now();
            rb.kill('SIGKILL');
          }
        },
      }),
    );
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/did not acknowledge block/);
    expect(Date.now() - t0).toBeLessThan((opts.retries + 1) * opts.timeoutMs + 1500);
  });

  it('sb killed mid-transfer: ymodemReceive times out', async () => {
    link = await openLink();
    writeFileSync(join(link.dir, 'img.bin'), big);
    const sb = runLrzsz('sb', ['-k', 'img.bin'], link);
    const opts = { timeoutMs: 1000, retries: 2 };
    let t0 = 0;
    const err = await rejection(
      ymodemReceive(link.port, {
        ...opts,
        onProgress: (p) => {
          if (p.received > 64 * 1024 && !t0) {
            t0 = Date.now();
            sb.kill('SIGKILL');
          }
        },
      }),
    );
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/Gave up on img.bin/);
    expect(Date.now() - t0).toBeLessThan((opts.retries + 1) * (opts.timeoutMs + 300) + 1500);
  });

  it('ptys vanish mid-transfer (socat killed): device-gone at once', async () => {
    link = await openLink();
    const rb = runLrzsz('rb', [], link);
    let t0 = 0;
    const err = await rejection(
      ymodemSend(link.port, [{ name: 'img.bin', data: big }], {
        timeoutMs: 5000,
        onProgress: (p) => {
          if (p.sent > 64 * 1024 && !t0) {
            t0 = Date.now();
            link!.killPtys();
          }
        },
      }),
    );
    rb.kill();
    expect(err.code).toBe('device-gone');
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('cancellation', () => {
  it('rb cancels (SIGTERM makes lrzsz send CAN): ymodemSend fails saying so', async () => {
    link = await openLink();
    const rb = runLrzsz('rb', [], link);
    let killed = false;
    const err = await rejection(
      ymodemSend(link.port, [{ name: 'img.bin', data: big }], {
        timeoutMs: 5000,
        onProgress: (p) => {
          if (p.sent > 64 * 1024 && !killed) {
            killed = true;
            rb.kill('SIGTERM');
          }
        },
      }),
    );
    expect(err.code).toBe('protocol-error');
    expect(err.message).toBe('The receiver cancelled the transfer.');
  });

  it('sb cancels: ymodemReceive fails saying so', async () => {
    link = await openLink();
    writeFileSync(join(link.dir, 'img.bin'), big);
    const sb = runLrzsz('sb', ['-k', 'img.bin'], link);
    let killed = false;
    const err = await rejection(
      ymodemReceive(link.port, {
        timeoutMs: 5000,
        onProgress: (p) => {
          if (p.received > 64 * 1024 && !killed) {
            killed = true;
            sb.kill('SIGTERM');
          }
        },
      }),
    );
    expect(err.code).toBe('protocol-error');
    expect(err.message).toBe('The sender cancelled the transfer.');
  });

  it('our abort while sending: rejects "cancelled" and rb gives up on our CANs', async () => {
    link = await openLink();
    const rb = runLrzsz('rb', [], link);
    const ac = new AbortController();
    const err = await rejection(
      ymodemSend(link.port, [{ name: 'img.bin', data: big }], { signal: ac.signal, onProgress: (p) => p.sent > 64 * 1024 && ac.abort() }),
    );
    expect(err.code).toBe('cancelled');
    const t0 = Date.now();
    const exit = await rb.done;
    expect(exit.code).not.toBe(0);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('our abort while receiving: rejects "cancelled" and sb gives up on our CANs', async () => {
    link = await openLink();
    writeFileSync(join(link.dir, 'img.bin'), big);
    const sb = runLrzsz('sb', ['-k', 'img.bin'], link);
    const ac = new AbortController();
    const err = await rejection(ymodemReceive(link.port, { signal: ac.signal, onProgress: (p) => p.received > 64 * 1024 && ac.abort() }));
    expect(err.code).toBe('cancelled');
    const t0 = Date.now();
    const exit = await sb.done;
    expect(exit.code).not.toBe(0);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
