import { detectFormat, parseImage, addDfuSuffix, writeDfuSe } from '../../../electron/host/firmware/formats/index';
import { expectHostError } from './expect-error';
import { ascii, makeElf, makeIntelHex, makeMcuboot, makeSRecord, prng, randomBytes } from './samples';

describe('detectFormat / parseImage', () => {
  const data = randomBytes(prng(8), 64);
  const segs = [{ address: 0x100, data }];
  const samples = {
    ihex: makeIntelHex(segs),
    srec: makeSRecord(segs),
    elf: makeElf({ segments: [{ paddr: 0x100, data }] }),
    mcuboot: makeMcuboot({ body: data }),
    dfu: addDfuSuffix(data),
    dfuse: writeDfuSe([{ alternate: 0, segments: segs }]),
  } as const;

  it.each(Object.entries(samples))('detects %s from the content alone', (format, bytes) => {
    expect(detectFormat(bytes)).toBe(format);
    expect(parseImage(bytes).format).toBe(format);
  });

  it('gives a text format and its twin the same memory image and hash', () => {
    expect(parseImage(samples.ihex).sha256).toBe(parseImage(samples.srec).sha256);
    expect(parseImage(samples.elf).sha256).toBe(parseImage(samples.ihex).sha256);
    expect(parseImage(data, { baseAddress: 0x100 }).sha256).toBe(parseImage(samples.ihex).sha256);
  });

  it('falls back to the file name, then to raw binary', () => {
    expect(detectFormat(ascii('garbage'), 'fw.hex')).toBe('ihex');
    expect(detectFormat(Uint8Array.from([0, 1, 2]), 'fw.bin')).toBe('raw');
    expect(detectFormat(Uint8Array.from([0, 1, 2]))).toBe('raw');
  });

  it('an Intel HEX name on garbage reports the line', () => {
    expectHostError(() => parseImage(ascii('hello\n'), { fileName: 'fw.hex' }), 'invalid-params', /^line 1: expected a record starting with ':'/);
  });

  it('raw binary needs a sane base address', () => {
    expectHostError(() => parseImage(data, { format: 'raw', baseAddress: -1 }), 'invalid-params', /baseAddress = -1/);
    const m = parseImage(data, { format: 'raw', baseAddress: 0x08000000 });
    expect(m.segments).toEqual([{ address: 0x08000000, data }]);
  });

  it('passes the slot size to MCUboot', () => {
    expectHostError(() => parseImage(samples.mcuboot, { slotSize: 100 }), 'invalid-params', /slot holds 100/);
  });
});
