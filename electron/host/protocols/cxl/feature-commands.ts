// Payloads of the three feature commands (<cxl/features.h>; CXL r3.2 8.2.10.6):
// Get Supported Features (0500h), Get Feature (0501h), Set Feature (0502h).
import { HostError } from '../../errors/host-error';
import { view } from './envelope';
import {
  EFFECTS_RESERVED,
  Effect,
  FEAT_ENTRY_SIZE,
  FeatureFlag,
  GET_FEAT_IN_SIZE,
  GET_SUP_FEATS_IN_SIZE,
  GET_SUP_FEATS_OUT_HDR_SIZE,
  SET_FEAT_HDR_SIZE,
  SET_FEAT_SAVED_ACROSS_RESET,
  SET_FEAT_TRANSFER_MASK,
  SetFeatTransfer,
  type SetFeatTransferValue,
} from './layout';
import { uuidToBytes, uuidToString } from './uuid';

// ---- Get Supported Features -------------------------------------------------

export interface GetSupportedFeaturesIn {
  /** Bytes of feature entries wanted (the kernel divides it by the 48-byte entry size). */
  count: number;
  startIndex: number;
}

export function encodeGetSupportedFeaturesIn(p: GetSupportedFeaturesIn): Uint8Array {
  checkInt('count', p.count, 0, 0xffffffff);
  checkInt('startIndex', p.startIndex, 0, 0xffff);
  const out = new Uint8Array(GET_SUP_FEATS_IN_SIZE);
  const v = view(out);
  v.setUint32(0, p.count, true);
  v.setUint16(4, p.startIndex, true);
  return out;
}

export function decodeGetSupportedFeaturesIn(bytes: Uint8Array): GetSupportedFeaturesIn {
  needIn(bytes, GET_SUP_FEATS_IN_SIZE, 'Get Supported Features input');
  const v = view(bytes);
  return { count: v.getUint32(0, true), startIndex: v.getUint16(4, true) };
}

/** The names of the Set Feature Effects bits (CXL r3.2 Table 8-87). */
export const EFFECT_NAMES: readonly { bit: number; name: string; meaning: string }[] = [
  { bit: Effect.ConfigChangeColdReset, name: 'config-change-cold-reset', meaning: 'configuration changes after a cold reset' },
  { bit: Effect.ConfigChangeImmediate, name: 'config-change-immediate', meaning: 'configuration changes immediately' },
  { bit: Effect.DataChangeImmediate, name: 'data-change-immediate', meaning: 'data changes immediately' },
  { bit: Effect.PolicyChangeImmediate, name: 'policy-change-immediate', meaning: 'policy changes immediately' },
  { bit: Effect.LogChangeImmediate, name: 'log-change-immediate', meaning: 'logs change immediately' },
  { bit: Effect.SecurityStateChange, name: 'security-state-change', meaning: 'the security state changes' },
  { bit: Effect.Background, name: 'background', meaning: 'runs as a background operation' },
  { bit: Effect.BackgroundAbortSupported, name: 'background-abort-supported', meaning: 'the background operation can be aborted' },
  { bit: Effect.EffectsValid, name: 'effects-valid', meaning: 'the effects field is valid' },
  { bit: Effect.ConfigChangeConvReset, name: 'config-change-conventional-reset', meaning: 'configuration changes after a conventional reset' },
  { bit: Effect.ConfigChangeCxlReset, name: 'config-change-cxl-reset', meaning: 'configuration changes after a CXL reset' },
];

export function effectNames(effects: number): string[] {
  const names = EFFECT_NAMES.filter((e) => effects & e.bit).map((e) => e.name);
  if (effects & EFFECTS_RESERVED) names.push(`reserved-0x${(effects & EFFECTS_RESERVED).toString(16)}`);
  // bit 8 is reserved in Table 8-87 but outside the kernel's reserved mask
  if (effects & 0x100) names.push('reserved-bit8');
  return names;
}

export interface CxlFeatureAttributes {
  changeable: boolean;
  /** Deepest reset that still keeps the saved value (flags bits 3:1, CXL r3.2 Table 8-109). */
  deepestResetPersistence: number;
  persistAcrossFirmwareUpdate: boolean;
  defaultSelection: boolean;
  savedSelection: boolean;
}

/** One Supported Feature Entry (struct cxl_feat_entry). */
export interface CxlFeatureInfo {
  uuid: string;
  index: number;
  getSize: number;
  setSize: number;
  flags: number;
  attributes: CxlFeatureAttributes;
  getVersion: number;
  setVersion: number;
  effects: number;
  effectNames: string[];
}

