import {
  ACK,
  CAN,
  CRC_REQUEST,
  EOT,
  NAK,
  SOH,
  STX,
  SUB,
  blockCount,
  checksum8,
  crc16Xmodem,
  decodeBlock,
  decodeYmodemHeader,
  encodeBlock,
  encodeEndOfBatch,
  encodeYmodemHeader,
  frameLength,
} from '../../../electron/host/protocols/xmodem';
import { HostError } from '../../../electron/host/errors/host-error';

const ascii = (s: string) => new TextEncoder().encode(s);

function expectHostError(fn: () => unknown, code: string, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HostError);
    expect((e as HostError).code).toBe(code);
    expect((e as HostError).message).toMatch(message);
    return;
  }
  throw new Error('expected a HostError');
}

describe('control bytes', () => {
  it('have the values of the XMODEM spec', () => {
    expect([SOH, STX, EOT, ACK, NAK, CAN, SUB, CRC_REQUEST]).toEqual([0x01, 0x02, 0x04, 0x06, 0x15, 0x18, 0x1a, 0x43]);
    expect(String.fromCharCode(CRC_REQUEST)).toBe('C');
  });
});

describe('CRC-16/XMODEM and checksum', () => {
  it('matches the catalogue check value 0x31C3 for "123456789"', () => {
    expect(crc16Xmodem(ascii('123456789'))).toBe(0x31c3);
  });
  it('matches other known vectors', () => {
    expect(crc16Xmodem(new Uint8Array(0))).toBe(0x0000);
    expect(crc16Xmodem(ascii('A'))).toBe(0x58e5);
    // A block of padding: Python's binascii.crc_hqx(bytes([0x1a] * 128), 0) == 0xf8b0.
    expect(crc16Xmodem(new Uint8Array(128).fill(SUB))).toBe(0xf8b0);
    // A message followed by its own CRC (big-endian) has a CRC of zero.
    const msg = ascii('fwbench');
    const crc = crc16Xmodem(msg);
    expect(crc16Xmodem(Uint8Array.of(...msg, crc >> 8, crc & 0xff))).toBe(0);
  });
  it('checksum is the byte sum modulo 256', () => {
    expect(checksum8(ascii('123456789'))).toBe(0xdd);
    expect(checksum8(Uint8Array.of(0xff, 0x02))).toBe(0x01);
    expect(checksum8(new Uint8Array(0))).toBe(0);
  });
});

