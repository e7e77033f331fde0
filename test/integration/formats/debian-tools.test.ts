// Cross-checks against Debian's tools: files made by srec_cat, objcopy/ld and
// dfu-suffix/dfu-prefix parse to the same memory image as the source binary, and
// files we write pass `dfu-suffix --check`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addDfuSuffix, flatten, parseDfuFile, parseDfuSe, parseElf, parseImage, parseIntelHex, parseSRecord, writeDfuSe, writeIntelHex,
  type Segment,
} from '../../../electron/host/firmware/formats/index';
import { prng, randomBytes } from '../../unit/formats/samples';

/** command -> Debian package providing it */
const TOOLS: Record<string, string> = {
  srec_cat: 'srecord',
  objcopy: 'binutils',
  ld: 'binutils',
  'dfu-suffix': 'dfu-util',
  'dfu-prefix': 'dfu-util',
  'aarch64-linux-gnu-ld': 'binutils-aarch64-linux-gnu',
  'aarch64-linux-gnu-objcopy': 'binutils-aarch64-linux-gnu',
};

function requireTools(): void {
  const missing = Object.keys(TOOLS).filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing.length) {
    const pkgs = [...new Set(missing.map((t) => TOOLS[t]))].join(' ');
    throw new Error(`missing tools ${missing.join(', ')}: run \`apt-get install -y ${pkgs}\` (or test/setup/system-deps.sh as root)`);
  }
}

const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

let dir: string;
const rand = prng(0xdeb1a2);
const image = randomBytes(rand, 5000);
const second = randomBytes(rand, 777);
const file = (name: string) => join(dir, name);
const flat = (segments: Segment[]) => flatten(segments).data;

