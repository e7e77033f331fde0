import { decodeJson, encodeJson, fromBase64, toBase64, RequestEnvelope } from '../../../electron/contract/wire';
import { REQUEST_PARAMS } from '../../../electron/contract/channels';

describe('wire encoding', () => {
  it('round-trips typed arrays inside nested values', () => {
    const value = { a: new Uint8Array([0, 1, 254, 255]), b: [new Float32Array([1.5, -2.25])], c: { t: new Float64Array([Date.now(), 1e-300]) }, s: 'x' };
    const back = decodeJson(encodeJson(value)) as typeof value;
    expect(back.a).toBeInstanceOf(Uint8Array);
    expect([...back.a]).toEqual([0, 1, 254, 255]);
    expect(back.b[0]).toBeInstanceOf(Float32Array);
    expect([...back.b[0]]).toEqual([1.5, -2.25]);
    expect([...back.c.t]).toEqual([...value.c.t]);
    expect(back.s).toBe('x');
  });

  it('round-trips a subarray view without leaking the rest of its buffer', () => {
    const big = new Uint8Array([9, 9, 1, 2, 3, 9]);
    const back = decodeJson(encodeJson({ v: big.subarray(2, 5) })) as { v: Uint8Array };
    expect([...back.v]).toEqual([1, 2, 3]);
  });

  it('matches RFC 4648 base64 test vectors', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']];
    for (const [plain, b64] of vectors) {
      const bytes = new TextEncoder().encode(plain);
      expect(toBase64(bytes)).toBe(b64);
      expect(new TextDecoder().decode(fromBase64(b64))).toBe(plain);
    }
  });

  it('rejects malformed base64 and typed-array tags with clear errors', () => {
    expect(() => fromBase64('Zm9!')).toThrow(/bad character/);
    expect(() => fromBase64('Z')).toThrow(/impossible length/);
    expect(() => decodeJson('{"x":{"$ta":"f32","b64":"AAA="}}')).toThrow(/multiple of its element size/);
  });

  it('leaves objects that merely look like tags alone when they carry other keys', () => {
    const back = decodeJson('{"x":{"$ta":"u8","b64":"AA==","extra":1}}') as { x: Record<string, unknown> };
    expect(back.x.extra).toBe(1);
  });
});

describe('request envelope and channel schemas', () => {
  it('rejects extra fields on the envelope and on params', () => {
    expect(RequestEnvelope.safeParse({ id: 1, channel: 'devices.list', params: {}, admin: true }).success).toBe(false);
    expect(REQUEST_PARAMS['session.open'].safeParse({ deviceId: 'x', sneaky: 1 }).success).toBe(false);
  });

  it('requires an explicit acknowledgement to grant a scope', () => {
    const base = { sessionId: 's', scope: 'configuration' };
    expect(REQUEST_PARAMS['session.grant'].safeParse(base).success).toBe(false);
    expect(REQUEST_PARAMS['session.grant'].safeParse({ ...base, confirm: { acknowledged: false } }).success).toBe(false);
    expect(REQUEST_PARAMS['session.grant'].safeParse({ ...base, confirm: { acknowledged: true } }).success).toBe(true);
  });

  it('rejects unknown scopes and out-of-range grant lifetimes', () => {
    const ok = { sessionId: 's', scope: 'configuration', confirm: { acknowledged: true } };
    expect(REQUEST_PARAMS['session.grant'].safeParse({ ...ok, scope: 'root' }).success).toBe(false);
    expect(REQUEST_PARAMS['session.grant'].safeParse({ ...ok, ttlSeconds: 1 }).success).toBe(false);
    expect(REQUEST_PARAMS['session.grant'].safeParse({ ...ok, ttlSeconds: 10 ** 9 }).success).toBe(false);
  });

  it('only accepts serial device paths', () => {
    const ok = (path: string) => REQUEST_PARAMS['devices.add-serial'].safeParse({ path }).success;
    for (const p of ['/dev/ttyUSB0', '/dev/ttyACM1', '/dev/ttyS0', '/dev/pts/7', '/dev/serial/by-id/usb-FTDI_FT232R_A5XK3RJT-if00-port0', '/dev/rfcomm0']) expect(ok(p), p).toBe(true);
    for (const p of ['/etc/passwd', '/dev/../etc/passwd', '/dev/mem', '/dev/sda', '/dev/fwctl/fwctl0', '/dev/tty/../mem', '/dev/pts/x']) expect(ok(p), p).toBe(false);
  });
});
