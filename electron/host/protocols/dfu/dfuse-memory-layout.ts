// DfuSe memory layout: ST puts the memory map in the interface string of each
// alternate setting (UM0424 §4.3.2, parsed the same way as dfu-util's
// dfuse_mem.c), e.g. "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg".
// After the name come one or more "/0xADDRESS/" groups, each a comma list of
// <pages>*<size><multiplier><type>; multiplier B, K, M or a space (bytes); type
// a…g is a 3-bit set: 1 readable, 2 erasable, 4 writeable.
import { HostError } from '../../errors/host-error';

export interface DfuSeSegment {
  /** First byte address. */
  start: number;
  /** One past the last byte. */
  end: number;
  pageSize: number;
  pages: number;
  readable: boolean;
  erasable: boolean;
  writeable: boolean;
}

export interface DfuSeMemoryLayout {
  name: string;
  segments: DfuSeSegment[];
}

const MULTIPLIERS: Record<string, number> = { B: 1, ' ': 1, '': 1, K: 1024, M: 1024 * 1024 };
const SECTOR = /^(\d+)\*(\d+)([BKM ]?)([a-g])$/;

function malformed(what: string, text: string): HostError {
  return new HostError('protocol-error', `The DfuSe memory layout string is malformed: ${what}.`, JSON.stringify(text));
}

export function parseDfuSeMemoryLayout(text: string): DfuSeMemoryLayout {
  const s = text.replace(/\0+$/, '').trimEnd();
  if (!s.startsWith('@')) throw malformed('it does not start with "@"', text);
  const slash = s.indexOf('/');
  if (slash < 0) throw malformed('it has no "/0xADDRESS/" part', text);
  const name = s.slice(1, slash).trim();
  let rest = s.slice(slash);
  const segments: DfuSeSegment[] = [];
  while (rest.length > 0 && rest !== '/') {
    const m = /^\/0x([0-9a-fA-F]{1,8})\/([^/]*)/.exec(rest);
    if (!m) throw malformed(`expected "/0xADDRESS/" at "${rest.slice(0, 16)}"`, text);
    rest = rest.slice(m[0].length);
    let address = parseInt(m[1], 16);
    const items = m[2].split(',');
    for (const raw of items) {
      const sm = SECTOR.exec(raw.trim());
      if (!sm) throw malformed(`sector group "${raw}" is not <pages>*<size><B|K|M| ><a-g>`, text);
      const pages = parseInt(sm[1], 10);
      const pageSize = parseInt(sm[2], 10) * MULTIPLIERS[sm[3]];
      if (pages === 0 || pageSize === 0) throw malformed(`sector group "${raw}" has no bytes`, text);
      const end = address + pages * pageSize;
      if (end > 0x1_0000_0000) throw malformed(`sector group "${raw}" runs past the 32-bit address space`, text);
      const type = sm[4].charCodeAt(0) & 7;
      segments.push({ start: address, end, pageSize, pages, readable: (type & 1) !== 0, erasable: (type & 2) !== 0, writeable: (type & 4) !== 0 });
      address = end;
    }
  }
  if (segments.length === 0) throw malformed('it lists no memory segments', text);
  return { name, segments };
}

export function findSegment(layout: DfuSeMemoryLayout, address: number): DfuSeSegment | undefined {
  return layout.segments.find((seg) => address >= seg.start && address < seg.end);
}

/** Start address of the page holding `address` (pages may differ in size across segments). */
export function pageStart(seg: DfuSeSegment, address: number): number {
  return seg.start + Math.floor((address - seg.start) / seg.pageSize) * seg.pageSize;
}
