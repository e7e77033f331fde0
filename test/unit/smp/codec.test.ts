import { crc16Xmodem, decodeHeader, decodeMessage, encodeHeader, encodeMessage, encodeCbor, decodeCborMap, SmpOp, compareCanonicalKeys } from '../../../electron/host/protocols/smp';
import { HostError } from '../../../electron/host/errors/host-error';
import { hex, PUBLISHED, SERIAL } from './fixtures';

describe('CRC-16/XMODEM', () => {
  it('gives the catalogue check value for "123456789"', () => {
    expect(crc16Xmodem(new TextEncoder().encode('123456789'))).toBe(0x31c3);
  });
  it('matches the independently computed CRC of a published packet', () => {
    expect(crc16Xmodem(PUBLISHED.echoRequest)).toBe(SERIAL.echoRequestCrc);
  });
  it('is 0 over data followed by its own CRC (the receiver check)', () => {
    const d = hex('0102030405');
    const c = crc16Xmodem(d);
    expect(crc16Xmodem(Uint8Array.from([...d, c >> 8, c & 0xff]))).toBe(0);
    expect(crc16Xmodem(new Uint8Array(0))).toBe(0);
  });
});

describe('SMP header', () => {
  it('decodes the published echo request header', () => {
    expect(decodeHeader(PUBLISHED.echoRequest)).toEqual({ version: 2, op: SmpOp.Write, flags: 0, length: 16, group: 0, seq: 139, id: 0 });
  });
  it('round-trips v1 and v2 headers', () => {
    for (const version of [1, 2] as const) {
      const h = { version, op: SmpOp.ReadResponse, flags: 0, length: 0x1234, group: 0x0102, seq: 255, id: 6 };
      const b = encodeHeader(h);
      expect(b[0]).toBe(version === 2 ? 0x09 : 0x01);
      expect(decodeHeader(b)).toEqual(h);
    }
  });
  it('rejects truncated headers, reserved bits, unknown versions and ops with clear errors', () => {
    expect(() => decodeHeader(hex('0a0000'))).toThrow(/truncated/);
    expect(() => decodeHeader(hex('2a00000000000000'))).toThrow(/reserved bits/);
    expect(() => decodeHeader(hex('1200000000000000'))).toThrow(/SMP version/);
    expect(() => decodeHeader(hex('0c00000000000000'))).toThrow(/unknown operation/);
  });
  it('refuses out-of-range fields when encoding', () => {
    expect(() => encodeHeader({ version: 2, op: 0, flags: 0, length: 0x10000, group: 0, seq: 0, id: 0 })).toThrow(HostError);
    expect(() => encodeHeader({ version: 2, op: 0, flags: 0, length: 0, group: 0, seq: 256, id: 0 })).toThrow(/seq/);
  });
});

describe('SMP messages (header + canonical CBOR) against published bytes', () => {
  const cases: Array<[string, Uint8Array, Parameters<typeof encodeMessage>[0]]> = [
    ['echo request', PUBLISHED.echoRequest, { version: 2, op: SmpOp.Write, group: 0, id: 0, seq: 139, body: { d: 'Hello world!' } }],
    ['params response', PUBLISHED.paramsResponse, { version: 2, op: SmpOp.ReadResponse, group: 0, id: 6, seq: 152, body: { buf_size: 1, buf_count: 2 } }],
    ['reset request', PUBLISHED.resetRequest, { version: 2, op: SmpOp.Write, group: 0, id: 5, seq: 141, body: {} }],
    ['upload response', PUBLISHED.uploadResponseMatch, { version: 2, op: SmpOp.WriteResponse, group: 1, id: 1, seq: 26, body: { off: 0, match: true } }],
    ['upload response, 32-bit offset', PUBLISHED.uploadResponseMaxOff, { version: 2, op: SmpOp.WriteResponse, group: 1, id: 1, seq: 24, body: { off: 4294967295 } }],
    // Key order given backwards: canonical encoding still puts "val" before "name".
    ['settings write', PUBLISHED.settingsWriteRequest, { version: 2, op: SmpOp.Write, group: 3, id: 0, seq: 56, body: { name: 'example', val: new TextEncoder().encode('example') } }],
    ['stats response', PUBLISHED.statsResponse, { version: 2, op: SmpOp.ReadResponse, group: 2, id: 0, seq: 69, body: { fields: { field2: 2, field1: 1 }, name: 'example' } }],
  ];
  it.each(cases)('%s encodes byte-exact', (_n, bytes, fields) => {
    expect(Buffer.from(encodeMessage(fields)).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
  });
  it.each(cases)('%s decodes to the same fields', (_n, bytes, fields) => {
    const m = decodeMessage(bytes);
    expect(m.header).toMatchObject({ version: fields.version, op: fields.op, group: fields.group, id: fields.id, seq: fields.seq });
    expect(m.body).toEqual(fields.body);
  });
  it('decodes byte strings as plain Uint8Array', () => {
    const body = decodeMessage(PUBLISHED.settingsWriteRequest).body;
    expect(Object.getPrototypeOf(body.val)).toBe(Uint8Array.prototype);
  });
  it('rejects a length field that disagrees with the packet', () => {
    const bad = PUBLISHED.echoRequest.slice(0, -1);
    expect(() => decodeMessage(bad)).toThrow(/length field does not match/);
  });
  it('rejects truncated or non-map CBOR bodies', () => {
    expect(() => decodeMessage(hex('0a00000300000000a16164'))).toThrow(/could not be decoded/);
    expect(() => decodeMessage(hex('0a000001000000000a'))).toThrow(/not a CBOR map/);
  });
});

describe('canonical CBOR', () => {
  it('orders keys length-first, then bytewise', () => {
    expect(['name', 'off', 'data', 'len', 'sha', 'image', 'upgrade', 'a', 'b'].sort(compareCanonicalKeys)).toEqual(['a', 'b', 'len', 'off', 'sha', 'data', 'name', 'image', 'upgrade']);
  });
  it('uses shortest integer forms, uint64 beyond 32 bits, and drops undefined', () => {
    expect(Buffer.from(encodeCbor({ a: 23, b: 24, c: 0x10000, d: undefined })).toString('hex')).toBe('a36161176162181861631a00010000');
    expect(Buffer.from(encodeCbor({ o: 2 ** 33 })).toString('hex')).toBe('a1616f1b0000000200000000');
  });
  it('accepts indefinite-length maps from tinycbor servers', () => {
    expect(decodeCborMap(hex('bf627263006172f5ff'))).toEqual({ rc: 0, r: true });
  });
});
