// ELF32/ELF64, little and big endian: PT_LOAD segments at their physical (load)
// addresses, which is where a flash programmer writes them. memsz beyond filesz
// is zero-fill (.bss); `zeroFill: false` keeps only file bytes, as objcopy -O binary does.
import { BinaryView } from './binary-view';
import { atOffset, hex, malformed } from './format-error';
import { describeImage, normalizeSegments, type ImageMetadata, type SourcedSegment } from './memory-image';

const PT_LOAD = 1;
const PN_XNUM = 0xffff;
/** Refuse to allocate more than this for one segment (zero-fill included). */
const MAX_SEGMENT = 256 * 1024 * 1024;
const ELF_TYPES: Record<number, string> = { 0: 'none', 1: 'relocatable', 2: 'executable', 3: 'shared object', 4: 'core' };
/** A few machines a lab meets, for the report; others show as a number. */
const MACHINES: Record<number, string> = {
  3: 'x86', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 40: 'ARM', 62: 'x86-64', 83: 'AVR', 94: 'Xtensa', 183: 'AArch64', 243: 'RISC-V',
};

export interface ElfOptions {
  /** Include memsz-filesz zero bytes (default true). */
  zeroFill?: boolean;
}

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

export function parseElf(bytes: Uint8Array, options: ElfOptions = {}): ImageMetadata {
  const v = new BinaryView(bytes, 'elf');
  v.need(0, 16, 'ELF identification (e_ident)');
  if (!isElf(bytes)) throw v.fail(0, 'expected the ELF magic 7f 45 4c 46');
  const cls = bytes[4];
  const data = bytes[5];
  if (cls !== 1 && cls !== 2) throw v.fail(4, `EI_CLASS is ${cls}, expected 1 (ELF32) or 2 (ELF64)`);
  if (data !== 1 && data !== 2) throw v.fail(5, `EI_DATA is ${data}, expected 1 (little endian) or 2 (big endian)`);
  if (bytes[6] !== 1) throw v.fail(6, `EI_VERSION is ${bytes[6]}, expected 1`);
  v.littleEndian = data === 1;
  const is64 = cls === 2;
  const word = (off: number, what: string) => (is64 ? v.u64(off, what) : v.u32(off, what));
  const ehsize = is64 ? 64 : 52;
  v.need(0, ehsize, `ELF${is64 ? 64 : 32} header`);

  const type = v.u16(16, 'e_type');
  const machine = v.u16(18, 'e_machine');
  const entry = word(24, 'e_entry');
  const phoff = word(is64 ? 32 : 28, 'e_phoff');
  const shoff = word(is64 ? 40 : 32, 'e_shoff');
  const phentsize = v.u16(is64 ? 54 : 42, 'e_phentsize');
  let phnum = v.u16(is64 ? 56 : 44, 'e_phnum');
  const shentsize = v.u16(is64 ? 58 : 46, 'e_shentsize');
  const minPh = is64 ? 56 : 32;

  if (phnum === PN_XNUM) {
    // More than 0xfffe program headers: the real count is sh_info of section 0.
    if (shoff === 0) throw v.fail(is64 ? 56 : 44, 'e_phnum is PN_XNUM but there is no section header table to hold the count');
    if (shentsize < (is64 ? 64 : 40)) throw v.fail(is64 ? 58 : 46, `e_shentsize is ${shentsize}, too small for a section header`);
    phnum = v.u32(shoff + (is64 ? 44 : 28), 'section 0 sh_info (program header count)');
  }
  if (phnum === 0) throw v.fail(is64 ? 56 : 44, 'there are no program headers (a relocatable object, not a linked image?)');
  if (phentsize < minPh) throw v.fail(is64 ? 54 : 42, `e_phentsize is ${phentsize}, expected at least ${minPh}`);
  v.need(phoff, phnum * phentsize, `program header table (${phnum} entries of ${phentsize} bytes at e_phoff ${hex(phoff)})`);

  const segments: SourcedSegment[] = [];
  const loads: Array<Record<string, number>> = [];
  let zeroFillBytes = 0;
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (v.u32(ph, `program header ${i} p_type`) !== PT_LOAD) continue;
    const f = is64
      ? { offset: v.u64(ph + 8, 'p_offset'), vaddr: v.u64(ph + 16, 'p_vaddr'), paddr: v.u64(ph + 24, 'p_paddr'), filesz: v.u64(ph + 32, 'p_filesz'), memsz: v.u64(ph + 40, 'p_memsz') }
      : { offset: v.u32(ph + 4, 'p_offset'), vaddr: v.u32(ph + 8, 'p_vaddr'), paddr: v.u32(ph + 12, 'p_paddr'), filesz: v.u32(ph + 16, 'p_filesz'), memsz: v.u32(ph + 20, 'p_memsz') };
    if (f.filesz > f.memsz) {
      throw v.fail(ph, `program header ${i}: p_filesz ${f.filesz} is larger than p_memsz ${f.memsz}`);
    }
    if (f.offset + f.filesz > bytes.length) {
      throw malformed('elf', atOffset(ph), `program header ${i}: segment data ${hex(f.offset)}..${hex(f.offset + f.filesz)} runs past the end of the file (${bytes.length} bytes)`);
    }
    loads.push({ index: i, ...f });
    const size = options.zeroFill === false ? f.filesz : f.memsz;
    if (size === 0) continue;
    if (size > MAX_SEGMENT) throw v.fail(ph, `program header ${i}: segment of ${size} bytes is implausibly large for a firmware image (limit ${MAX_SEGMENT})`);
    let seg: Uint8Array;
    if (size === f.filesz) seg = bytes.subarray(f.offset, f.offset + f.filesz);
    else {
      seg = new Uint8Array(size);
      seg.set(bytes.subarray(f.offset, f.offset + f.filesz));
      zeroFillBytes += size - f.filesz;
    }
    segments.push({ address: f.paddr, data: seg, origin: `program header ${i}` });
  }
  return describeImage('elf', normalizeSegments(segments), {
    entry,
    target: MACHINES[machine] ?? `machine ${machine}`,
    details: {
      class: is64 ? 'ELF64' : 'ELF32',
      endian: v.littleEndian ? 'little' : 'big',
      type: ELF_TYPES[type] ?? `type ${type}`,
      machine,
      loadSegments: loads,
      zeroFillBytes,
    },
  });
}
