import { HostError } from '../../../electron/host/errors/host-error';
import {
  CXL_FEATURE_UUID,
  decodeEcsRead,
  decodeFeatureData,
  decodeFeatureEntry,
  decodeGetSupportedFeaturesOut,
  decodePatrolScrubRead,
  decodePprRead,
  decodeRpc,
  decodeRpcReply,
  decodeSetFeatureIn,
  decodeSparingRead,
  describeReturnCode,
  effectNames,
  encodeEcsWrite,
  encodeFeatureEntry,
  encodeGetFeatureIn,
  encodeGetSupportedFeaturesOut,
  encodePatrolScrubWrite,
  encodePprRead,
  encodePprWrite,
  encodeRpc,
  encodeRpcReply,
  encodeSparingRead,
  encodeSparingWrite,
  LAYOUT_CHECKS,
  splitSetFeature,
  uuidToBytes,
  uuidToString,
} from '../../../electron/host/protocols/cxl';
import { decodeEcsWrite } from '../../../electron/host/protocols/cxl/feature-data/ddr5-ecs';

function err(fn: () => unknown): HostError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HostError);
    return e as HostError;
  }
  throw new Error('expected a HostError');
}

describe('CXL envelope', () => {
  it('encodes fwctl_rpc_cxl little-endian with op_size and round-trips', () => {
    const bytes = encodeRpc({ opcode: 0x0501, payload: Uint8Array.of(1, 2, 3) });
    expect(Array.from(bytes.subarray(0, 16))).toEqual([0x01, 0x05, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]);
    const back = decodeRpc(bytes);
    expect(back).toMatchObject({ opcode: 0x0501, flags: 0, opSize: 3, reserved1: 0 });
    expect(Array.from(back.payload)).toEqual([1, 2, 3]);
  });

  it('decodes a reply and refuses truncated ones precisely', () => {
    const r = encodeRpcReply({ retval: 0x19, payload: Uint8Array.of(9, 8) });
    expect(decodeRpcReply(r)).toEqual({ retval: 0x19, payload: Uint8Array.of(9, 8) });
    expect(err(() => decodeRpcReply(new Uint8Array(7))).detail).toBe('need 8 bytes, got 7');
    const cut = err(() => decodeRpcReply(r.subarray(0, 9)));
    expect(cut.code).toBe('protocol-error');
    expect(cut.detail).toBe('header says 2 payload bytes, only 1 arrived');
  });

  it('names return codes like the kernel table', () => {
    expect(describeReturnCode(0)).toMatchObject({ name: 'SUCCESS' });
    expect(describeReturnCode(3)).toMatchObject({ name: 'UNSUPPORTED' });
    expect(describeReturnCode(0x19)).toMatchObject({ name: 'FEATUREVERSION' });
    expect(describeReturnCode(0x1c)).toMatchObject({ name: 'FEATURETRANSFEROOO' });
    expect(describeReturnCode(0x1e)).toMatchObject({ name: 'EXTLIST' });
    expect(describeReturnCode(0x99).name).toBe('UNKNOWN_0x0099');
  });
});

