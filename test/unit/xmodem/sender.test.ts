// ymodemSend / xmodemSend against scripted receivers, U-Boot's `loady` among them.
import { createPipePair } from '../../../electron/host/transports/pipe-pair';
import { StreamReader } from '../../../electron/host/transports/stream-reader';
import {
  ACK,
  CAN,
  CRC_REQUEST as C,
  EOT,
  NAK,
  SOH,
  decodeYmodemHeader,
  xmodemSend,
  ymodemSend,
} from '../../../electron/host/protocols/xmodem';
import { ScriptedPeer, bytes, rejection } from './scripted-peer';

function pair() {
  const [ours, theirs] = createPipePair();
  return { ours, peer: new ScriptedPeer(theirs) };
}

async function expectCancelSequence(peer: ScriptedPeer): Promise<void> {
  expect(Array.from(await peer.reader.read(5, 2000))).toEqual([CAN, CAN, CAN, CAN, CAN]);
}

describe('ymodemSend against a model of U-Boot loady', () => {
  /**
   * Like U-Boot's xyzModem: prints text, one 'C' at once and the next only 4.5 s
   * later; ACKs block 0 without a 'C'; asks again with 'C' for a bad block; ACKs EOT
   * twice, then 'C' for the final header.
   */
  async function uboot(peer: ScriptedPeer, rejectBlock?: number) {
    await peer.reader.expect('loady\n', 2000);
    await peer.send('loady\r\n## Ready for binary (ymodem) download to 0x40200000 at 115200 bps...\r\n', C);
    const late = setTimeout(() => void peer.send(C).catch(() => {}), 4500);
    try {
      const h = await peer.frame('crc', 6000);
      const header = decodeYmodemHeader(h.payload)!;
      await peer.send(ACK);
      const chunks: Uint8Array[] = [];
      let rejected = false;
      for (;;) {
        const first = await peer.byte(6000);
        if (first === EOT) break;
        // seq, ~seq, payload, CRC (the model trusts the CRC; the codec tests cover it).
        const body = await peer.reader.read((first === SOH ? 128 : 1024) + 4, 2000);
        const seq = body[0];
        if (seq === rejectBlock && !rejected) {
          rejected = true;
          await peer.send(C);
          continue;
        }
        chunks.push(body.subarray(2, body.length - 2));
        await peer.send(ACK);
      }
      await peer.send(ACK, ACK, C);
      const end = await peer.frame('crc');
      await peer.send(ACK);
      const all = Buffer.concat(chunks).subarray(0, header.size);
      return { header, data: all, endOfBatch: decodeYmodemHeader(end.payload) };
    } finally {
      clearTimeout(late);
    }
  }

  it('catches the first C (no 4.5 s wait), skips the console text, does not wait for a C after block 0', async () => {
    const { ours, peer } = pair();
    const data = bytes(5000, 9);
    const t0 = Date.now();
    const [result, seen] = await Promise.all([
      ymodemSend(ours, [{ name: 'image.itb', data }], { beforeStart: () => ours.write(new TextEncoder().encode('loady\n')) }),
      uboot(peer),
    ]);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(result).toEqual({ mode: 'crc', blocks: 5, retransmits: 0 });
    expect(seen.header).toEqual({ name: 'image.itb', size: 5000 });
    expect(Buffer.from(seen.data).equals(Buffer.from(data))).toBe(true);
    expect(seen.endOfBatch).toBeNull();
  });

  it("retransmits a block U-Boot asks for again with 'C'", async () => {
    const { ours, peer } = pair();
    const data = bytes(4096, 10);
    const reader = new StreamReader(ours);
    await ours.write(new TextEncoder().encode('loady\n'));
    const [result, seen] = await Promise.all([ymodemSend(ours, [{ name: 'a', data }], { reader }), uboot(peer, 2)]);
    expect(result.retransmits).toBe(1);
    expect(Buffer.from(seen.data).equals(Buffer.from(data))).toBe(true);
    // The caller's reader stays usable for what U-Boot prints next.
    await peer.send('## Total Size = 0x00001000\r\n=> ');
    expect((await reader.expect('=> ', 1000)).before).toContain('Total Size');
  });
});

