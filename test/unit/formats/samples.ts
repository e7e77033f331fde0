// Independent builders for valid sample files, written from the format specs
// (not from the parsers under test), plus a seeded PRNG for repeatable randomness.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(rand: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

const h2 = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');
const ascii = (s: string) => new TextEncoder().encode(s);

export interface Seg {
  address: number;
  data: Uint8Array;
}

export function ihexRecord(type: number, offset: number, data: ArrayLike<number>): string {
  const rec = [data.length, (offset >> 8) & 0xff, offset & 0xff, type, ...Array.from(data)];
  const cs = (0x100 - (rec.reduce((a, b) => a + b, 0) & 0xff)) & 0xff;
  return ':' + [...rec, cs].map(h2).join('');
}

export function makeIntelHex(segs: Seg[], opts: { recordSize?: number; entry?: number; segmentAddressing?: boolean; eol?: string } = {}): Uint8Array {
  const size = opts.recordSize ?? 16;
  const lines: string[] = [];
  let upper = -1;
  for (const s of segs) {
    let i = 0;
    while (i < s.data.length) {
      const addr = s.address + i;
      const hi = Math.floor(addr / 0x10000);
      if (hi !== upper) {
        upper = hi;
        lines.push(opts.segmentAddressing ? ihexRecord(2, 0, [(hi << 12) >> 8 & 0xff, (hi << 12) & 0xff]) : ihexRecord(4, 0, [hi >> 8, hi & 0xff]));
      }
      const n = Math.min(size, s.data.length - i, 0x10000 - (addr & 0xffff));
      lines.push(ihexRecord(0, addr & 0xffff, s.data.subarray(i, i + n)));
      i += n;
    }
  }
  if (opts.entry !== undefined) {
    const e = opts.entry;
    lines.push(ihexRecord(5, 0, [e >>> 24, (e >>> 16) & 0xff, (e >>> 8) & 0xff, e & 0xff]));
  }
  lines.push(':00000001FF');
  return ascii(lines.join(opts.eol ?? '\n') + (opts.eol ?? '\n'));
}

export function srecRecord(type: number, address: number, data: ArrayLike<number>): string {
  const width = { 0: 2, 1: 2, 2: 3, 3: 4, 5: 2, 6: 3, 7: 4, 8: 3, 9: 2 }[type]!;
  const addr: number[] = [];
  for (let i = width - 1; i >= 0; i--) addr.push(Math.floor(address / 256 ** i) & 0xff);
  const rec = [width + data.length + 1, ...addr, ...Array.from(data)];
  const cs = ~rec.reduce((a, b) => a + b, 0) & 0xff;
  return 'S' + type + [...rec, cs].map(h2).join('');
}

export function makeSRecord(segs: Seg[], opts: { type?: 1 | 2 | 3; recordSize?: number; header?: string; entry?: number; count?: boolean } = {}): Uint8Array {
  const type = opts.type ?? 3;
  const size = opts.recordSize ?? 32;
  const lines = [srecRecord(0, 0, ascii(opts.header ?? 'sample'))];
  let n = 0;
  for (const s of segs) {
    for (let i = 0; i < s.data.length; i += size) {
      lines.push(srecRecord(type, s.address + i, s.data.subarray(i, i + size)));
      n++;
    }
  }
  if (opts.count !== false) lines.push(srecRecord(5, n, []));
  lines.push(srecRecord(10 - type, opts.entry ?? 0, []));
  return ascii(lines.join('\n') + '\n');
}

export interface ElfSeg {
  paddr: number;
  vaddr?: number;
  data: Uint8Array;
  memsz?: number;
  type?: number;
}

