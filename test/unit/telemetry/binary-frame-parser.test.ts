import { BinaryFrameParser, type FrameFormat } from '../../../electron/host/telemetry/parsers/binary-frame-parser';
import { crc16Ccitt, crc32, sum8, xor8 } from '../../../electron/host/telemetry/parsers/checksums';
import { HostError } from '../../../electron/host/errors/host-error';
import { byChannel, bytesOf, feedCut } from './feed-helpers';

const FORMAT: FrameFormat = {
  sync: [0xaa, 0x55],
  length: { type: 'u8' },
  fields: [
    { name: 'ms', type: 'u32', time: true },
    { name: 'temp', type: 'i16', scale: 0.01 },
    { pad: 1 },
    { name: 'volt', type: 'u16', endian: 'be', scale: 0.001, offset: 0.5 },
    { name: 'accel', type: 'f32' },
  ],
  checksum: { kind: 'crc16-ccitt', covers: 'length-and-payload' },
};

/** Builds one frame of FORMAT the way firmware would (independently of the parser). */
function frame(ms: number, tempCenti: number, voltRaw: number, accel: number, corrupt = false): Uint8Array {
  const payload = new Uint8Array(13);
  const dv = new DataView(payload.buffer);
  dv.setUint32(0, ms, true);
  dv.setInt16(4, tempCenti, true);
  payload[6] = 0xee;
  dv.setUint16(7, voltRaw, false);
  dv.setFloat32(9, accel, true);
  const body = new Uint8Array([payload.length, ...payload]);
  const crc = crc16Ccitt(body, 0, body.length) ^ (corrupt ? 1 : 0);
  return new Uint8Array([0xaa, 0x55, ...body, crc & 0xff, crc >> 8]);
}

const join = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));

describe('checksums', () => {
  it('match the published check values', () => {
    const nine = bytesOf('123456789');
    expect(crc16Ccitt(nine, 0, 9)).toBe(0x29b1);
    expect(crc16Ccitt(nine, 0, 9, 0)).toBe(0x31c3); // XMODEM flavour
    expect(crc32(nine)).toBe(0xcbf43926);
    expect(sum8(nine, 0, 9)).toBe(0x1dd & 0xff);
    expect(xor8(nine, 0, 9)).toBe(0x31);
  });
});

