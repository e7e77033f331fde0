// xmodemReceive / ymodemReceive against scripted senders.
import { createPipePair } from '../../../electron/host/transports/pipe-pair';
import {
  ACK,
  CAN,
  CRC_REQUEST as C,
  EOT,
  NAK,
  SUB,
  encodeBlock,
  encodeEndOfBatch,
  encodeYmodemHeader,
  xmodemReceive,
  ymodemReceive,
} from '../../../electron/host/protocols/xmodem';
import { ScriptedPeer, bytes, rejection } from './scripted-peer';

function pair() {
  const [ours, theirs] = createPipePair();
  return { ours, peer: new ScriptedPeer(theirs) };
}

const block = (seq: number, data: Uint8Array, mode: 'crc' | 'checksum' = 'crc') => encodeBlock(seq, data, 128, mode);

async function expectCancelSequence(peer: ScriptedPeer): Promise<void> {
  expect(Array.from(await peer.reader.read(5, 2000))).toEqual([CAN, CAN, CAN, CAN, CAN]);
}

describe('xmodemReceive', () => {
  it("falls back to checksum mode when 'C' gets no answer", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const { ours, peer } = pair();
      const receiving = xmodemReceive(ours);
      const asked: number[] = [];
      for (let i = 0; i < 4; i++) {
        await vi.advanceTimersByTimeAsync(i === 0 ? 0 : 3000);
        asked.push(...peer.reader.drain());
      }
      expect(asked).toEqual([C, C, C, NAK]);
      const data = bytes(128, 3);
      await peer.send(block(1, data, 'checksum'));
      await vi.advanceTimersByTimeAsync(0);
      expect(peer.reader.drain()).toEqual(Uint8Array.of(ACK));
      await peer.send(EOT);
      const got = await receiving;
      expect(got.mode).toBe('checksum');
      expect(got.data).toEqual(data);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ACKs and drops a duplicate block; skips line noise between blocks', async () => {
    const { ours, peer } = pair();
    const receiving = xmodemReceive(ours);
    expect(await peer.byte()).toBe(C);
    const [a, b] = [bytes(128, 1), bytes(128, 2)];
    await peer.send(block(1, a));
    expect(await peer.byte()).toBe(ACK);
    await peer.send(block(1, a));
    expect(await peer.byte()).toBe(ACK);
    await peer.send('noise\r\n', block(2, b));
    expect(await peer.byte()).toBe(ACK);
    await peer.send(EOT);
    expect(await peer.byte()).toBe(ACK);
    expect(Buffer.from((await receiving).data).equals(Buffer.concat([a, b]))).toBe(true);
  });

  it("re-asks with 'C' for a bad first block and NAKs a later bad block; takes the retransmissions", async () => {
    const { ours, peer } = pair();
    const receiving = xmodemReceive(ours, { size: 228 });
    expect(await peer.byte()).toBe(C);
    const data = bytes(228, 5);
    const [one, two] = [data.subarray(0, 128), data.subarray(128)];
    const bad1 = block(1, one);
    bad1[50] ^= 1;
    await peer.send(bad1);
    expect(await peer.byte(1000)).toBe(C);
    await peer.send(block(1, one));
    expect(await peer.byte()).toBe(ACK);
    const bad2 = block(2, two);
    bad2[131] ^= 0xff;
    await peer.send(bad2);
    expect(await peer.byte(1000)).toBe(NAK);
    await peer.send(block(2, two));
    expect(await peer.byte()).toBe(ACK);
    await peer.send(EOT);
    expect((await receiving).data).toEqual(data);
  });

  it('an out-of-sequence block cancels the transfer', async () => {
    const { ours, peer } = pair();
    const receiving = rejection(xmodemReceive(ours));
    expect(await peer.byte()).toBe(C);
    await peer.send(block(1, bytes(10)));
    expect(await peer.byte()).toBe(ACK);
    await peer.send(block(3, bytes(10)));
    const err = await receiving;
    expect(err.code).toBe('protocol-error');
    expect(err.message).toBe('Block 3 arrived when block 2 was expected.');
    await expectCancelSequence(peer);
  });

  it('a YMODEM sender is told to use YMODEM', async () => {
    const { ours, peer } = pair();
    const receiving = rejection(xmodemReceive(ours));
    expect(await peer.byte()).toBe(C);
    await peer.send(encodeBlock(0, encodeYmodemHeader({ name: 'a', size: 1 }), 128, 'crc', 0));
    expect((await receiving).message).toMatch(/using YMODEM/);
  });

  it('gives up with a timeout when blocks stop coming, and cancels', async () => {
    const { ours, peer } = pair();
    const receiving = rejection(xmodemReceive(ours, { timeoutMs: 100, retries: 2 }));
    expect(await peer.byte()).toBe(C);
    await peer.send(block(1, bytes(10)));
    expect(await peer.byte()).toBe(ACK);
    expect(await peer.byte()).toBe(NAK);
    expect(await peer.byte()).toBe(NAK);
    const err = await receiving;
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('Gave up on xmodem after 3 bad or missing blocks.');
    await expectCancelSequence(peer);
  });

  it('no sender: start timeout', async () => {
    const { ours } = pair();
    const err = await rejection(xmodemReceive(ours, { startTimeoutMs: 100 }));
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/sender did not start/);
  });

  it('the sender cancels (CAN CAN)', async () => {
    const { ours, peer } = pair();
    const receiving = rejection(xmodemReceive(ours));
    expect(await peer.byte()).toBe(C);
    await peer.send(CAN, CAN);
    const err = await receiving;
    expect(err.code).toBe('protocol-error');
    expect(err.message).toBe('The sender cancelled the transfer.');
  });

  it('the caller aborts: cancelled and five CANs', async () => {
    const { ours, peer } = pair();
    const ac = new AbortController();
    const receiving = rejection(xmodemReceive(ours, { signal: ac.signal }));
    expect(await peer.byte()).toBe(C);
    ac.abort();
    expect((await receiving).code).toBe('cancelled');
    await expectCancelSequence(peer);
  });

  it('the transfer ends short of the expected size', async () => {
    const { ours, peer } = pair();
    const receiving = rejection(xmodemReceive(ours, { size: 200 }));
    expect(await peer.byte()).toBe(C);
    await peer.send(block(1, bytes(128)));
    expect(await peer.byte()).toBe(ACK);
    await peer.send(EOT);
    expect((await receiving).message).toBe('The transfer ended after 128 bytes; 200 were expected.');
  });

  it('link closed: device-gone', async () => {
    const { ours, peer } = pair();
    const receiving = rejection(xmodemReceive(ours));
    expect(await peer.byte()).toBe(C);
    await peer.stream.close();
    expect((await receiving).code).toBe('device-gone');
  });
});