/** A minimal linked ELF: header, program headers, then each segment's bytes. */
export function makeElf(opts: { is64?: boolean; littleEndian?: boolean; entry?: number; machine?: number; segments: ElfSeg[] }): Uint8Array {
  const is64 = opts.is64 ?? false;
  const le = opts.littleEndian ?? true;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const phoff = ehsize;
  let dataOff = phoff + phentsize * opts.segments.length;
  const total = dataOff + opts.segments.reduce((n, s) => n + s.data.length, 0);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1], 0);
  const w = (off: number, val: number) => (is64 ? v.setBigUint64(off, BigInt(val), le) : v.setUint32(off, val, le));
  v.setUint16(16, 2, le);
  v.setUint16(18, opts.machine ?? 40, le);
  v.setUint32(20, 1, le);
  w(24, opts.entry ?? 0);
  w(is64 ? 32 : 28, phoff);
  w(is64 ? 40 : 32, 0);
  v.setUint16(is64 ? 52 : 40, ehsize, le);
  v.setUint16(is64 ? 54 : 42, phentsize, le);
  v.setUint16(is64 ? 56 : 44, opts.segments.length, le);
  opts.segments.forEach((s, i) => {
    const ph = phoff + i * phentsize;
    const memsz = s.memsz ?? s.data.length;
    v.setUint32(ph, s.type ?? 1, le);
    if (is64) {
      v.setUint32(ph + 4, 5, le);
      v.setBigUint64(ph + 8, BigInt(dataOff), le);
      v.setBigUint64(ph + 16, BigInt(s.vaddr ?? s.paddr), le);
      v.setBigUint64(ph + 24, BigInt(s.paddr), le);
      v.setBigUint64(ph + 32, BigInt(s.data.length), le);
      v.setBigUint64(ph + 40, BigInt(memsz), le);
    } else {
      v.setUint32(ph + 4, dataOff, le);
      v.setUint32(ph + 8, s.vaddr ?? s.paddr, le);
      v.setUint32(ph + 12, s.paddr, le);
      v.setUint32(ph + 16, s.data.length, le);
      v.setUint32(ph + 20, memsz, le);
      v.setUint32(ph + 24, 5, le);
    }
    out.set(s.data, dataOff);
    dataOff += s.data.length;
  });
  return out;
}

function tlvArea(magic: number, tlvs: Array<[number, Uint8Array]>): Uint8Array {
  const total = 4 + tlvs.reduce((n, [, v]) => n + 4 + v.length, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, magic, true);
  dv.setUint16(2, total, true);
  let at = 4;
  for (const [type, val] of tlvs) {
    dv.setUint16(at, type, true);
    dv.setUint16(at + 2, val.length, true);
    out.set(val, at + 4);
    at += 4 + val.length;
  }
  return out;
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

export interface McubootSample {
  body: Uint8Array;
  hdrSize?: number;
  loadAddr?: number;
  flags?: number;
  version?: [number, number, number, number];
  securityCounter?: number;
  signature?: 'ecdsa-p256' | 'ed25519' | 'none';
  padTo?: number;
}

/** An MCUboot image laid out as imgtool does: header, body, protected TLVs, TLVs (hash, key hash, signature). */
export function makeMcuboot(s: McubootSample): Uint8Array {
  const hdrSize = s.hdrSize ?? 0x200;
  const header = new Uint8Array(hdrSize);
  const dv = new DataView(header.buffer);
  const [maj, min, rev, build] = s.version ?? [1, 2, 3, 4];
  const prot = s.securityCounter !== undefined ? tlvArea(0x6908, [[0x50, Uint8Array.from([s.securityCounter, 0, 0, 0])]]) : new Uint8Array(0);
  dv.setUint32(0, 0x96f3b83d, true);
  dv.setUint32(4, s.loadAddr ?? 0, true);
  dv.setUint16(8, hdrSize, true);
  dv.setUint16(10, prot.length, true);
  dv.setUint32(12, s.body.length, true);
  dv.setUint32(16, s.flags ?? 0, true);
  dv.setUint8(20, maj);
  dv.setUint8(21, min);
  dv.setUint16(22, rev, true);
  dv.setUint32(24, build, true);
  const signed = concat(header, s.body, prot);
  const digest = createHash('sha256').update(signed).digest();
  const tlvs: Array<[number, Uint8Array]> = [[0x10, digest]];
  const kind = s.signature ?? 'ecdsa-p256';
  if (kind !== 'none') {
    const pair = kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pub = pair.publicKey.export({ type: 'spki', format: 'der' });
    tlvs.push([0x01, createHash('sha256').update(pub).digest()]);
    const sig = kind === 'ed25519' ? sign(null, digest, pair.privateKey) : sign('sha256', signed, pair.privateKey);
    tlvs.push([kind === 'ed25519' ? 0x24 : 0x22, sig]);
  }
  const image = concat(signed, tlvArea(0x6907, tlvs));
  if (s.padTo && s.padTo > image.length) return concat(image, new Uint8Array(s.padTo - image.length).fill(0xff));
  return image;
}

export { concat, ascii };
