// DfuSe container (ST UM0391): "DfuSe" prefix, targets ("Target" + alternate
// setting + name), each holding elements (address, size, data), then the DFU
// suffix with bcdDFU 0x011A. Each target addresses its own memory (alternate
// setting), so overlap is only an error inside one target.
import { HostError } from '../../errors/host-error';
import { BinaryView } from './binary-view';
import { hex } from './format-error';
import { addDfuSuffix, BCD_DFUSE, parseDfuSuffix, usbId, type DfuSuffix, type DfuSuffixFields } from './dfu-suffix';
import { suffixDetails } from './dfu-file';
import { describeImage, normalizeSegments, totalSize, type ImageMetadata, type Segment } from './memory-image';

const PREFIX_SIZE = 11;
const TARGET_PREFIX_SIZE = 274;
const NAME_SIZE = 255;
const ELEMENT_HEADER_SIZE = 8;

export interface DfuSeTarget {
  alternate: number;
  name?: string;
  segments: Segment[];
}

export function isDfuSe(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === 'DfuSe';
}

/** Each target with its own segments (targets may address different memories). */
export function dfuSeTargets(bytes: Uint8Array): DfuSeTarget[] {
  return decodeDfuSe(bytes).targets;
}

export function parseDfuSe(bytes: Uint8Array): ImageMetadata {
  const { suffix, targets, report } = decodeDfuSe(bytes);
  // One address space when the targets are disjoint; else the first target's, and say so.
  let segments: Segment[];
  let segmentsFrom = 'all targets';
  try {
    segments = normalizeSegments(targets.flatMap((t) => t.segments.map((s, i) => ({ ...s, origin: `alternate ${t.alternate} segment ${i}` }))));
  } catch (err) {
    if (!(err instanceof HostError)) throw err;
    segments = targets[0].segments;
    segmentsFrom = `target 0 (alternate ${targets[0].alternate}) only: targets overlap, they address different memories (see dfuSeTargets)`;
  }
  return describeImage('dfuse', segments, {
    target: `USB ${usbId(suffix)}`,
    board: targets.find((t) => t.name)?.name,
    details: { suffix: suffixDetails(suffix), targets: report, segmentsFrom },
  });
}

function decodeDfuSe(bytes: Uint8Array): { suffix: DfuSuffix; targets: DfuSeTarget[]; report: Array<Record<string, unknown>> } {
  const v = new BinaryView(bytes, 'dfuse', true);
  v.need(0, PREFIX_SIZE, 'DfuSe prefix');
  if (!isDfuSe(bytes)) throw v.fail(0, `expected the signature "DfuSe" but found ${JSON.stringify(v.ascii(0, 5, 'signature'))}`);
  const version = v.u8(5, 'bVersion');
  if (version !== 1) throw v.fail(5, `bVersion is ${version}, expected 1`);
  const suffix = parseDfuSuffix(bytes);
  if (suffix.bcdDFU !== BCD_DFUSE) throw v.fail(bytes.length - 10, `suffix bcdDFU is ${hex(suffix.bcdDFU, 4)}, expected ${hex(BCD_DFUSE, 4)} for DfuSe`);
  const end = suffix.payloadEnd;
  const imageSize = v.u32(6, 'DFUImageSize');
  if (imageSize !== end) throw v.fail(6, `DFUImageSize is ${imageSize}, expected ${end} (file size without the suffix)`);
  const targetCount = v.u8(10, 'bTargets');

  const targets: DfuSeTarget[] = [];
  const report: Array<Record<string, unknown>> = [];
  let at = PREFIX_SIZE;
  for (let t = 0; t < targetCount; t++) {
    if (at + TARGET_PREFIX_SIZE > end) throw v.fail(at, `target ${t} prefix needs ${TARGET_PREFIX_SIZE} bytes but the image ends at ${hex(end)}`);
    const sig = v.ascii(at, 6, 'target signature');
    if (sig !== 'Target') throw v.fail(at, `target ${t}: expected the signature "Target" but found ${JSON.stringify(sig)}`);
    const alternate = v.u8(at + 6, 'bAlternateSetting');
    const named = v.u32(at + 7, 'bTargetNamed') !== 0;
    const rawName = v.slice(at + 11, NAME_SIZE, 'szTargetName');
    const nul = rawName.indexOf(0);
    const name = named ? String.fromCharCode(...rawName.subarray(0, nul < 0 ? NAME_SIZE : nul)) : undefined;
    const targetSize = v.u32(at + 266, 'dwTargetSize');
    const elementCount = v.u32(at + 270, 'dwNbElements');
    const elementsStart = at + TARGET_PREFIX_SIZE;
    if (elementsStart + targetSize > end) throw v.fail(at + 266, `target ${t}: dwTargetSize ${targetSize} runs past the image end ${hex(end)}`);
    const elements: Array<Segment & { origin: string }> = [];
    let e = elementsStart;
    for (let i = 0; i < elementCount; i++) {
      if (e + ELEMENT_HEADER_SIZE > elementsStart + targetSize) throw v.fail(e, `target ${t} element ${i}: header runs past the target's ${targetSize} bytes`);
      const address = v.u32(e, 'dwElementAddress');
      const size = v.u32(e + 4, 'dwElementSize');
      if (e + ELEMENT_HEADER_SIZE + size > elementsStart + targetSize) {
        throw v.fail(e + 4, `target ${t} element ${i}: ${size} bytes run past the target's end at ${hex(elementsStart + targetSize)}`);
      }
      if (address + size > 0x100000000) throw v.fail(e, `target ${t} element ${i}: ${hex(address)} + ${size} bytes runs past 4 GiB`);
      elements.push({ address, data: v.slice(e + ELEMENT_HEADER_SIZE, size, 'element data'), origin: `target ${t} element ${i}` });
      e += ELEMENT_HEADER_SIZE + size;
    }
    if (e !== elementsStart + targetSize) throw v.fail(e, `target ${t}: elements take ${e - elementsStart} bytes but dwTargetSize says ${targetSize}`);
    const segments = normalizeSegments(elements);
    targets.push({ alternate, name, segments });
    report.push({ alternate, name, size: targetSize, elements: elements.map((x) => ({ address: x.address, size: x.data.length })) });
    at = elementsStart + targetSize;
  }
  if (at !== end) throw v.fail(at, `${end - at} unexpected bytes after the last of ${targetCount} targets (image ends at ${hex(end)})`);
  return { suffix, targets, report };
}

