// The hex view: received bytes as offset, 16 hex bytes and their ASCII, like
// `hexdump -C`. Console events carry text decoded as latin1 by the host, so
// each character is one received byte.

export function textToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');
const printable = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');

/** One `hexdump -C` line per 16 bytes; `offset` numbers the first byte. */
export function hexDumpLines(bytes: Uint8Array, offset = 0): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    const cells = [...row].map(hex2);
    const left = cells.slice(0, 8).join(' ');
    const right = cells.slice(8).join(' ');
    const hexPart = `${left.padEnd(23)}  ${right.padEnd(23)}`;
    lines.push(`${(offset + i).toString(16).padStart(8, '0')}  ${hexPart}  |${[...row].map(printable).join('')}|`);
  }
  return lines;
}

/**
 * The last `max` bytes received, with the running offset of the first one kept
 * so the dump's addresses stay those of the whole stream. Trims in 16-byte
 * steps so rows do not shift as bytes arrive.
 */
export class HexBuffer {
  private bytes = new Uint8Array(0);
  private start = 0;

  constructor(private readonly max = 4096) {
    if (max % 16 !== 0 || max <= 0) throw new Error('HexBuffer size must be a positive multiple of 16');
  }

  append(text: string): void {
    const add = textToBytes(text);
    const next = new Uint8Array(this.bytes.length + add.length);
    next.set(this.bytes);
    next.set(add, this.bytes.length);
    let drop = Math.max(0, next.length - this.max);
    drop = Math.ceil(drop / 16) * 16;
    this.bytes = next.subarray(drop).slice();
    this.start += drop;
  }

  clear(): void {
    this.start += this.bytes.length;
    this.bytes = new Uint8Array(0);
  }

  /** Total bytes seen since the view opened. */
  get total(): number {
    return this.start + this.bytes.length;
  }

  /** Bytes held for the view (at most the buffer size). */
  get held(): number {
    return this.bytes.length;
  }

  lines(): string[] {
    return hexDumpLines(this.bytes, this.start);
  }
}