describe('sender errors and edge cases', () => {
  it('a C inside console text does not start the transfer', async () => {
    const { ours, peer } = pair();
    const sending = xmodemSend(ours, bytes(10));
    await peer.send('CRC check... Copying\r\n');
    expect(await peer.silentFor(150)).toBe(true);
    await peer.send(C);
    expect((await peer.frame()).seq).toBe(1);
    await peer.send(ACK);
    expect(await peer.byte()).toBe(EOT);
    await peer.send(ACK);
    await sending;
  });

  it('NAK selects checksum mode and 128-byte blocks even when 1K was asked for', async () => {
    const { ours, peer } = pair();
    const sending = xmodemSend(ours, bytes(300), { blockSize: 1024 });
    await peer.send(NAK);
    for (let i = 1; i <= 3; i++) {
      const f = await peer.frame('checksum');
      expect([f.header, f.seq]).toEqual([SOH, i]);
      await peer.send(ACK);
    }
    expect(await peer.byte()).toBe(EOT);
    await peer.send(ACK);
    expect((await sending).mode).toBe('checksum');
  });

  it('YMODEM EOT handshake: NAK then ACK', async () => {
    const { ours, peer } = pair();
    const sending = ymodemSend(ours, [{ name: 'e', data: new Uint8Array(0) }]);
    await peer.send(C);
    await peer.frame();
    await peer.send(ACK, C);
    expect(await peer.byte()).toBe(EOT);
    await peer.send(NAK);
    expect(await peer.byte()).toBe(EOT);
    await peer.send(ACK, C);
    expect((await peer.frame()).payload.every((b) => b === 0)).toBe(true);
    await peer.send(ACK);
    await sending;
  });

  it('gives up after `retries` NAKs with a protocol-error and cancels the receiver', async () => {
    const { ours, peer } = pair();
    const sending = rejection(xmodemSend(ours, bytes(10), { retries: 2 }));
    await peer.send(C);
    for (let i = 0; i < 3; i++) {
      await peer.frame();
      await peer.send(NAK);
    }
    const err = await sending;
    expect(err.code).toBe('protocol-error');
    expect(err.message).toBe('The receiver rejected block 1 of xmodem 3 times.');
    await expectCancelSequence(peer);
  });

  it('a silent receiver: retransmits on timeout, then a timeout error', async () => {
    const { ours, peer } = pair();
    const t0 = Date.now();
    const sending = rejection(xmodemSend(ours, bytes(10), { retries: 1, timeoutMs: 200 }));
    await peer.send(C);
    expect((await peer.frame()).seq).toBe(1);
    expect((await peer.frame()).seq).toBe(1);
    const err = await sending;
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/did not acknowledge block 1/);
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('no receiver at all: start timeout', async () => {
    const { ours } = pair();
    const err = await rejection(ymodemSend(ours, [{ name: 'a', data: bytes(1) }], { startTimeoutMs: 100 }));
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/did not ask for the transfer to start/);
  });

  it('CAN CAN from the receiver aborts; a lone CAN is noise', async () => {
    let { ours, peer } = pair();
    let sending: Promise<unknown> = rejection(xmodemSend(ours, bytes(2000)));
    await peer.send(C);
    await peer.frame();
    await peer.send(CAN, CAN);
    const err = (await sending) as Awaited<ReturnType<typeof rejection>>;
    expect(err.code).toBe('protocol-error');
    expect(err.message).toBe('The receiver cancelled the transfer.');

    ({ ours, peer } = pair());
    sending = xmodemSend(ours, bytes(100));
    await peer.send(C);
    await peer.frame();
    await peer.send(CAN, ACK);
    expect(await peer.byte()).toBe(EOT);
    await peer.send(ACK);
    expect(await sending).toMatchObject({ blocks: 1 });
  });

  it('the caller aborts: five CANs and "cancelled", also before the start', async () => {
    let { ours, peer } = pair();
    const ac = new AbortController();
    const sending = rejection(ymodemSend(ours, [{ name: 'a', data: bytes(5000) }], { signal: ac.signal }));
    await peer.send(C);
    await peer.frame();
    ac.abort();
    const err = await sending;
    expect(err.code).toBe('cancelled');
    peer.reader.drain();
    ({ ours, peer } = pair());
    const pre = await rejection(xmodemSend(ours, bytes(1), { signal: AbortSignal.abort() }));
    expect(pre.code).toBe('cancelled');
    await expectCancelSequence(peer);
  });

  it('the link closes: device-gone', async () => {
    const { ours, peer } = pair();
    const sending = rejection(xmodemSend(ours, bytes(3000)));
    await peer.send(C);
    await peer.frame();
    await peer.stream.close();
    const err = await sending;
    expect(err.code).toBe('device-gone');
  });

  it('rejects bad arguments before touching the line', async () => {
    const { ours, peer } = pair();
    expect((await rejection(ymodemSend(ours, []))).message).toBe('There are no files to send.');
    expect((await rejection(ymodemSend(ours, [{ name: '', data: bytes(1) }]))).code).toBe('invalid-params');
    expect((await rejection(xmodemSend(ours, bytes(1), { blockSize: 512 as 128 }))).message).toMatch(/128 or 1024/);
    expect((await rejection(xmodemSend(ours, bytes(1), { retries: -1 }))).code).toBe('invalid-params');
    expect((await rejection(xmodemSend(ours, bytes(1), { timeoutMs: 0 }))).code).toBe('invalid-params');
    expect(await peer.silentFor(50)).toBe(true);
  });
});