export function decodeFeatureEntry(bytes: Uint8Array): CxlFeatureInfo {
  if (bytes.length < FEAT_ENTRY_SIZE)
    throw new HostError('protocol-error', 'A supported-feature entry is truncated.', `need ${FEAT_ENTRY_SIZE} bytes, got ${bytes.length}`);
  const v = view(bytes);
  const flags = v.getUint32(22, true);
  const effects = v.getUint16(28, true);
  return {
    uuid: uuidToString(bytes.subarray(0, 16)),
    index: v.getUint16(16, true),
    getSize: v.getUint16(18, true),
    setSize: v.getUint16(20, true),
    flags,
    attributes: {
      changeable: (flags & FeatureFlag.Changeable) !== 0,
      deepestResetPersistence: (flags >> 1) & 0x7,
      persistAcrossFirmwareUpdate: (flags & FeatureFlag.PersistFwUpdate) !== 0,
      defaultSelection: (flags & FeatureFlag.DefaultSel) !== 0,
      savedSelection: (flags & FeatureFlag.SavedSel) !== 0,
    },
    getVersion: bytes[26],
    setVersion: bytes[27],
    effects,
    effectNames: effectNames(effects),
  };
}

export type CxlFeatureEntryInput = Pick<CxlFeatureInfo, 'uuid' | 'index' | 'getSize' | 'setSize' | 'flags' | 'getVersion' | 'setVersion' | 'effects'>;

export function encodeFeatureEntry(f: CxlFeatureEntryInput): Uint8Array {
  const out = new Uint8Array(FEAT_ENTRY_SIZE);
  const v = view(out);
  out.set(uuidToBytes(f.uuid), 0);
  v.setUint16(16, f.index, true);
  v.setUint16(18, f.getSize, true);
  v.setUint16(20, f.setSize, true);
  v.setUint32(22, f.flags >>> 0, true);
  out[26] = f.getVersion;
  out[27] = f.setVersion;
  v.setUint16(28, f.effects, true);
  return out;
}

export interface GetSupportedFeaturesOut {
  numEntries: number;
  supportedFeatures: number;
  entries: CxlFeatureInfo[];
}

export function decodeGetSupportedFeaturesOut(bytes: Uint8Array): GetSupportedFeaturesOut {
  if (bytes.length < GET_SUP_FEATS_OUT_HDR_SIZE)
    throw new HostError('protocol-error', 'The supported-features reply is truncated.', `need ${GET_SUP_FEATS_OUT_HDR_SIZE} header bytes, got ${bytes.length}`);
  const v = view(bytes);
  const numEntries = v.getUint16(0, true);
  const supportedFeatures = v.getUint16(2, true);
  const need = GET_SUP_FEATS_OUT_HDR_SIZE + numEntries * FEAT_ENTRY_SIZE;
  if (bytes.length < need)
    throw new HostError('protocol-error', 'The supported-features reply is truncated.', `${numEntries} entries need ${need} bytes, got ${bytes.length}`);
  if (bytes.length > need)
    throw new HostError('protocol-error', 'The supported-features reply is longer than its entries.', `${numEntries} entries take ${need} bytes, got ${bytes.length}`);
  const entries: CxlFeatureInfo[] = [];
  for (let i = 0; i < numEntries; i++) {
    const off = GET_SUP_FEATS_OUT_HDR_SIZE + i * FEAT_ENTRY_SIZE;
    entries.push(decodeFeatureEntry(bytes.subarray(off, off + FEAT_ENTRY_SIZE)));
  }
  return { numEntries, supportedFeatures, entries };
}

export function encodeGetSupportedFeaturesOut(supportedFeatures: number, entries: CxlFeatureEntryInput[]): Uint8Array {
  const out = new Uint8Array(GET_SUP_FEATS_OUT_HDR_SIZE + entries.length * FEAT_ENTRY_SIZE);
  const v = view(out);
  v.setUint16(0, entries.length, true);
  v.setUint16(2, supportedFeatures, true);
  entries.forEach((e, i) => out.set(encodeFeatureEntry(e), GET_SUP_FEATS_OUT_HDR_SIZE + i * FEAT_ENTRY_SIZE));
  return out;
}

// ---- Get Feature ---------------------------------------------------------------

export type FeatureSelection = 'current' | 'default' | 'saved';
const SELECTIONS: readonly FeatureSelection[] = ['current', 'default', 'saved'];

export interface GetFeatureIn {
  uuid: string;
  offset: number;
  count: number;
  selection: FeatureSelection;
}

export function encodeGetFeatureIn(p: GetFeatureIn): Uint8Array {
  checkInt('offset', p.offset, 0, 0xffff);
  checkInt('count', p.count, 1, 0xffff);
  const out = new Uint8Array(GET_FEAT_IN_SIZE);
  const v = view(out);
  out.set(uuidToBytes(p.uuid), 0);
  v.setUint16(16, p.offset, true);
  v.setUint16(18, p.count, true);
  out[20] = SELECTIONS.indexOf(p.selection);
  return out;
}

export interface DecodedGetFeatureIn {
  uuid: string;
  offset: number;
  count: number;
  /** Raw selection byte (0 current, 1 default, 2 saved; anything else is the device's to refuse). */
  selection: number;
}

export function decodeGetFeatureIn(bytes: Uint8Array): DecodedGetFeatureIn {
  needIn(bytes, GET_FEAT_IN_SIZE, 'Get Feature input');
  const v = view(bytes);
  return { uuid: uuidToString(bytes.subarray(0, 16)), offset: v.getUint16(16, true), count: v.getUint16(18, true), selection: bytes[20] };
}