beforeAll(() => {
  requireTools();
  dir = mkdtempSync(join(tmpdir(), 'fwbench-formats-'));
  writeFileSync(file('image.bin'), image);
  writeFileSync(file('second.bin'), second);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('srec_cat output parses to the source binary', () => {
  it.each([
    ['-intel', ['-obs=16'], 0x08000000],
    ['-intel', ['-obs=32'], 0x0800f000], // crosses a 64 KiB boundary: type 04 records mid-image
    ['-intel', ['-obs=255'], 0x1000],
    ['-intel', ['-address-length=2', '-obs=16'], 0x1000], // 16-bit Intel, no extended address records
    ['-motorola', ['-address-length=2', '-obs=16'], 0x1000], // S1/S9
    ['-motorola', ['-address-length=3', '-obs=64'], 0x123000], // S2/S8
    ['-motorola', ['-address-length=4', '-obs=32'], 0x08000000], // S3/S7
  ] as const)('%s %j at %s', (format, extra, base) => {
    const out = file(`out${format}${extra.join('')}.txt`);
    run('srec_cat', ['image.bin', '-binary', '-offset', String(base), '-o', out, format, ...extra, `-execution-start-address=${base + 1}`], dir);
    const bytes = new Uint8Array(readFileSync(out));
    const meta = format === '-intel' ? parseIntelHex(bytes) : parseSRecord(bytes);
    expect(meta.segments).toHaveLength(1);
    expect(meta.segments[0].address).toBe(base);
    expect(meta.segments[0].data).toEqual(image);
    expect(meta.entry).toBe(base + 1);
    expect(parseImage(bytes).sha256).toBe(parseImage(image, { baseAddress: base }).sha256);
  });

  it('sparse: two blocks keep their addresses and the gap', () => {
    run('srec_cat', ['image.bin', '-binary', '-offset', '0x08000000', 'second.bin', '-binary', '-offset', '0x08020000', '-o', 'sparse.hex', '-intel'], dir);
    run('srec_cat', ['image.bin', '-binary', '-offset', '0x08000000', 'second.bin', '-binary', '-offset', '0x08020000', '-o', 'sparse.s37', '-motorola', '-address-length=4'], dir);
    for (const name of ['sparse.hex', 'sparse.s37']) {
      const meta = parseImage(new Uint8Array(readFileSync(file(name))), { fileName: name });
      expect(meta.segments.map((s) => [s.address, s.data.length])).toEqual([[0x08000000, 5000], [0x08020000, 777]]);
      expect(meta.segments[1].data).toEqual(second);
    }
  });

  it('srec_cat reads our Intel HEX back to the same binary', () => {
    writeFileSync(file('ours.hex'), writeIntelHex([{ address: 0x0800f000, data: image }], { recordSize: 24 }));
    run('srec_cat', ['ours.hex', '-intel', '-offset', '-0x0800f000', '-o', 'back.bin', '-binary'], dir);
    expect(new Uint8Array(readFileSync(file('back.bin')))).toEqual(image);
  });
});

describe('ELF files linked by ld parse to the source binary at their load addresses', () => {
  // .text is loaded and run at 0x08000000; .data runs at 0x20000000 but is loaded (LMA) after .text; .bss is memsz only.
  const script = `SECTIONS {
  . = 0x08000000;
  .text : { image.o(.data) }
  .data 0x20000000 : AT(0x08000000 + SIZEOF(.text)) { second.o(.data) }
  .bss (NOLOAD) : { . += 0x100; }
}`;
  const variants = [
    ['elf32 little (x86)', 'objcopy', 'ld', 'elf_i386', 'elf32-i386', 'ELF32', 'little'],
    ['elf64 little (x86-64)', 'objcopy', 'ld', 'elf_x86_64', 'elf64-x86-64', 'ELF64', 'little'],
    ['elf32 little (ARM)', 'aarch64-linux-gnu-objcopy', 'aarch64-linux-gnu-ld', 'armelf', 'elf32-littlearm', 'ELF32', 'little'],
    ['elf32 big (ARM)', 'aarch64-linux-gnu-objcopy', 'aarch64-linux-gnu-ld', 'armelfb', 'elf32-bigarm', 'ELF32', 'big'],
    ['elf64 little (AArch64)', 'aarch64-linux-gnu-objcopy', 'aarch64-linux-gnu-ld', 'aarch64elf', 'elf64-littleaarch64', 'ELF64', 'little'],
    ['elf64 big (AArch64)', 'aarch64-linux-gnu-objcopy', 'aarch64-linux-gnu-ld', 'aarch64elfb', 'elf64-bigaarch64', 'ELF64', 'big'],
  ] as const;

  it.each(variants)('%s', (_name, objcopy, ld, emulation, bfd, cls, endian) => {
    const tag = emulation;
    writeFileSync(file(`${tag}.ld`), script);
    run(objcopy, ['-I', 'binary', '-O', bfd, 'image.bin', 'image.o'], dir);
    run(objcopy, ['-I', 'binary', '-O', bfd, 'second.bin', 'second.o'], dir);
    run(ld, ['-m', emulation, '-T', `${tag}.ld`, '-e', '0x08000011', 'image.o', 'second.o', '-o', `${tag}.elf`], dir);
    const elf = new Uint8Array(readFileSync(file(`${tag}.elf`)));
    const meta = parseElf(elf);
    expect(meta.details.class).toBe(cls);
    expect(meta.details.endian).toBe(endian);
    expect(meta.entry).toBe(0x08000011);
    // Load image: .text then .data at its LMA, contiguous; ld folds .bss into the .data
    // segment's memsz, so its zero fill follows .data at the physical address.
    const loadImage = new Uint8Array([...image, ...second]);
    expect(meta.details.zeroFillBytes).toBe(0x100);
    expect(meta.segments[0].address).toBe(0x08000000);
    const all = flat(meta.segments);
    expect(all.subarray(0, loadImage.length)).toEqual(loadImage);
    expect(all.subarray(loadImage.length).every((b) => b === 0)).toBe(true);
    expect(all.length).toBe(loadImage.length + 0x100);
    // objcopy -O binary writes file bytes from the lowest LMA: our zeroFill:false flatten must equal it.
    run(objcopy, ['-O', 'binary', `${tag}.elf`, `${tag}.bin`], dir);
    expect(flat(parseElf(elf, { zeroFill: false }).segments)).toEqual(new Uint8Array(readFileSync(file(`${tag}.bin`))));
    // objcopy -O ihex of the same ELF gives the same memory image through our Intel HEX parser.
    run(objcopy, ['-O', 'ihex', `${tag}.elf`, `${tag}.hex`], dir);
    expect(flat(parseIntelHex(readFileSync(file(`${tag}.hex`))).segments)).toEqual(loadImage);
  });
});

describe('dfu-util suffix and prefix', () => {
  const checkOutput = (name: string) => {
    const r = spawnSync('dfu-suffix', ['--check', name], { cwd: dir, encoding: 'utf8' });
    return { status: r.status, text: r.stdout + r.stderr };
  };

  it('files made by dfu-suffix -a parse with the right IDs, and our suffix is byte-identical', () => {
    writeFileSync(file('s.dfu'), image);
    run('dfu-suffix', ['-a', 's.dfu', '-v', '0x0483', '-p', '0xdf11', '-d', '0x2200'], dir);
    const theirs = new Uint8Array(readFileSync(file('s.dfu')));
    const meta = parseDfuFile(theirs, { baseAddress: 0x08000000 });
    expect(meta.target).toBe('USB 0483:df11');
    expect(meta.details.suffix).toMatchObject({ idVendor: 0x0483, idProduct: 0xdf11, bcdDevice: 0x2200, bcdDFU: 0x0100, length: 16 });
    expect(meta.segments).toEqual([{ address: 0x08000000, data: image }]);
    expect(addDfuSuffix(image, { idVendor: 0x0483, idProduct: 0xdf11, bcdDevice: 0x2200 })).toEqual(theirs);
  });

  it('files we write pass dfu-suffix --check; a corrupted one fails it and our parser alike', () => {
    const ours = addDfuSuffix(second, { idVendor: 0x1d50, idProduct: 0x6017, bcdDevice: 0x0101, bcdDFU: 0x0110 });
    writeFileSync(file('ours.dfu'), ours);
    const ok = checkOutput('ours.dfu');
    expect(ok.status).toBe(0);
    expect(ok.text).toMatch(/Product ID:\s*0x6017/);
    expect(ok.text).toMatch(/Vendor ID:\s*0x1D50/i);
    expect(ok.text).toMatch(/BCD DFU:\s*0x0110/);
    const bad = ours.slice();
    bad[3] ^= 0x10;
    writeFileSync(file('bad.dfu'), bad);
    const nok = checkOutput('bad.dfu');
    expect(nok.status).not.toBe(0);
    expect(nok.text).toMatch(/CRC does not match/);
    expect(() => parseDfuFile(bad)).toThrow(/CRC does not match/);
  });

  it('our DfuSe file passes dfu-suffix --check with bcdDFU 0x011A', () => {
    const dfuse = writeDfuSe([{ alternate: 0, name: 'Internal Flash', segments: [{ address: 0x08000000, data: image }] }], { idVendor: 0x0483, idProduct: 0xdf11 });
    writeFileSync(file('ours.dfuse'), dfuse);
    const ok = checkOutput('ours.dfuse');
    expect(ok.status).toBe(0);
    expect(ok.text).toMatch(/BCD DFU:\s*0x011A/i);
    expect(parseDfuSe(dfuse).segments).toEqual([{ address: 0x08000000, data: image }]);
  });

  it('dfu-prefix -s (TI Stellaris) then dfu-suffix -a: address and payload come through', () => {
    writeFileSync(file('ti.dfu'), second);
    run('dfu-prefix', ['-s', '0x2000', '-a', 'ti.dfu'], dir);
    run('dfu-suffix', ['-a', 'ti.dfu', '-v', '0x1cbe', '-p', '0x00ff'], dir);
    const meta = parseImage(new Uint8Array(readFileSync(file('ti.dfu'))));
    expect(meta.format).toBe('dfu');
    expect(meta.target).toBe('USB 1cbe:00ff');
    expect(meta.details.prefix).toMatchObject({ kind: 'stellaris', address: 0x2000, payloadLength: second.length });
    expect(meta.segments).toEqual([{ address: 0x2000, data: second }]);
  });

  it('dfu-prefix -L (NXP LPC) then dfu-suffix -a: prefix recognised, payload intact', () => {
    writeFileSync(file('lpc.dfu'), image);
    run('dfu-prefix', ['-L', '-a', 'lpc.dfu'], dir);
    run('dfu-suffix', ['-a', 'lpc.dfu', '-v', '0x1fc9', '-p', '0x000c'], dir);
    const meta = parseImage(new Uint8Array(readFileSync(file('lpc.dfu'))));
    expect(meta.target).toBe('USB 1fc9:000c');
    expect(meta.details.prefix).toMatchObject({ kind: 'lpc', blocks: Math.ceil(image.length / 512) });
    expect(meta.segments[0].data).toEqual(image);
  });
});
