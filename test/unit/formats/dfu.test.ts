import { createHash } from 'node:crypto';
import { addDfuSuffix, dfuCrc, parseDfuSuffix } from '../../../electron/host/firmware/formats/dfu-suffix';
import { parseDfuFile } from '../../../electron/host/firmware/formats/dfu-file';
import { dfuSeTargets, parseDfuSe, writeDfuSe } from '../../../electron/host/firmware/formats/dfuse';
import { expectHostError } from './expect-error';
import { ascii, concat, prng, randomBytes } from './samples';

describe('DFU suffix', () => {
  it('CRC is the complement of the common CRC-32 (check value of "123456789" is 0xCBF43926)', () => {
    expect(dfuCrc(ascii('123456789'))).toBe(~0xcbf43926 >>> 0);
  });

  it('matches a file written by dfu-suffix 0.11 byte for byte', () => {
    // `dfu-suffix -a -v 0x1fc9 -p 0x000c` on 40 bytes of 0x00..0x27 wrote this suffix (see the integration test for the live check).
    const payload = Uint8Array.from({ length: 40 }, (_, i) => i);
    const out = addDfuSuffix(payload, { idVendor: 0x1fc9, idProduct: 0x000c });
    expect([...out.subarray(40, 52)]).toEqual([0xff, 0xff, 0x0c, 0x00, 0xc9, 0x1f, 0x00, 0x01, 0x55, 0x46, 0x44, 0x10]);
    const s = parseDfuSuffix(out);
    expect(s).toMatchObject({ idVendor: 0x1fc9, idProduct: 0x000c, bcdDevice: 0xffff, bcdDFU: 0x0100, length: 16, payloadEnd: 40 });
    expect(s.crc).toBe(dfuCrc(out.subarray(0, 52)));
  });

  it('parses a DFU file with the payload at the base address', () => {
    const payload = randomBytes(prng(1), 100);
    const meta = parseDfuFile(addDfuSuffix(payload, { idVendor: 0x0483, idProduct: 0xdf11, bcdDevice: 0x2200 }), { baseAddress: 0x08000000 });
    expect(meta.target).toBe('USB 0483:df11');
    expect(meta.segments).toEqual([{ address: 0x08000000, data: payload }]);
    expect(meta.sha256).toBe(createHash('sha256').update(payload).digest('hex'));
  });

  it('recognises the TI Stellaris and NXP LPC prefixes of dfu-prefix', () => {
    const payload = randomBytes(prng(2), 40);
    const stellaris = concat(Uint8Array.from([1, 0, 8, 0, 40, 0, 0, 0]), payload);
    const m1 = parseDfuFile(addDfuSuffix(stellaris));
    expect(m1.details.prefix).toEqual({ kind: 'stellaris', length: 8, address: 0x2000, payloadLength: 40 });
    expect(m1.segments).toEqual([{ address: 0x2000, data: payload }]);
    const lpc = concat(Uint8Array.from([0x1a, 0x3f, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]), payload);
    const m2 = parseDfuFile(addDfuSuffix(lpc));
    expect(m2.details.prefix).toMatchObject({ kind: 'lpc', blocks: 1, encrypted: false });
    expect(m2.segments[0].data).toEqual(payload);
    const badLpc = lpc.slice();
    badLpc[2] = 3;
    expectHostError(() => parseDfuFile(addDfuSuffix(badLpc)), 'invalid-params', /^byte offset 2 \(0x2\): NXP LPC prefix says 3 blocks/);
  });

  describe('malformed suffix', () => {
    const good = addDfuSuffix(randomBytes(prng(4), 64), { idVendor: 1, idProduct: 2 });
    it('CRC mismatch is verification-failed with both values', () => {
      const c = good.slice();
      c[10] ^= 0x80;
      expectHostError(() => parseDfuSuffix(c), 'verification-failed', /^byte offset 76 \(0x4c\): dwCRC is 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}/);
    });
    it('missing signature', () => {
      const c = good.slice();
      c[72] = 0x58;
      expectHostError(() => parseDfuSuffix(c), 'invalid-params', /^byte offset 72 \(0x48\): expected the DFU suffix signature "UFD" but found "DFX"/);
    });
    it('bLength below 16', () => {
      const c = good.slice();
      c[75] = 8;
      expectHostError(() => parseDfuSuffix(c), 'invalid-params', /^byte offset 75 \(0x4b\): suffix length bLength is 8/);
    });
    it('too short', () => {
      expectHostError(() => parseDfuSuffix(new Uint8Array(5)), 'invalid-params', /file is 5 bytes, too short/);
    });
    it('refuses to add a second suffix and 17-bit IDs', () => {
      expectHostError(() => addDfuSuffix(good), 'invalid-params', /"UFD" signature/);
      expectHostError(() => addDfuSuffix(new Uint8Array(4), { idVendor: 0x10000 }), 'invalid-params', /idVendor = 65536/);
    });
  });
});

