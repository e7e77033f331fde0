// Intel HEX (records 00-05). Every line is validated here first so errors name the
// line; nrf-intel-hex then assembles the memory map from the validated records and
// writes HEX files, so both directions share one well-tested block assembler.
import MemoryMap from 'nrf-intel-hex';
import { HostError } from '../../errors/host-error';
import { hex, malformed } from './format-error';
import { describeImage, normalizeSegments, type ImageMetadata, type Segment, type SourcedSegment } from './memory-image';
import { hexBytes, textLines } from './text-lines';

const RECORD_NAMES = ['data', 'end of file', 'extended segment address', 'start segment address', 'extended linear address', 'start linear address'];
/** Data length each non-data record type must carry. */
const FIXED_LENGTH: Record<number, number> = { 1: 0, 2: 2, 3: 4, 4: 2, 5: 4 };

export function parseIntelHex(bytes: Uint8Array): ImageMetadata {
  const fail = (line: number, problem: string) => malformed('ihex', `line ${line}`, problem);
  const canonical: string[] = [];
  const records: SourcedSegment[] = [];
  let base = 0;
  let eofLine = 0;
  let entry: number | undefined;
  let startSegment: { cs: number; ip: number } | undefined;
  let lastLine = 0;
  let recordCount = 0;
  let eofEntry = false;

  for (const { number, text } of textLines(bytes)) {
    if (text === '') continue;
    lastLine = number;
    if (eofLine) throw fail(number, `data after the end-of-file record on line ${eofLine}`);
    if (text[0] !== ':') throw fail(number, `expected a record starting with ':' but found "${text.slice(0, 16)}"`);
    const digits = text.slice(1);
    const rec = hexBytes(digits);
    if (!rec) {
      const bad = digits.search(/[^0-9A-Fa-f]/);
      throw fail(number, bad >= 0 ? `character ${JSON.stringify(digits[bad])} at column ${bad + 2} is not a hex digit` : 'odd number of hex digits');
    }
    if (rec.length < 5) throw fail(number, `record is ${rec.length} bytes, expected at least 5 (length, address, type, checksum)`);
    const length = rec[0];
    if (rec.length !== length + 5) throw fail(number, `record declares ${length} data bytes but carries ${rec.length - 5}`);
    const sum = rec.reduce((a, b) => a + b, 0) & 0xff;
    if (sum !== 0) {
      const expected = (0x100 - (rec.subarray(0, -1).reduce((a, b) => a + b, 0) & 0xff)) & 0xff;
      throw fail(number, `checksum is ${hex(rec[rec.length - 1], 2)}, expected ${hex(expected, 2)}`);
    }
    recordCount++;
    const offset = (rec[1] << 8) | rec[2];
    const type = rec[3];
    const data = rec.subarray(4, 4 + length);
    if (type > 5) throw fail(number, `record type ${hex(type, 2)} is not one of 00-05`);
    if (type !== 0 && data.length !== FIXED_LENGTH[type]) {
      throw fail(number, `${RECORD_NAMES[type]} record must carry ${FIXED_LENGTH[type]} data bytes, not ${data.length}`);
    }
    switch (type) {
      case 0:
        if (offset + length > 0x10000) {
          throw fail(number, `data at offset ${hex(offset, 4)} + ${length} bytes runs past the 64 KiB window (ambiguous wrap)`);
        }
        records.push({ address: base + offset, data, origin: `line ${number}` });
        canonical.push(':' + digits.toUpperCase());
        break;
      case 1:
        eofLine = number;
        // Intel 8080-era files (and srec_cat's 16-bit output) put the start address in the EOF record.
        if (offset !== 0 && entry === undefined) {
          entry = offset;
          eofEntry = true;
        }
        break;
      case 2:
      case 4:
        if (offset !== 0) throw fail(number, `${RECORD_NAMES[type]} record must have address 0000, not ${hex(offset, 4)}`);
        base = type === 2 ? ((data[0] << 8) | data[1]) << 4 : ((data[0] << 8) | data[1]) * 0x10000;
        canonical.push(':' + digits.toUpperCase());
        break;
      case 3:
        startSegment = { cs: (data[0] << 8) | data[1], ip: (data[2] << 8) | data[3] };
        entry = startSegment.cs * 16 + startSegment.ip;
        break;
      case 5:
        entry = ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0;
        break;
    }
  }
  if (!eofLine) {
    throw fail(lastLine || 1, recordCount ? 'no end-of-file record (:00000001FF); the file may be truncated' : 'no Intel HEX records found');
  }
  // Line-precise overlap check before the assembler, whose message names no line.
  normalizeSegments(records);
  canonical.push(':00000001FF');
  let segments: Segment[];
  try {
    segments = [...MemoryMap.fromHex(canonical.join('\n')).join()].map(([address, data]) => ({ address, data }));
  } catch (err) {
    throw new HostError('invalid-params', 'The Intel HEX file could not be assembled.', (err as Error).message);
  }
  const details: Record<string, unknown> = { records: recordCount };
  if (startSegment) details.startSegment = startSegment;
  if (eofEntry) details.entryFromEofRecord = true;
  return describeImage('ihex', normalizeSegments(segments), { entry, details });
}

export interface IntelHexWriteOptions {
  /** Data bytes per record (1-255, default 16). */
  recordSize?: number;
  /** Adds a start linear address record (type 05). */
  entry?: number;
}

export function writeIntelHex(segments: readonly Segment[], options: IntelHexWriteOptions = {}): string {
  const map = new MemoryMap(normalizeSegments(segments).map((s) => [s.address, s.data] as [number, Uint8Array]));
  let text: string;
  try {
    text = map.asHexString(options.recordSize ?? 16);
  } catch (err) {
    throw new HostError('invalid-params', 'The image cannot be written as Intel HEX.', (err as Error).message);
  }
  if (options.entry === undefined) return text + '\n';
  const e = options.entry >>> 0;
  const rec = [4, 0, 0, 5, e >>> 24, (e >>> 16) & 0xff, (e >>> 8) & 0xff, e & 0xff];
  const cs = (0x100 - (rec.reduce((a, b) => a + b, 0) & 0xff)) & 0xff;
  const line = ':' + [...rec, cs].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('');
  const lines = text.split('\n');
  lines.splice(lines.length - 1, 0, line);
  return lines.join('\n') + '\n';
}