describe('BinaryFrameParser', () => {
  it('decodes fields with types, endianness, scale, offset, pad and a time field', () => {
    const { samples, errors } = feedCut(new BinaryFrameParser(FORMAT), join(frame(1000, -1234, 3300, 0.5), frame(1010, 2500, 0, -9.81)), []);
    expect(errors).toEqual([]);
    const got = byChannel(samples);
    expect(got.temp).toEqual([[1000, -12.34], [1010, 25]]);
    expect(got.volt).toEqual([[1000, 3300 * 0.001 + 0.5], [1010, 0.5]]);
    expect(got.accel[1][1]).toBeCloseTo(-9.81, 5);
    expect(got.ms).toBeUndefined();
  });

  it('decodes every type and big-endian frames with sum8 over the whole frame', () => {
    const fmt: FrameFormat = {
      sync: [0x7e],
      endian: 'be',
      fields: (['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'f32', 'f64'] as const).map((type) => ({ name: type, type })),
      checksum: { kind: 'sum8', covers: 'frame' },
    };
    const p = new Uint8Array(1 + 1 + 1 + 2 + 2 + 4 + 4 + 4 + 8 + 1);
    const dv = new DataView(p.buffer);
    p[0] = 0x7e;
    dv.setUint8(1, 250);
    dv.setInt8(2, -5);
    dv.setUint16(3, 65000);
    dv.setInt16(5, -30000);
    dv.setUint32(7, 4000000000);
    dv.setInt32(11, -2000000000);
    dv.setFloat32(15, 1.5);
    dv.setFloat64(19, Math.PI);
    p[27] = sum8(p, 0, 27);
    const r = feedCut(new BinaryFrameParser(fmt), p, [], () => 5);
    expect(r.errors).toEqual([]);
    expect(Object.fromEntries(r.samples.map((s) => [s.channel, s.value]))).toEqual({ u8: 250, i8: -5, u16: 65000, i16: -30000, u32: 4000000000, i32: -2000000000, f32: 1.5, f64: Math.PI });
    expect(r.samples[0].t).toBe(5);
  });

  it('gives the same samples for a cut at every byte position (and every pair of cuts)', () => {
    const bytes = join(frame(1, 100, 1000, 1), frame(2, 200, 2000, 2), frame(3, 300, 3000, 3));
    const whole = byChannel(feedCut(new BinaryFrameParser(FORMAT), bytes, []).samples);
    expect(whole.temp).toEqual([[1, 1], [2, 2], [3, 3]]);
    for (let a = 0; a <= bytes.length; a++)
      for (let b = a; b <= bytes.length; b++) {
        const r = feedCut(new BinaryFrameParser(FORMAT), bytes, [a, b]);
        expect(r.errors).toEqual([]);
        expect(byChannel(r.samples)).toEqual(whole);
      }
  });

  it('resyncs after garbage, a bad checksum, a bad length and a false sync, one error each', () => {
    const bytes = join(
      bytesOf('boot: hello\r\n'), // garbage before the first frame
      frame(1, 100, 0, 0),
      frame(2, 200, 0, 0, true), // bad checksum
      frame(3, 300, 0, 0),
      new Uint8Array([0xaa, 0x55, 0xff]), // impossible length
      frame(4, 400, 0, 0),
      new Uint8Array([0x01, 0xaa, 0x02]), // noise containing half a sync word
      frame(5, 500, 0, 0),
    );
    for (const cuts of [[], [7], [20, 40, 41, 60]]) {
      const { samples, errors } = feedCut(new BinaryFrameParser(FORMAT), bytes, cuts);
      expect(byChannel(samples).temp.map(([t]) => t)).toEqual([1, 3, 4, 5]);
      expect(errors.map((e) => e.message.match(/garbage|not part of a frame|checksum|length/)?.[0])).toEqual(['not part of a frame', 'checksum', 'length', 'not part of a frame']);
      expect(errors[0].offset).toBe(0);
      expect(errors[0].message).toMatch(/Skipped 13 byte/);
      expect(errors[1].offset).toBe(13 + 18);
      expect(errors[3].message).toMatch(/Skipped 3 byte/);
    }
  });

  it('finds a real frame that starts inside a corrupt one', () => {
    const good = frame(9, 900, 0, 0);
    const torn = frame(8, 800, 0, 0).subarray(0, 6); // a frame cut off by a reset
    const r = feedCut(new BinaryFrameParser(FORMAT), join(torn, good), []);
    expect(byChannel(r.samples).temp).toEqual([[9, 9]]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].message).toMatch(/checksum/);
  });

  it('works without length or checksum, with xor8 and crc32', () => {
    const plain: FrameFormat = { sync: [0xa5], fields: [{ name: 'x', type: 'u8' }] };
    expect(byChannel(feedCut(new BinaryFrameParser(plain), new Uint8Array([0xa5, 1, 0xa5, 2]), []).samples)).toEqual({ x: [[1000, 1], [1000, 2]] });
    for (const kind of ['xor8', 'crc32'] as const) {
      const fmt: FrameFormat = { sync: [0xa5, 0x5a], length: { type: 'u16' }, maxPayload: 8, fields: [{ name: 'x', type: 'u16' }], checksum: { kind } };
      const payload = new Uint8Array([0x34, 0x12, 0x00]); // length 3: one spare byte after the fields is allowed
      const ck = kind === 'xor8' ? [xor8(payload, 0, 3)] : [...new Uint8Array(new Uint32Array([crc32(payload)]).buffer)];
      const f = new Uint8Array([0xa5, 0x5a, 3, 0, ...payload, ...ck]);
      const r = feedCut(new BinaryFrameParser(fmt), join(f, f), []);
      expect(r.errors).toEqual([]);
      expect(byChannel(r.samples)).toEqual({ x: [[1000, 0x1234], [1000, 0x1234]] });
    }
  });

  it('rejects a broken format with a plain message', () => {
    const bad: [Partial<FrameFormat>, RegExp][] = [
      [{ sync: [], fields: [{ name: 'a', type: 'u8' }] }, /sync word/],
      [{ sync: [256], fields: [{ name: 'a', type: 'u8' }] }, /sync word/],
      [{ sync: [1], fields: [] }, /at least one field/],
      [{ sync: [1], fields: [{ name: 'a', type: 'u24' as never }] }, /unknown type "u24"/],
      [{ sync: [1], fields: [{ name: 'a', type: 'u8' }, { name: 'a', type: 'u8' }] }, /unique/],
      [{ sync: [1], fields: [{ name: 't', type: 'u8', time: true }] }, /besides the time/],
      [{ sync: [1], fields: [{ name: 'a', type: 'u8' }], checksum: { kind: 'md5' as never } }, /unknown checksum/],
    ];
    for (const [fmt, re] of bad) {
      let err: unknown;
      try {
        new BinaryFrameParser(fmt as FrameFormat);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(HostError);
      expect((err as HostError).code).toBe('invalid-params');
      expect((err as HostError).message).toMatch(re);
    }
  });
});