describe('DfuSe container', () => {
  const rand = prng(9);
  const a = randomBytes(rand, 300);
  const b = randomBytes(rand, 20);
  const opt = randomBytes(rand, 16);
  const file = writeDfuSe(
    [
      { alternate: 0, name: 'Internal Flash', segments: [{ address: 0x08000000, data: a }, { address: 0x08004000, data: b }] },
      { alternate: 1, name: 'Option Bytes', segments: [{ address: 0x1fffc000, data: opt }] },
    ],
    { idVendor: 0x0483, idProduct: 0xdf11 },
  );

  it('round-trips targets, names, elements and IDs', () => {
    const meta = parseDfuSe(file);
    expect(meta.format).toBe('dfuse');
    expect(meta.target).toBe('USB 0483:df11');
    expect(meta.board).toBe('Internal Flash');
    expect(meta.segments.map((s) => s.address)).toEqual([0x08000000, 0x08004000, 0x1fffc000]);
    expect(meta.segments[0].data).toEqual(a);
    expect(meta.details.targets).toEqual([
      { alternate: 0, name: 'Internal Flash', size: 8 * 2 + 320, elements: [{ address: 0x08000000, size: 300 }, { address: 0x08004000, size: 20 }] },
      { alternate: 1, name: 'Option Bytes', size: 24, elements: [{ address: 0x1fffc000, size: 16 }] },
    ]);
    expect((meta.details.suffix as any).bcdDFU).toBe(0x011a);
    expect(meta.sha256Of).toBe('segments');
  });

  it('keeps overlapping targets apart (different memories)', () => {
    const f = writeDfuSe([{ alternate: 0, segments: [{ address: 0, data: a }] }, { alternate: 2, segments: [{ address: 0, data: b }] }]);
    const meta = parseDfuSe(f);
    expect(meta.segments).toEqual([{ address: 0, data: a }]);
    expect(meta.details.segmentsFrom).toMatch(/target 0 .* only/);
    expect(dfuSeTargets(f)[1]).toEqual({ alternate: 2, name: undefined, segments: [{ address: 0, data: b }] });
  });

  describe('malformed container names the byte offset', () => {
    const resuffix = (mutate: (body: Uint8Array) => void, bcd = 0x011a) => {
      const body = file.slice(0, file.length - 16);
      mutate(body);
      return (async () => (await import('../../../electron/host/firmware/formats/dfu-suffix')).addDfuSuffix(body, { bcdDFU: bcd }))();
    };
    it('wrong version', async () => {
      const f = await resuffix((x) => (x[5] = 2));
      expectHostError(() => parseDfuSe(f), 'invalid-params', /^byte offset 5 \(0x5\): bVersion is 2, expected 1/);
    });
    it('image size disagreeing with the file', async () => {
      const f = await resuffix((x) => (x[6] ^= 1));
      expectHostError(() => parseDfuSe(f), 'invalid-params', /^byte offset 6 \(0x6\): DFUImageSize is \d+, expected \d+/);
    });
    it('bad target signature', async () => {
      const f = await resuffix((x) => (x[11] = 0x74));
      expectHostError(() => parseDfuSe(f), 'invalid-params', /^byte offset 11 \(0xb\): target 0: expected the signature "Target" but found "target"/);
    });
    it('element size running past its target', async () => {
      const f = await resuffix((x) => (x[11 + 274 + 5] = 0x10));
      expectHostError(() => parseDfuSe(f), 'invalid-params', /^byte offset 289 \(0x121\): target 0 element 0: 4140 bytes run past the target's end/);
    });
    it('target count larger than the targets present', async () => {
      const f = await resuffix((x) => (x[10] = 3));
      expectHostError(() => parseDfuSe(f), 'invalid-params', /target 2 prefix needs 274 bytes/);
    });
    it('bytes left after the last target', async () => {
      const f = await resuffix((x) => (x[10] = 1));
      expectHostError(() => parseDfuSe(f), 'invalid-params', /^byte offset 621 \(0x26d\): 298 unexpected bytes after the last of 1 targets/);
    });
    it('plain DFU suffix version instead of 0x011A', async () => {
      const f = await resuffix(() => undefined, 0x0110);
      expectHostError(() => parseDfuSe(f), 'invalid-params', /suffix bcdDFU is 0x0110, expected 0x011a/);
    });
    it('CRC mismatch', () => {
      const f = file.slice();
      f[400] ^= 1;
      expectHostError(() => parseDfuSe(f), 'verification-failed', /dwCRC is/);
    });
  });
});