/** Builds a DfuSe file (prefix, targets, suffix with bcdDFU 0x011A). */
export function writeDfuSe(targets: readonly DfuSeTarget[], ids: Omit<DfuSuffixFields, 'bcdDFU'> = {}): Uint8Array {
  if (targets.length > 255) throw new HostError('invalid-params', 'A DfuSe file holds at most 255 targets.', `${targets.length} given`);
  const parts: Uint8Array[] = [];
  const prefix = new Uint8Array(PREFIX_SIZE);
  parts.push(prefix);
  for (const t of targets) {
    const segments = normalizeSegments(t.segments);
    const head = new Uint8Array(TARGET_PREFIX_SIZE);
    const hv = new DataView(head.buffer);
    head.set([...'Target'].map((c) => c.charCodeAt(0)), 0);
    if (!Number.isInteger(t.alternate) || t.alternate < 0 || t.alternate > 255) {
      throw new HostError('invalid-params', 'A DfuSe alternate setting must be 0-255.', `alternate = ${t.alternate}`);
    }
    head[6] = t.alternate;
    if (t.name !== undefined) {
      if (t.name.length > NAME_SIZE - 1 || /[^\x20-\x7e]/.test(t.name)) {
        throw new HostError('invalid-params', 'A DfuSe target name must be printable ASCII, at most 254 characters.', `name = ${JSON.stringify(t.name)}`);
      }
      hv.setUint32(7, 1, true);
      head.set([...t.name].map((c) => c.charCodeAt(0)), 11);
    }
    hv.setUint32(266, segments.length * ELEMENT_HEADER_SIZE + totalSize(segments), true);
    hv.setUint32(270, segments.length, true);
    parts.push(head);
    for (const s of segments) {
      if (s.address + s.data.length > 0x100000000) {
        throw new HostError('invalid-params', 'A DfuSe element must lie below 4 GiB.', `segment at ${hex(s.address)}, ${s.data.length} bytes`);
      }
      const eh = new DataView(new ArrayBuffer(ELEMENT_HEADER_SIZE));
      eh.setUint32(0, s.address, true);
      eh.setUint32(4, s.data.length, true);
      parts.push(new Uint8Array(eh.buffer), s.data);
    }
  }
  const size = parts.reduce((n, p) => n + p.length, 0);
  const body = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    body.set(p, at);
    at += p.length;
  }
  body.set([...'DfuSe'].map((c) => c.charCodeAt(0)), 0);
  body[5] = 1;
  new DataView(body.buffer).setUint32(6, size, true);
  body[10] = targets.length;
  return addDfuSuffix(body, { ...ids, bcdDFU: BCD_DFUSE });
}