describe('CXL UUIDs and feature entries', () => {
  it('keeps kernel uuid_t byte order', () => {
    const b = uuidToBytes(CXL_FEATURE_UUID.patrolScrub);
    expect(Array.from(b.subarray(0, 4))).toEqual([0x96, 0xda, 0xd7, 0xd6]);
    expect(uuidToString(b)).toBe(CXL_FEATURE_UUID.patrolScrub);
    expect(err(() => uuidToBytes('not-a-uuid')).code).toBe('invalid-params');
  });

  it('round-trips a supported feature entry and decodes flags and effects', () => {
    const entry = { uuid: CXL_FEATURE_UUID.ddr5Ecs, index: 1, getSize: 13, setSize: 7, flags: 0x21, getVersion: 1, setVersion: 2, effects: 0x0202 };
    const bytes = encodeFeatureEntry(entry);
    expect(bytes.length).toBe(48);
    const f = decodeFeatureEntry(bytes);
    expect(f).toMatchObject({ ...entry, effectNames: ['config-change-immediate', 'effects-valid'] });
    expect(f.attributes).toEqual({ changeable: true, deepestResetPersistence: 0, persistAcrossFirmwareUpdate: false, defaultSelection: true, savedSelection: false });
    expect(effectNames(0x0c01)).toEqual(['config-change-cold-reset', 'config-change-conventional-reset', 'config-change-cxl-reset']);
    expect(effectNames(0x1000)).toEqual(['reserved-0x1000']);
  });

  it('checks the entry block length exactly', () => {
    const block = encodeGetSupportedFeaturesOut(8, [{ uuid: CXL_FEATURE_UUID.patrolScrub, index: 0, getSize: 4, setSize: 2, flags: 1, getVersion: 1, setVersion: 1, effects: 0x202 }]);
    expect(decodeGetSupportedFeaturesOut(block)).toMatchObject({ numEntries: 1, supportedFeatures: 8 });
    expect(err(() => decodeGetSupportedFeaturesOut(block.subarray(0, 40))).detail).toBe('1 entries need 56 bytes, got 40');
    const long = new Uint8Array(block.length + 3);
    long.set(block);
    expect(err(() => decodeGetSupportedFeaturesOut(long)).detail).toBe('1 entries take 56 bytes, got 59');
    expect(err(() => decodeGetSupportedFeaturesOut(new Uint8Array(5))).code).toBe('protocol-error');
  });

  it('encodes Get Feature input at the header offsets and refuses bad counts', () => {
    const b = encodeGetFeatureIn({ uuid: CXL_FEATURE_UUID.patrolScrub, offset: 0x102, count: 4, selection: 'default' });
    expect(b.length).toBe(21);
    expect(Array.from(b.subarray(16))).toEqual([0x02, 0x01, 4, 0, 1]);
    expect(err(() => encodeGetFeatureIn({ uuid: CXL_FEATURE_UUID.patrolScrub, offset: 0, count: 0, selection: 'current' })).detail).toBe('count=0, allowed 1..65535');
  });
});

describe('Set Feature transfers', () => {
  const uuid = CXL_FEATURE_UUID.patrolScrub;
  it('uses one full transfer when the data fits', () => {
    const [only, ...rest] = splitSetFeature({ uuid, version: 1, data: Uint8Array.of(0x18, 0x01) }, 64);
    expect(rest).toHaveLength(0);
    const d = decodeSetFeatureIn(only);
    expect(d).toMatchObject({ transfer: 'full', savedAcrossReset: true, offset: 0, version: 1, uuid });
    expect(Array.from(d.data)).toEqual([0x18, 0x01]);
  });

  it('splits into initiate / continue / finish with offsets that reassemble the data', () => {
    const data = Uint8Array.from({ length: 100 }, (_, i) => i);
    const pieces = splitSetFeature({ uuid, version: 3, data }, 32 + 40).map(decodeSetFeatureIn);
    expect(pieces.map((p) => p.transfer)).toEqual(['initiate', 'continue', 'finish']);
    expect(pieces.map((p) => p.offset)).toEqual([0, 40, 80]);
    const joined = new Uint8Array(100);
    for (const p of pieces) joined.set(p.data, p.offset);
    expect(joined).toEqual(data);
    expect(decodeSetFeatureIn(Uint8Array.from([...uuidToBytes(uuid), 4, 0, 0, 0, 0, 0, 1, ...new Array(9).fill(0)])).transfer).toBe('abort');
    expect(err(() => splitSetFeature({ uuid, version: 1, data }, 32)).code).toBe('invalid-params');
  });
});

