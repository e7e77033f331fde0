import { encodeSerialLines, encodeSerialPacket, SerialFrameDecoder, rawBytesPerLine, serialEncodedLength, SERIAL_MAX_LINE, crc16Xmodem } from '../../../electron/host/protocols/smp';
import type { HostError } from '../../../electron/host/errors/host-error';
import { latin1, PUBLISHED, SERIAL, text } from './fixtures';

function collect() {
  const packets: Uint8Array[] = [];
  const consoleOut: string[] = [];
  const errors: HostError[] = [];
  const d = new SerialFrameDecoder({ onPacket: (p) => packets.push(p), onConsole: (b) => consoleOut.push(text(b)), onError: (e) => errors.push(e) });
  return { d, packets, errors, console: () => consoleOut.join('') };
}

const packetOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

describe('serial framing: encoder', () => {
  it('frames the published echo request exactly like the independent reference', () => {
    expect(encodeSerialLines(PUBLISHED.echoRequest).map(text)).toEqual([SERIAL.echoRequestLine]);
  });
  it('splits a long packet into a start line and continuation lines like the reference', () => {
    const val = Uint8Array.from({ length: 150 }, (_, i) => i);
    const cbor = Buffer.concat([Buffer.from([0xa2, 0x63]), Buffer.from('val'), Buffer.from([0x58, 150]), val, Buffer.from([0x64]), Buffer.from('name'), Buffer.from([0x67]), Buffer.from('example')]);
    const pkt = Uint8Array.from(Buffer.concat([Buffer.from([0x0a, 0, 0, cbor.length, 0, 3, 7, 0]), cbor]));
    expect(encodeSerialLines(pkt).map(text)).toEqual(SERIAL.twoLine);
  });
  it('a line holds 93 raw bytes: a 89-byte packet is one full 127-byte line', () => {
    expect(rawBytesPerLine()).toBe(93);
    const lines = encodeSerialLines(packetOf(89));
    expect(lines.map((l) => l.length)).toEqual([127]);
  });
  it('one byte more spills into a short continuation line', () => {
    const lines = encodeSerialLines(packetOf(90));
    expect(lines.map((l) => l.length)).toEqual([127, 7]);
    expect([lines[1][0], lines[1][1]]).toEqual([0x04, 0x14]);
  });
  it('never writes a line longer than 127 bytes and predicts its encoded size', () => {
    for (const n of [0, 1, 2, 3, 88, 89, 90, 91, 92, 93, 181, 182, 183, 500, 2044]) {
      const lines = encodeSerialLines(packetOf(n));
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(SERIAL_MAX_LINE);
      expect(encodeSerialPacket(packetOf(n)).length).toBe(serialEncodedLength(n));
    }
  });
  it('honours a custom line limit', () => {
    for (const l of encodeSerialLines(packetOf(300), 64)) expect(l.length).toBeLessThanOrEqual(64);
  });
  it('refuses packets the 16-bit length field cannot describe', () => {
    expect(() => encodeSerialLines(new Uint8Array(0x10000))).toThrow(/too large/);
  });
});