describe('encodeBlock / decodeBlock', () => {
  it('frames a 128-byte CRC block: SOH, seq, complement, payload padded with SUB, CRC big-endian', () => {
    const f = encodeBlock(1, ascii('hi'), 128, 'crc');
    expect(f.length).toBe(133);
    expect(Array.from(f.subarray(0, 5))).toEqual([SOH, 1, 0xfe, 0x68, 0x69]);
    expect(f.subarray(5, 131).every((b) => b === SUB)).toBe(true);
    const crc = crc16Xmodem(f.subarray(3, 131));
    expect([f[131], f[132]]).toEqual([crc >> 8, crc & 0xff]);
  });
  it('frames a 1024-byte checksum block with STX and one check byte', () => {
    const payload = new Uint8Array(1024).map((_, i) => i & 0xff);
    const f = encodeBlock(2, payload, 1024, 'checksum');
    expect(f.length).toBe(1028);
    expect([f[0], f[1], f[2]]).toEqual([STX, 2, 0xfd]);
    expect(f[1027]).toBe(checksum8(payload));
  });
  it('wraps the block number at 256', () => {
    const f = encodeBlock(256, ascii('x'), 128, 'crc');
    expect([f[1], f[2]]).toEqual([0, 0xff]);
    expect(decodeBlock(encodeBlock(257, ascii('x'), 128, 'crc'), 'crc').seq).toBe(1);
  });
  it('round-trips in both modes and both sizes', () => {
    for (const mode of ['crc', 'checksum'] as const)
      for (const size of [128, 1024] as const) {
        const payload = new Uint8Array(size).map((_, i) => (i * 7 + 3) & 0xff);
        const d = decodeBlock(encodeBlock(42, payload, size, mode), mode);
        expect(d.seq).toBe(42);
        expect(d.payload).toEqual(payload);
        expect(frameLength(size === 128 ? SOH : STX, mode)).toBe(3 + size + (mode === 'crc' ? 2 : 1));
      }
  });
  it('pads with the byte asked for (NUL for YMODEM block 0)', () => {
    const f = encodeBlock(0, ascii('a'), 128, 'crc', 0);
    expect(f.subarray(4, 131).every((b) => b === 0)).toBe(true);
  });
  it('rejects oversize payloads and bad block sizes', () => {
    expectHostError(() => encodeBlock(1, new Uint8Array(129), 128, 'crc'), 'invalid-params', /cannot hold 129/);
    expectHostError(() => encodeBlock(1, new Uint8Array(1), 256 as 128, 'crc'), 'invalid-params', /128 or 1024/);
  });
  it('rejects a flipped payload bit (CRC)', () => {
    const f = encodeBlock(3, ascii('data'), 128, 'crc');
    f[10] ^= 0x01;
    expectHostError(() => decodeBlock(f, 'crc'), 'protocol-error', /block 3 failed its CRC/);
  });
  it('rejects a flipped payload bit (checksum)', () => {
    const f = encodeBlock(3, ascii('data'), 128, 'checksum');
    f[10] ^= 0x80;
    expectHostError(() => decodeBlock(f, 'checksum'), 'protocol-error', /failed its checksum/);
  });
  it('rejects a bad complement', () => {
    const f = encodeBlock(5, ascii('x'), 128, 'crc');
    f[2] = 0x00;
    expectHostError(() => decodeBlock(f, 'crc'), 'protocol-error', /complement do not match/);
  });
  it('rejects a wrong length, a wrong header byte and an empty frame', () => {
    const f = encodeBlock(5, ascii('x'), 128, 'crc');
    expectHostError(() => decodeBlock(f.subarray(0, 132), 'crc'), 'protocol-error', /wrong length/);
    expectHostError(() => decodeBlock(f, 'checksum'), 'protocol-error', /wrong length/);
    const g = f.slice();
    g[0] = 0x41;
    expectHostError(() => decodeBlock(g, 'crc'), 'protocol-error', /Not an XMODEM block header/);
    expectHostError(() => decodeBlock(new Uint8Array(0), 'crc'), 'protocol-error', /Empty/);
  });
  it('counts blocks', () => {
    expect(blockCount(0, 1024)).toBe(0);
    expect(blockCount(1, 1024)).toBe(1);
    expect(blockCount(1024, 1024)).toBe(1);
    expect(blockCount(1025, 128)).toBe(9);
  });
});