// ---- Set Feature ---------------------------------------------------------------

export type SetFeatTransferName = 'full' | 'initiate' | 'continue' | 'finish' | 'abort';
const TRANSFER_NAMES: readonly SetFeatTransferName[] = ['full', 'initiate', 'continue', 'finish', 'abort'];

export interface SetFeatureIn {
  uuid: string;
  transfer: SetFeatTransferName;
  /** Flags bit 3: the device keeps the value across resets. */
  savedAcrossReset: boolean;
  offset: number;
  version: number;
  data: Uint8Array;
}

export function encodeSetFeatureIn(p: SetFeatureIn): Uint8Array {
  checkInt('offset', p.offset, 0, 0xffff);
  checkInt('version', p.version, 0, 0xff);
  const out = new Uint8Array(SET_FEAT_HDR_SIZE + p.data.length);
  const v = view(out);
  out.set(uuidToBytes(p.uuid), 0);
  const flags = TRANSFER_NAMES.indexOf(p.transfer) | (p.savedAcrossReset ? SET_FEAT_SAVED_ACROSS_RESET : 0);
  v.setUint32(16, flags, true);
  v.setUint16(20, p.offset, true);
  out[22] = p.version;
  out.set(p.data, SET_FEAT_HDR_SIZE);
  return out;
}

export interface DecodedSetFeatureIn {
  uuid: string;
  flags: number;
  /** Data transfer field (flags bits 2:0) as a name; values 5-7 are reserved. */
  transfer: SetFeatTransferName | 'reserved';
  transferValue: number;
  savedAcrossReset: boolean;
  offset: number;
  version: number;
  data: Uint8Array;
}

export function decodeSetFeatureIn(bytes: Uint8Array): DecodedSetFeatureIn {
  needIn(bytes, SET_FEAT_HDR_SIZE, 'Set Feature input');
  const v = view(bytes);
  const flags = v.getUint32(16, true);
  const transferValue = flags & SET_FEAT_TRANSFER_MASK;
  return {
    uuid: uuidToString(bytes.subarray(0, 16)),
    flags,
    transfer: TRANSFER_NAMES[transferValue] ?? 'reserved',
    transferValue,
    savedAcrossReset: (flags & SET_FEAT_SAVED_ACROSS_RESET) !== 0,
    offset: v.getUint16(20, true),
    version: bytes[22],
    data: bytes.subarray(SET_FEAT_HDR_SIZE),
  };
}

/**
 * Split feature data into Set Feature payloads that each fit `maxPayload`
 * bytes: one full transfer when it fits, else initiate / continue... / finish,
 * each carrying its offset (CXL r3.2 8.2.10.6.3). This is what the kernel's
 * cxl_set_feature() does on the mailbox; fwbench uses it for the simulated
 * device and for anything that talks to a mailbox directly.
 */
export function splitSetFeature(
  p: { uuid: string; version: number; data: Uint8Array; savedAcrossReset?: boolean },
  maxPayload: number,
): Uint8Array[] {
  const room = maxPayload - SET_FEAT_HDR_SIZE;
  if (room < 1)
    throw new HostError('invalid-params', 'The mailbox is too small to carry any feature data.', `payload ${maxPayload} bytes, header alone needs ${SET_FEAT_HDR_SIZE}`);
  if (p.data.length > 0xffff)
    throw new HostError('invalid-params', 'Feature data is larger than a Set Feature offset can address.', `${p.data.length} bytes > 65535`);
  const saved = p.savedAcrossReset ?? true;
  if (p.data.length <= room)
    return [encodeSetFeatureIn({ uuid: p.uuid, transfer: 'full', savedAcrossReset: saved, offset: 0, version: p.version, data: p.data })];
  const pieces: Uint8Array[] = [];
  for (let off = 0; off < p.data.length; off += room) {
    const end = Math.min(off + room, p.data.length);
    const transfer: SetFeatTransferName = off === 0 ? 'initiate' : end === p.data.length ? 'finish' : 'continue';
    pieces.push(encodeSetFeatureIn({ uuid: p.uuid, transfer, savedAcrossReset: saved, offset: off, version: p.version, data: p.data.subarray(off, end) }));
  }
  return pieces;
}

export function transferValue(name: SetFeatTransferName): SetFeatTransferValue {
  return SetFeatTransfer[(name[0].toUpperCase() + name.slice(1)) as keyof typeof SetFeatTransfer];
}

// ---- helpers -----------------------------------------------------------------

function checkInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new HostError('invalid-params', `The ${name} of a CXL feature command is out of range.`, `${name}=${value}, allowed ${min}..${max}`);
}

function needIn(bytes: Uint8Array, size: number, what: string): void {
  if (bytes.length < size) throw new HostError('invalid-params', `The ${what} is truncated.`, `need ${size} bytes, got ${bytes.length}`);
}
