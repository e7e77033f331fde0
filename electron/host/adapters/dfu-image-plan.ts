// What a firmware file means for one DFU device, worked out before a byte is
// sent: a DFU-suffixed file is checked (CRC, then VID/PID against the device,
// 0xFFFF meaning "any"); a DfuSe file gives elements for the device's alternate
// setting; anything else (raw, HEX, S-record, ELF, MCUboot) goes to its own
// addresses, or a raw binary to the first writeable segment of the DfuSe map.
// Plain DFU has no addresses: the device gets the payload as is. Pure: no I/O.
import { createHash } from 'node:crypto';
import { HostError } from '../errors/host-error';
import { detectFormat, dfuSeTargets, flatten, parseDfuSuffix, parseImage, type ImageFormat, type Segment } from '../firmware/formats';
import { findSegment, pageStart, type DfuSeMemoryLayout } from '../protocols/dfu';

export interface DfuDeviceFacts {
  vendorId: number;
  productId: number;
  /** The DFU interface's alternate setting (selects the DfuSe target and memory). */
  alternateSetting: number;
  /** DfuSe devices: the memory map of that alternate setting. */
  layout?: DfuSeMemoryLayout;
}

interface PlanBase {
  format: ImageFormat;
  /** Bytes that will be written. */
  bytes: number;
  /** SHA-256 of the file as given. */
  fileSha256: string;
  /** One line for the operator. */
  summary: string;
}

export type DfuImagePlan =
  | (PlanBase & { kind: 'dfuse'; elements: Segment[]; pages: number[] })
  | (PlanBase & { kind: 'plain'; data: Uint8Array });

const hex4 = (n: number) => n.toString(16).padStart(4, '0');
const hex32 = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
const usbId = (v: number, p: number) => `${hex4(v)}:${hex4(p)}`;
const WILDCARD = 0xffff;

export function planDfuImage(file: Uint8Array, fileName: string, device: DfuDeviceFacts): DfuImagePlan {
  if (file.length === 0) throw new HostError('invalid-params', `${fileName} is empty.`);
  const format = detectFormat(file, fileName);
  const fileSha256 = createHash('sha256').update(file).digest('hex');
  if (format === 'dfu' || format === 'dfuse') checkSuffixTarget(file, fileName, device);

  if (format === 'dfuse') {
    if (!device.layout) {
      throw new HostError('not-supported', `${fileName} is a DfuSe file (with addresses), but this device speaks plain DFU without a memory map. Use a plain .dfu or .bin image.`);
    }
    const targets = dfuSeTargets(file);
    const target = targets.find((t) => t.alternate === device.alternateSetting);
    if (!target) {
      throw new HostError(
        'invalid-params',
        `${fileName} holds no image for alternate setting ${device.alternateSetting} (${device.layout.name}); it has ${targets.map((t) => `alternate ${t.alternate}${t.name ? ` "${t.name}"` : ''}`).join(', ') || 'no targets'}.`,
      );
    }
    return dfusePlan(format, target.segments, device.layout, fileSha256, `${fileName}: DfuSe target "${target.name ?? target.alternate}"`);
  }

  const firstWriteable = device.layout?.segments.find((s) => s.writeable);
  if (device.layout && !firstWriteable) throw new HostError('not-supported', `The device's memory map (${device.layout.name}) has no writeable segment.`);
  const meta = parseImage(file, { fileName, format, baseAddress: firstWriteable?.start });
  if (meta.segments.length === 0) throw new HostError('invalid-params', `${fileName} holds no data to write.`);
  if (device.layout) return dfusePlan(format, meta.segments, device.layout, fileSha256, `${fileName}: ${format}`);

  // Plain DFU: the device decides where the bytes go; a file with addresses is flattened from its lowest one.
  const data = meta.segments.length === 1 ? meta.segments[0].data : flatten(meta.segments).data;
  return { kind: 'plain', format, data, bytes: data.length, fileSha256, summary: `${fileName}: ${format}, ${data.length} bytes` };
}

/** The suffix's CRC (parseDfuSuffix checks it) and VID/PID against the device. */
function checkSuffixTarget(file: Uint8Array, fileName: string, device: DfuDeviceFacts): void {
  const s = parseDfuSuffix(file);
  const vendorOk = s.idVendor === WILDCARD || s.idVendor === device.vendorId;
  const productOk = s.idProduct === WILDCARD || s.idProduct === device.productId;
  if (!vendorOk || !productOk) {
    throw new HostError(
      'invalid-params',
      `${fileName} is made for USB device ${usbId(s.idVendor, s.idProduct)}, but this device is ${usbId(device.vendorId, device.productId)}. Nothing was sent.`,
      `DFU suffix idVendor=0x${hex4(s.idVendor)} idProduct=0x${hex4(s.idProduct)} (0xffff would mean any)`,
    );
  }
}

function dfusePlan(format: ImageFormat, segments: Segment[], layout: DfuSeMemoryLayout, fileSha256: string, what: string): DfuImagePlan {
  for (const el of segments) checkWriteable(el, layout);
  const pages = pagesToErase(segments, layout);
  const bytes = segments.reduce((n, s) => n + s.data.length, 0);
  const where = segments.map((s) => `${s.data.length} bytes at ${hex32(s.address)}`).join(', ');
  return { kind: 'dfuse', format, elements: segments, pages, bytes, fileSha256, summary: `${what}, ${where}; ${pages.length} page(s) to erase` };
}

function checkWriteable(el: Segment, layout: DfuSeMemoryLayout): void {
  const last = el.address + el.data.length - 1;
  for (let a = el.address; a <= last; ) {
    const seg = findSegment(layout, a);
    if (!seg || !seg.writeable) {
      throw new HostError(
        'invalid-params',
        `The image writes ${hex32(a)}, which the device's memory map (${layout.name}) does not list as writeable. Nothing was sent.`,
        `element at ${hex32(el.address)}, ${el.data.length} bytes; map: ${layout.segments.map((s) => `${hex32(s.start)}-${hex32(s.end - 1)}${s.writeable ? ' w' : ''}`).join(', ')}`,
      );
    }
    a = seg.end;
  }
}

/** Start addresses of every erasable page the elements touch, ascending. */
export function pagesToErase(elements: readonly Segment[], layout: DfuSeMemoryLayout): number[] {
  const pages = new Set<number>();
  for (const el of elements) {
    const last = el.address + el.data.length - 1;
    for (let a = el.address; a <= last; ) {
      const seg = findSegment(layout, a);
      if (!seg) break;
      const page = pageStart(seg, a);
      if (seg.erasable) pages.add(page);
      a = page + seg.pageSize;
    }
  }
  return [...pages].sort((x, y) => x - y);
}