describe('feature data layouts', () => {
  it('decodes patrol scrub 03 0c 01 00 as QEMU reports it', () => {
    expect(decodePatrolScrubRead(Uint8Array.of(0x03, 0x0c, 0x01, 0x00))).toEqual({
      cycleChangeable: true, realtimeReportCapable: true, cycleHours: 12, minCycleHours: 1, enabled: false, capabilities: 3, flags: 0,
    });
    expect(Array.from(encodePatrolScrubWrite({ cycleHours: 24, enabled: true }))).toEqual([0x18, 0x01]);
    expect(decodePatrolScrubRead(Uint8Array.of(0x03, 0x18, 0x01, 0x01))).toMatchObject({ cycleHours: 24, enabled: true });
    expect(err(() => decodePatrolScrubRead(Uint8Array.of(3, 12, 1))).detail).toBe('need 4 bytes, got 3');
    expect(err(() => decodePatrolScrubRead(new Uint8Array(5))).detail).toBe('expected 4 bytes, got 5');
    expect(err(() => encodePatrolScrubWrite({ cycleHours: 0, enabled: true })).code).toBe('invalid-params');
  });

  it('decodes DDR5 ECS per media FRU and round-trips writes', () => {
    const read = Uint8Array.of(0x01, 0x01, 0x0b, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00);
    const r = decodeEcsRead(read);
    expect(r.logEntryType).toBe('per-memory-media-fru');
    expect(r.frus).toHaveLength(2);
    expect(r.frus[0]).toMatchObject({ realtimeReportCapable: true, threshold: 256, countMode: 'codewords', resetCounter: false });
    expect(r.frus[1]).toMatchObject({ realtimeReportCapable: false, threshold: 1024, countMode: 'rows' });
    const w = encodeEcsWrite({ logEntryType: 'per-dram', frus: [{ threshold: 4096, countMode: 'rows', resetCounter: true }] });
    expect(Array.from(w)).toEqual([0x00, 0x15, 0x00]);
    expect(decodeEcsWrite(w).frus[0]).toMatchObject({ threshold: 4096, resetCounter: true });
    expect(err(() => decodeEcsRead(read.subarray(0, 7))).detail).toBe('7 bytes = 1 + 1.5 records of 4');
    expect(err(() => decodeEcsRead(Uint8Array.of(1))).code).toBe('protocol-error');
    expect(err(() => encodeEcsWrite({ logEntryType: 'per-dram', frus: [{ threshold: 300, countMode: 'rows', resetCounter: false }] })).code).toBe('invalid-params');
  });

  it('round-trips PPR readable attributes and encodes the 3-byte write', () => {
    const value = {
      maxOpLatency: 5, deviceInitiatedCapable: true, deviceInitiatedEnabled: false, opClass: 1, opSubclass: 1,
      dpaSupported: true, nibbleMaskSupported: false, sparingEventRecordCapable: true, deviceInitiatedAtBootCapable: false,
      mediaAccessibleDuringRepair: false, dataRetainedDuringRepair: true, sparingEventRecordEnabled: true, deviceInitiatedAtBootEnabled: false,
    };
    const bytes = encodePprRead(value);
    expect(bytes.length).toBe(20);
    expect(Array.from(bytes.subarray(16))).toEqual([0x05, 0x01, 0x00, 0x01]);
    expect(decodePprRead(bytes)).toMatchObject(value);
    expect(Array.from(encodePprWrite({ deviceInitiatedEnabled: true, sparingEventRecordEnabled: false, deviceInitiatedAtBootEnabled: true }))).toEqual([1, 0, 2]);
    expect(err(() => decodePprRead(bytes.subarray(0, 19))).code).toBe('protocol-error');
  });

  it('round-trips memory sparing attributes', () => {
    const value = { maxOpLatency: 2, deviceInitiatedCapable: false, deviceInitiatedEnabled: false, opClass: 2, opSubclass: 3, safeWhenInUse: false, hardSparingSupported: true, softSparingSupported: false };
    const bytes = encodeSparingRead(value);
    expect(bytes.length).toBe(19);
    expect(decodeSparingRead(bytes)).toMatchObject({ ...value, restrictionFlags: 0x3 });
    expect(Array.from(encodeSparingWrite({ deviceInitiatedEnabled: true }))).toEqual([1, 0]);
  });

  it('dispatches by UUID and keeps unknown features raw', () => {
    expect(decodeFeatureData(CXL_FEATURE_UUID.patrolScrub, Uint8Array.of(3, 12, 1, 0)).kind).toBe('patrolScrub');
    const u = decodeFeatureData('12345678-9ABC-def0-1234-56789abcdef0', Uint8Array.of(7, 7));
    expect(u).toEqual({ kind: 'unknown', uuid: '12345678-9abc-def0-1234-56789abcdef0', raw: Uint8Array.of(7, 7) });
  });
});

describe('CXL LAYOUT_CHECKS', () => {
  it('lists each expression once with an integer value', () => {
    const names = LAYOUT_CHECKS.map((c) => c.c);
    expect(new Set(names).size).toBe(names.length);
    for (const c of LAYOUT_CHECKS) expect(Number.isInteger(c.value)).toBe(true);
  });
});
