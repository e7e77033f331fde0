// Seeded mutation fuzzing: every parser either returns a well-formed image or
// throws HostError with a detail; never another exception, never a hang.
import { HostError } from '../../../electron/host/errors/host-error';
import {
  addDfuSuffix, parseDfuFile, parseDfuSe, parseElf, parseImage, parseIntelHex, parseMcuboot, parseRawBinary, parseSRecord,
  writeDfuSe, type ImageMetadata,
} from '../../../electron/host/firmware/formats/index';
import { makeElf, makeIntelHex, makeMcuboot, makeSRecord, prng, randomBytes } from './samples';

const ITERATIONS = 2500;
const rand = prng(0x5eed);
const HEX = '0123456789ABCDEF';

function mutate(input: Uint8Array, text: boolean): Uint8Array {
  const b = input.slice();
  const at = () => Math.floor(rand() * b.length);
  switch (Math.floor(rand() * (text ? 7 : 6))) {
    case 0: {
      const flips = 1 + Math.floor(rand() * 4);
      for (let i = 0; i < flips && b.length; i++) b[at()] ^= 1 << Math.floor(rand() * 8);
      return b;
    }
    case 1:
      if (b.length) b[at()] = Math.floor(rand() * 256);
      return b;
    case 2:
      return b.subarray(0, at());
    case 3: {
      const i = at();
      const extra = randomBytes(rand, 1 + Math.floor(rand() * 16));
      const out = new Uint8Array(b.length + extra.length);
      out.set(b.subarray(0, i));
      out.set(extra, i);
      out.set(b.subarray(i), i + extra.length);
      return out;
    }
    case 4: {
      const i = at();
      const n = Math.floor(rand() * 32);
      const tail = b.subarray(Math.min(b.length, i + n));
      const out = new Uint8Array(i + tail.length);
      out.set(b.subarray(0, i));
      out.set(tail, i);
      return out;
    }
    case 5: {
      // Copy a run of bytes over another place (duplicated lines, shuffled fields).
      const from = at();
      const n = Math.floor(rand() * 48);
      b.copyWithin(at(), from, from + n);
      return b;
    }
    default: {
      // Text formats: replace hex digits with other hex digits so records stay syntactically plausible.
      const n = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < n && b.length; i++) {
        const j = at();
        if (HEX.includes(String.fromCharCode(b[j]).toUpperCase())) b[j] = HEX.charCodeAt(Math.floor(rand() * 16));
      }
      return b;
    }
  }
}

function assertWellFormed(meta: ImageMetadata): void {
  let prevEnd = -1;
  let size = 0;
  for (const s of meta.segments) {
    expect(Number.isSafeInteger(s.address) && s.address >= 0).toBe(true);
    expect(s.address).toBeGreaterThan(prevEnd - 1);
    expect(s.data).toBeInstanceOf(Uint8Array);
    prevEnd = s.address + s.data.length;
    size += s.data.length;
  }
  expect(meta.size).toBe(size);
  expect(meta.sha256).toMatch(/^[0-9a-f]{64}$/);
}

function fuzz(name: string, sample: Uint8Array, parse: (b: Uint8Array) => ImageMetadata, text = false, fix?: (b: Uint8Array) => Uint8Array, acceptsAnything = false) {
  it(`${name}: ${ITERATIONS} mutations give a valid image or a HostError`, () => {
    assertWellFormed(parse(sample));
    const counts = { ok: 0, rejected: 0 };
    const codes = new Set<string>();
    const started = Date.now();
    for (let i = 0; i < ITERATIONS; i++) {
      let input = mutate(sample, text);
      if (fix && rand() < 0.5) input = fix(input);
      const t0 = Date.now();
      try {
        assertWellFormed(parse(input));
        counts.ok++;
      } catch (err) {
        if (!(err instanceof HostError)) {
          throw new Error(`iteration ${i}: ${name} threw a non-HostError: ${(err as Error)?.stack ?? err}`);
        }
        expect(['invalid-params', 'verification-failed', 'not-supported']).toContain(err.code);
        expect(err.detail, `iteration ${i}: HostError without detail`).toBeTruthy();
        codes.add(err.code);
        counts.rejected++;
      }
      expect(Date.now() - t0, `iteration ${i} took too long`).toBeLessThan(2000);
    }
    // The mutations must actually reach the error paths (and not only one of them).
    if (acceptsAnything) expect(counts.rejected).toBe(0);
    else expect(counts.rejected).toBeGreaterThan(ITERATIONS / 10);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
}

const r = prng(42);
const blockA = randomBytes(r, 180);
const blockB = randomBytes(r, 60);
const segs = [{ address: 0x0800fff0, data: blockA }, { address: 0x08020000, data: blockB }];

/** Re-adds a valid CRC so mutations get past the suffix check into the container. */
const refixSuffix = (bcd: number) => (b: Uint8Array) => {
  try {
    return addDfuSuffix(b.subarray(0, Math.max(0, b.length - 16)), { bcdDFU: bcd });
  } catch {
    return b; // the body itself ends in "UFD": leave the mutation as it is
  }
};

describe('format parsers under fuzzing', () => {
  fuzz('Intel HEX', makeIntelHex(segs, { recordSize: 16, entry: 0x08000101 }), parseIntelHex, true);
  fuzz('S-record', makeSRecord(segs, { type: 3, recordSize: 24, entry: 0x08000101 }), parseSRecord, true);
  fuzz('ELF32 LE', makeElf({ entry: 0x100, segments: [{ paddr: 0x1000, data: blockB }, { paddr: 0x20000000, data: new Uint8Array(0), memsz: 64 }] }), (b) => parseElf(b));
  fuzz('ELF64 BE', makeElf({ is64: true, littleEndian: false, segments: [{ paddr: 0x1000, data: blockB }, { paddr: 0x2000, data: blockA.subarray(0, 30) }] }), (b) => parseElf(b));
  fuzz('MCUboot', makeMcuboot({ body: blockB, hdrSize: 32, securityCounter: 3, signature: 'ed25519' }), (b) => parseMcuboot(b, { slotSize: 4096 }));
  fuzz('DFU', addDfuSuffix(Uint8Array.from([1, 0, 8, 0, 60, 0, 0, 0, ...blockB]), { idVendor: 0x1234, idProduct: 5 }), (b) => parseDfuFile(b), false, refixSuffix(0x0100));
  fuzz(
    'DfuSe',
    writeDfuSe([{ alternate: 0, name: 'Flash', segments: [{ address: 0x08000000, data: blockB }, { address: 0x08001000, data: blockA.subarray(0, 20) }] }, { alternate: 1, segments: [{ address: 0, data: blockB.subarray(0, 8) }] }]),
    parseDfuSe,
    false,
    refixSuffix(0x011a),
  );
  fuzz('raw binary', blockA, (b) => parseRawBinary(b, 0x1000), false, undefined, true);
  fuzz('parseImage (auto-detect)', makeIntelHex(segs), (b) => parseImage(b, { fileName: 'x.hex' }), true);
});
