import { parseElf } from '../../../electron/host/firmware/formats/elf';
import { expectHostError } from './expect-error';
import { makeElf, prng, randomBytes } from './samples';

describe('ELF parser', () => {
  const rand = prng(3);
  const text = randomBytes(rand, 120);
  const data = randomBytes(rand, 40);

  it.each([
    [false, true],
    [false, false],
    [true, true],
    [true, false],
  ])('ELF%s little=%s: PT_LOAD at physical addresses, zero fill, entry', (is64, littleEndian) => {
    const elf = makeElf({
      is64,
      littleEndian,
      entry: 0x08000041,
      segments: [
        { paddr: 0x08000000, data: text },
        // .data: runs from RAM, loaded from flash right after .text
        { paddr: 0x08000078, vaddr: 0x20000000, data, memsz: 40 },
        // .bss: only memsz
        { paddr: 0x20000100, data: new Uint8Array(0), memsz: 16 },
        { paddr: 0x0, data: Uint8Array.from([1, 2]), type: 4 }, // PT_NOTE: ignored
      ],
    });
    const meta = parseElf(elf);
    expect(meta.entry).toBe(0x08000041);
    expect(meta.details.class).toBe(is64 ? 'ELF64' : 'ELF32');
    expect(meta.details.endian).toBe(littleEndian ? 'little' : 'big');
    expect(meta.target).toBe('ARM');
    expect(meta.segments.map((s) => [s.address, s.data.length])).toEqual([[0x08000000, 160], [0x20000100, 16]]);
    expect(meta.segments[0].data.subarray(0, 120)).toEqual(text);
    expect(meta.segments[0].data.subarray(120)).toEqual(data);
    expect([...meta.segments[1].data]).toEqual(new Array(16).fill(0));
    expect(meta.details.zeroFillBytes).toBe(16);
    const fileOnly = parseElf(elf, { zeroFill: false });
    expect(fileOnly.segments.map((s) => s.address)).toEqual([0x08000000]);
  });

  describe('malformed input names the byte offset', () => {
    const good = makeElf({ segments: [{ paddr: 0x1000, data: text }] });
    const patch = (at: number, ...bytes: number[]) => {
      const c = good.slice();
      c.set(bytes, at);
      return c;
    };
    it('bad magic', () => {
      expectHostError(() => parseElf(patch(1, 0x46)), 'invalid-params', /^byte offset 0 \(0x0\): expected the ELF magic/);
    });
    it('bad class', () => {
      expectHostError(() => parseElf(patch(4, 3)), 'invalid-params', /^byte offset 4 \(0x4\): EI_CLASS is 3/);
    });
    it('bad data encoding', () => {
      expectHostError(() => parseElf(patch(5, 0)), 'invalid-params', /^byte offset 5 \(0x5\): EI_DATA is 0/);
    });
    it('truncated header', () => {
      expectHostError(() => parseElf(good.subarray(0, 40)), 'invalid-params', /ELF32 header needs 52 bytes at byte offset 0 .* file ends at 40 bytes/);
    });
    it('truncated e_ident', () => {
      expectHostError(() => parseElf(good.subarray(0, 10)), 'invalid-params', /ELF identification \(e_ident\) needs 16 bytes/);
    });
    it('program header table past EOF', () => {
      expectHostError(() => parseElf(patch(28, 0xff, 0x0f)), 'invalid-params', /program header table \(1 entries of 32 bytes at e_phoff 0xfff\) needs 32 bytes/);
    });
    it('segment data past EOF', () => {
      expectHostError(() => parseElf(good.subarray(0, good.length - 1)), 'invalid-params', /^byte offset 52 \(0x34\): program header 0: segment data 0x54\.\.0xcc runs past the end of the file \(203 bytes\)/);
    });
    it('filesz larger than memsz', () => {
      expectHostError(() => parseElf(patch(52 + 20, 1, 0, 0, 0)), 'invalid-params', /^byte offset 52 \(0x34\): program header 0: p_filesz 120 is larger than p_memsz 1/);
    });
    it('no program headers', () => {
      expectHostError(() => parseElf(patch(44, 0, 0)), 'invalid-params', /^byte offset 44 \(0x2c\): there are no program headers/);
    });
    it('overlapping PT_LOAD segments', () => {
      const elf = makeElf({ segments: [{ paddr: 0x1000, data: text }, { paddr: 0x1010, data }] });
      expectHostError(() => parseElf(elf), 'invalid-params', /program header 1 at 0x1010 overlaps program header 0/);
    });
  });
});