describe('ymodemReceive', () => {
  it('NAKs the first EOT, ACKs the second; keeps padding when no size is announced', async () => {
    const { ours, peer } = pair();
    const receiving = ymodemReceive(ours);
    expect(await peer.byte()).toBe(C);
    await peer.send(encodeBlock(0, encodeYmodemHeader({ name: 'nosize' }), 128, 'crc', 0));
    expect([await peer.byte(), await peer.byte()]).toEqual([ACK, C]);
    await peer.send(block(1, Uint8Array.of(1, 2, 3)));
    expect(await peer.byte()).toBe(ACK);
    await peer.send(EOT);
    expect(await peer.byte()).toBe(NAK);
    await peer.send(EOT);
    expect([await peer.byte(), await peer.byte()]).toEqual([ACK, C]);
    await peer.send(encodeEndOfBatch('crc'));
    expect(await peer.byte()).toBe(ACK);
    const [f] = await receiving;
    expect(f.name).toBe('nosize');
    expect(f.size).toBe(128);
    expect(f.data.subarray(3).every((b) => b === SUB)).toBe(true);
  });

  it('a malformed header cancels with a protocol-error', async () => {
    const { ours, peer } = pair();
    const receiving = rejection(ymodemReceive(ours));
    expect(await peer.byte()).toBe(C);
    const payload = new Uint8Array(128);
    payload.set(new TextEncoder().encode('f\x0012abc'));
    await peer.send(encodeBlock(0, payload, 128, 'crc', 0));
    const err = await receiving;
    expect(err.code).toBe('protocol-error');
    expect(err.message).toMatch(/invalid file size/);
    await expectCancelSequence(peer);
  });

  it('an XMODEM sender (block 1 first) is refused', async () => {
    const { ours, peer } = pair();
    const receiving = rejection(ymodemReceive(ours));
    expect(await peer.byte()).toBe(C);
    await peer.send(block(1, bytes(10)));
    expect((await receiving).message).toMatch(/Is the sender using XMODEM\?/);
  });

  it('a file shorter than its header announced is an error', async () => {
    const { ours, peer } = pair();
    const receiving = rejection(ymodemReceive(ours));
    expect(await peer.byte()).toBe(C);
    await peer.send(encodeBlock(0, encodeYmodemHeader({ name: 'f', size: 500 }), 128, 'crc', 0));
    expect([await peer.byte(), await peer.byte()]).toEqual([ACK, C]);
    await peer.send(block(1, bytes(128)));
    expect(await peer.byte()).toBe(ACK);
    await peer.send(EOT);
    expect(await peer.byte()).toBe(NAK);
    await peer.send(EOT);
    expect((await receiving).message).toBe('f ended after 128 bytes; its header announced 500.');
  });

  it('a file larger than maxBytes is refused at its header', async () => {
    const { ours, peer } = pair();
    const receiving = rejection(ymodemReceive(ours, { maxBytes: 1000 }));
    expect(await peer.byte()).toBe(C);
    await peer.send(encodeBlock(0, encodeYmodemHeader({ name: 'huge', size: 5000 }), 128, 'crc', 0));
    expect((await receiving).message).toMatch(/more than the 1000-byte limit/);
  });
});