describe('YMODEM block 0', () => {
  it('encodes name NUL decimal size in a 128-byte payload', () => {
    const p = encodeYmodemHeader({ name: 'foo.bin', size: 1234 });
    expect(p.length).toBe(128);
    const text = new TextDecoder().decode(p.subarray(0, p.indexOf(0, 8)));
    expect(text).toBe('foo.bin\x001234');
    expect(p.subarray(12).every((b) => b === 0)).toBe(true);
  });
  it('adds mtime (octal seconds) and mode (octal)', () => {
    const p = encodeYmodemHeader({ name: 'a', size: 10, mtime: new Date(1_700_000_000_500), mode: 0o100644 });
    const info = new TextDecoder().decode(p.subarray(2, p.indexOf(0, 2)));
    expect(info).toBe(`10 ${(1_700_000_000).toString(8)} 100644`);
  });
  it('writes mtime 0 when only a mode is given (fields are positional)', () => {
    const p = encodeYmodemHeader({ name: 'a', size: 1, mode: 0o644 });
    expect(new TextDecoder().decode(p.subarray(2, p.indexOf(0, 2)))).toBe('1 0 644');
  });
  it('moves to a 1024-byte payload when the name is long', () => {
    const p = encodeYmodemHeader({ name: 'n'.repeat(200), size: 1 });
    expect(p.length).toBe(1024);
    expect(decodeYmodemHeader(p)).toEqual({ name: 'n'.repeat(200), size: 1 });
  });
  it('round-trips', () => {
    const h = { name: 'dir/fw-1.2.itb', size: 307200, mtime: new Date(1_600_000_000_000), mode: 0o100755 };
    expect(decodeYmodemHeader(encodeYmodemHeader(h))).toEqual(h);
    expect(decodeYmodemHeader(encodeYmodemHeader({ name: 'x' }))).toEqual({ name: 'x' });
  });
  it('parses lrzsz headers with serial number and extra fields, and treats zero mtime/mode as unknown', () => {
    const p = new Uint8Array(128);
    p.set(ascii('img.bin\x00300 14506373321 100644 0 1 300'));
    expect(decodeYmodemHeader(p)).toEqual({ name: 'img.bin', size: 300, mtime: new Date(parseInt('14506373321', 8) * 1000), mode: 0o100644 });
    const q = new Uint8Array(128);
    q.set(ascii('z\x005 0 0'));
    expect(decodeYmodemHeader(q)).toEqual({ name: 'z', size: 5 });
  });
  it('end of batch: empty name; encodeEndOfBatch is an all-zero block 0', () => {
    expect(decodeYmodemHeader(new Uint8Array(128))).toBeNull();
    const f = encodeEndOfBatch('crc');
    expect(f.length).toBe(133);
    expect([f[0], f[1], f[2]]).toEqual([SOH, 0, 0xff]);
    expect(decodeBlock(f, 'crc').payload.every((b) => b === 0)).toBe(true);
    expect(encodeEndOfBatch('checksum').length).toBe(132);
  });
  it('rejects bad names, sizes, modes and dates when encoding', () => {
    expectHostError(() => encodeYmodemHeader({ name: '' }), 'invalid-params', /needs a name/);
    expectHostError(() => encodeYmodemHeader({ name: 'a\0b' }), 'invalid-params', /NUL/);
    expectHostError(() => encodeYmodemHeader({ name: 'n'.repeat(1020), size: 12345 }), 'invalid-params', /too long/);
    expectHostError(() => encodeYmodemHeader({ name: 'a', size: -1 }), 'invalid-params', /whole number/);
    expectHostError(() => encodeYmodemHeader({ name: 'a', size: 1.5 }), 'invalid-params', /whole number/);
    expectHostError(() => encodeYmodemHeader({ name: 'a', mode: -5 }), 'invalid-params', /mode/);
    expectHostError(() => encodeYmodemHeader({ name: 'a', mtime: new Date(-5000) }), 'invalid-params', /after 1970/);
  });
  it('rejects malformed headers when decoding', () => {
    const noNul = new Uint8Array(128).fill(0x41);
    expectHostError(() => decodeYmodemHeader(noNul), 'protocol-error', /no NUL/);
    const bad = (s: string) => {
      const p = new Uint8Array(128);
      p.set(ascii(s));
      return p;
    };
    expectHostError(() => decodeYmodemHeader(bad('a\x0012x')), 'protocol-error', /invalid file size/);
    expectHostError(() => decodeYmodemHeader(bad('a\x00-3')), 'protocol-error', /invalid file size/);
    expectHostError(() => decodeYmodemHeader(bad('a\x00123456789012345678901')), 'protocol-error', /impossible file size/);
    expectHostError(() => decodeYmodemHeader(bad('a\x0012 189')), 'protocol-error', /modification time/);
    expectHostError(() => decodeYmodemHeader(bad('a\x0012 0 9')), 'protocol-error', /file mode/);
  });
});
