// Motorola S-record: S0 header text, S1/S2/S3 data (16/24/32-bit addresses),
// S5/S6 record counts, S7/S8/S9 start address. The file must prove it is complete:
// it ends with a termination record or (as srec_cat writes without a start address)
// with a matching count record. Otherwise a truncated download looks like a
// complete, shorter image.
import { hex, malformed } from './format-error';
import { describeImage, normalizeSegments, type ImageMetadata, type SourcedSegment } from './memory-image';
import { hexBytes, textLines } from './text-lines';

/** Address width in bytes per record type; S4 is reserved. */
const ADDRESS_BYTES: Record<string, number> = { '0': 2, '1': 2, '2': 3, '3': 4, '5': 2, '6': 3, '7': 4, '8': 3, '9': 2 };

export function parseSRecord(bytes: Uint8Array): ImageMetadata {
  const fail = (line: number, problem: string) => malformed('srec', `line ${line}`, problem);
  const records: SourcedSegment[] = [];
  let header: string | undefined;
  let entry: number | undefined;
  let endLine = 0;
  let lastLine = 0;
  let dataCount = 0;
  let countChecked: number | undefined;
  let lastWasCount = false;
  const dataTypes = new Set<string>();

  for (const { number, text } of textLines(bytes)) {
    if (text === '') continue;
    lastLine = number;
    if (endLine) throw fail(number, `data after the termination record on line ${endLine}`);
    if (text[0] !== 'S' && text[0] !== 's') throw fail(number, `expected a record starting with 'S' but found "${text.slice(0, 16)}"`);
    const type = text[1] ?? '';
    const width = ADDRESS_BYTES[type];
    if (width === undefined) throw fail(number, `record type S${type} is not one of S0-S3, S5-S9`);
    const rec = hexBytes(text.slice(2));
    if (!rec) {
      const bad = text.slice(2).search(/[^0-9A-Fa-f]/);
      throw fail(number, bad >= 0 ? `character ${JSON.stringify(text[bad + 2])} at column ${bad + 3} is not a hex digit` : 'odd number of hex digits');
    }
    if (rec.length < 1) throw fail(number, 'record has no byte count');
    const count = rec[0];
    if (rec.length - 1 !== count) throw fail(number, `byte count says ${count} bytes follow but ${rec.length - 1} do`);
    if (count < width + 1) throw fail(number, `S${type} record needs at least ${width + 1} bytes (address and checksum), has ${count}`);
    const expected = ~rec.subarray(0, -1).reduce((a, b) => a + b, 0) & 0xff;
    if (rec[rec.length - 1] !== expected) throw fail(number, `checksum is ${hex(rec[rec.length - 1], 2)}, expected ${hex(expected, 2)}`);
    let address = 0;
    for (let i = 1; i <= width; i++) address = address * 256 + rec[i];
    const data = rec.subarray(1 + width, rec.length - 1);

    lastWasCount = type === '5' || type === '6';
    switch (type) {
      case '0':
        if (records.length || header !== undefined) throw fail(number, 'S0 header must be the first record and appear once');
        header = String.fromCharCode(...data).replace(/\0+$/, '');
        break;
      case '1':
      case '2':
      case '3':
        if (address + data.length > 2 ** (8 * width)) throw fail(number, `data at ${hex(address)} runs past the ${8 * width}-bit address space`);
        dataTypes.add('S' + type);
        dataCount++;
        records.push({ address, data, origin: `line ${number}` });
        break;
      case '5':
      case '6':
        if (data.length) throw fail(number, `S${type} count record must carry no data bytes`);
        if (address !== dataCount) throw fail(number, `S${type} says ${address} data records precede it but there are ${dataCount}`);
        countChecked = address;
        break;
      default: // 7, 8, 9
        if (data.length) throw fail(number, `S${type} termination record must carry no data bytes`);
        entry = address;
        endLine = number;
    }
  }
  if (!endLine && !lastWasCount) {
    throw fail(
      lastLine || 1,
      dataCount || header !== undefined ? 'the file ends without an S7/S8/S9 termination record or an S5/S6 count record; it may be truncated' : 'no S-records found',
    );
  }
  const details: Record<string, unknown> = { dataRecords: dataCount, recordTypes: [...dataTypes].sort() };
  if (header !== undefined) details.header = header;
  if (countChecked !== undefined) details.countRecordChecked = true;
  return describeImage('srec', normalizeSegments(records), { entry, details });
}