describe('serial framing: decoder', () => {
  it('decodes the reference frames', () => {
    const c = collect();
    c.d.push(latin1(SERIAL.echoRequestLine));
    c.d.push(latin1(SERIAL.twoLine.join('')));
    expect(c.packets.length).toBe(2);
    expect(Buffer.from(c.packets[0]).equals(Buffer.from(PUBLISHED.echoRequest))).toBe(true);
    expect(c.packets[1].length).toBe(178);
    expect(c.errors).toEqual([]);
  });
  it('round-trips every length around the line boundaries, fed byte by byte', () => {
    for (let n = 1; n <= 380; n++) {
      const c = collect();
      const wire = encodeSerialPacket(packetOf(n));
      for (const b of wire) c.d.push(Uint8Array.of(b));
      expect(c.errors).toEqual([]);
      expect(c.packets.length).toBe(1);
      expect(Buffer.from(c.packets[0]).equals(Buffer.from(packetOf(n)))).toBe(true);
    }
  });
  it('passes interleaved console text through untouched and still finds the packets', () => {
    const c = collect();
    const a = encodeSerialPacket(packetOf(200));
    const b = encodeSerialPacket(packetOf(10));
    c.d.push(latin1('uart:~$ log with no newline'));
    c.d.push(a.subarray(0, 50));
    c.d.push(a.subarray(50));
    c.d.push(latin1('[00:00:01.000] <inf> app: tick\n\x00\x01\x02'));
    c.d.push(b);
    c.d.push(latin1('bye\r\n'));
    expect(c.packets.map((p) => p.length)).toEqual([200, 10]);
    expect(c.console()).toBe('uart:~$ log with no newline[00:00:01.000] <inf> app: tick\n\x00\x01\x02bye\r\n');
    expect(c.errors).toEqual([]);
  });
  it('keeps a lone 0x04 or 0x06 that is not a marker as console data', () => {
    const c = collect();
    c.d.push(latin1('a\x04b\x06'));
    c.d.push(latin1('c'));
    expect(c.console()).toBe('a\x04b\x06c');
  });
  it('tolerates CRLF line endings from a tty', () => {
    const c = collect();
    c.d.push(latin1(SERIAL.echoRequestLine.replace('\n', '\r\n')));
    expect(c.packets.length).toBe(1);
  });

  describe('malformed frames give precise errors and the decoder recovers', () => {
    const good = () => encodeSerialPacket(packetOf(30));
    const expectRecovery = (c: ReturnType<typeof collect>) => {
      c.d.push(good());
      expect(c.packets.length).toBe(1);
      expect(c.packets[0].length).toBe(30);
    };
    it('bad base64', () => {
      const c = collect();
      c.d.push(latin1('\x06\x09AB*KAAAQ\n'));
      expect(c.errors[0].detail).toMatch(/0x2a at column 2 is not base64/);
      expectRecovery(c);
    });
    it('bad CRC', () => {
      const c = collect();
      const line = SERIAL.echoRequestLine.replace('qEQ==', 'qEA==');
      c.d.push(latin1(line));
      expect(c.errors[0].detail).toMatch(/CRC mismatch: the frame says 0xaa10, the data gives 0xaa11/);
      expectRecovery(c);
    });
    it('length field larger than the data, cut short by the next packet', () => {
      const c = collect();
      const raw = Uint8Array.from([0x00, 0x40, 1, 2, 3, 4, 5, 6]);
      c.d.push(latin1(`\x06\x09${Buffer.from(raw).toString('base64')}\n`));
      expect(c.errors).toEqual([]); // still waiting for continuation lines
      c.d.push(good());
      expect(c.errors[0].detail).toMatch(/new packet started before the previous one was complete \(had 6 of 64 bytes\)/);
      expect(c.packets.length).toBe(1);
    });
    it('length field smaller than the data', () => {
      const c = collect();
      const pkt = packetOf(10);
      const crc = crc16Xmodem(pkt);
      const raw = Uint8Array.from([0, 5, ...pkt, crc >> 8, crc & 0xff]);
      c.d.push(latin1(`\x06\x09${Buffer.from(raw).toString('base64')}\n`));
      expect(c.errors[0].detail).toMatch(/carries 12 bytes after the length field but the length field says 5/);
      expectRecovery(c);
    });
    it('length field too small to hold a CRC', () => {
      const c = collect();
      c.d.push(latin1(`\x06\x09${Buffer.from([0, 1, 9]).toString('base64')}\n`));
      expect(c.errors[0].detail).toMatch(/length field says 1 bytes, too short/);
      expectRecovery(c);
    });
    it('truncated: a line cut off by the next start marker', () => {
      const c = collect();
      const wire = good();
      c.d.push(wire.subarray(0, 20));
      c.d.push(wire);
      expect(c.errors[0].detail).toMatch(/cut off by a new marker before its newline/);
      expect(c.packets.length).toBe(1);
    });
    it('continuation without a start frame', () => {
      const c = collect();
      c.d.push(latin1('\x04\x14AAAA\n'));
      expect(c.errors[0].detail).toMatch(/continuation frame arrived without a start frame/);
      expectRecovery(c);
    });
    it('garbage between frames and an over-long frame line', () => {
      const c = collect();
      c.d.push(good());
      c.d.push(latin1('\x06\x09' + 'A'.repeat(600) + '\nnoise\n'));
      expect(c.errors[0].detail).toMatch(/longer than 512 characters/);
      expect(c.console()).toBe('noise\n');
      c.d.push(good());
      expect(c.packets.length).toBe(2);
    });
  });
});
