// The eight features QEMU 11's cxl-type3 device offers, with QEMU-like data.
// Set Feature Effects are mixed on purpose so both kernel scope paths run:
//   immediate (0x0202, config change immediate + valid -> debug-write-full):
//     patrol scrub, DDR5 ECS, soft PPR, cacheline sparing, rank sparing
//   reset-time only (-> debug-write):
//     hard PPR      0x0201 config change after cold reset
//     row sparing   0x0600 config change after conventional reset
//     bank sparing  0x0a00 config change after CXL reset
// (Real QEMU uses 0x0202 for all eight.) The simulator applies every accepted
// Set at once, reset-time ones included; only the scope rules differ.
import { CXL_FEATURE_UUID } from '../../protocols/cxl/known-features';
import { CXL_RC } from '../../protocols/cxl/return-codes';
import { FeatureFlag } from '../../protocols/cxl/layout';
import { decodeEcsRead, decodeEcsWrite, encodeEcsRead } from '../../protocols/cxl/feature-data/ddr5-ecs';
import { decodeSparingWrite, encodeSparingRead, SPARING_WRITE_SIZE } from '../../protocols/cxl/feature-data/memory-sparing';
import { decodePatrolScrubRead, decodePatrolScrubWrite, encodePatrolScrubRead, PATROL_SCRUB_WRITE_SIZE } from '../../protocols/cxl/feature-data/patrol-scrub';
import { decodePprWrite, encodePprRead, PPR_WRITE_SIZE } from '../../protocols/cxl/feature-data/ppr';

export interface SimFeature {
  uuid: string;
  flags: number;
  getVersion: number;
  setVersion: number;
  effects: number;
  setSize: number;
  /** Current value (Get Feature, selection 0). */
  current: Uint8Array;
  /** Default value (selection 1), if the feature offers one. */
  defaults: Uint8Array;
  /** Apply a complete write block; returns a CXL mailbox return code. */
  apply(write: Uint8Array): number;
}

const CHANGEABLE_WITH_DEFAULT = FeatureFlag.Changeable | FeatureFlag.DefaultSel;

function feature(uuid: string, effects: number, setSize: number, initial: Uint8Array, apply: (cur: Uint8Array, w: Uint8Array) => Uint8Array | number): SimFeature {
  const f: SimFeature = {
    uuid,
    flags: CHANGEABLE_WITH_DEFAULT,
    getVersion: 1,
    setVersion: 1,
    effects,
    setSize,
    current: initial.slice(),
    defaults: initial.slice(),
    apply(write) {
      if (write.length !== setSize) return CXL_RC.INPUT;
      const next = apply(f.current, write);
      if (typeof next === 'number') return next;
      f.current = next;
      return CXL_RC.SUCCESS;
    },
  };
  return f;
}

function pprRead(subclass: number): Uint8Array {
  return encodePprRead({
    maxOpLatency: 0x05, deviceInitiatedCapable: true, deviceInitiatedEnabled: false, opClass: 0x01, opSubclass: subclass,
    dpaSupported: true, nibbleMaskSupported: true, sparingEventRecordCapable: true, deviceInitiatedAtBootCapable: false,
    mediaAccessibleDuringRepair: true, dataRetainedDuringRepair: true, sparingEventRecordEnabled: false, deviceInitiatedAtBootEnabled: false,
  });
}

function sparingRead(subclass: number): Uint8Array {
  return encodeSparingRead({
    maxOpLatency: 0x05, deviceInitiatedCapable: true, deviceInitiatedEnabled: false, opClass: 0x02, opSubclass: subclass,
    safeWhenInUse: true, hardSparingSupported: true, softSparingSupported: true,
  });
}

const applyPpr = (cur: Uint8Array, w: Uint8Array) => {
  const p = decodePprWrite(w);
  const next = cur.slice();
  new DataView(next.buffer).setUint16(3, p.opMode & 1, true);
  next[19] = p.pprOpMode & 0x3;
  return next;
};

const applySparing = (cur: Uint8Array, w: Uint8Array) => {
  const s = decodeSparingWrite(w);
  const next = cur.slice();
  new DataView(next.buffer).setUint16(3, s.opMode & 1, true);
  return next;
};

export const ECS_MEDIA_FRUS = 3;

export function qemuFeatures(): SimFeature[] {
  const U = CXL_FEATURE_UUID;
  return [
    feature(U.patrolScrub, 0x0202, PATROL_SCRUB_WRITE_SIZE, Uint8Array.of(0x03, 0x0c, 0x01, 0x00), (cur, w) => {
      const r = decodePatrolScrubRead(cur);
      const s = decodePatrolScrubWrite(w);
      if (s.cycleHours < r.minCycleHours) return CXL_RC.INPUT;
      return encodePatrolScrubRead({ ...r, cycleHours: s.cycleHours, enabled: s.enabled });
    }),
    feature(
      U.ddr5Ecs,
      0x0202,
      1 + 2 * ECS_MEDIA_FRUS,
      encodeEcsRead({
        logEntryType: 'per-memory-media-fru',
        frus: Array.from({ length: ECS_MEDIA_FRUS }, () => ({ realtimeReportCapable: true, threshold: 256, thresholdIndex: 3, countMode: 'codewords' as const, resetCounter: false })),
      }),
      (cur, w) => {
        const r = decodeEcsRead(cur);
        const s = decodeEcsWrite(w);
        if (s.frus.some((f) => f.threshold === null) || s.logEntryType === 'reserved') return CXL_RC.INPUT;
        // the reset-counter bit is an action, not a setting: it reads back clear
        return encodeEcsRead({
          logEntryType: s.logEntryType,
          frus: r.frus.map((f, i) => ({ ...f, threshold: s.frus[i].threshold, countMode: s.frus[i].countMode, resetCounter: false })),
        });
      },
    ),
    feature(U.softPpr, 0x0202, PPR_WRITE_SIZE, pprRead(0x00), applyPpr),
    feature(U.hardPpr, 0x0201, PPR_WRITE_SIZE, pprRead(0x01), applyPpr),
    feature(U.cachelineSparing, 0x0202, SPARING_WRITE_SIZE, sparingRead(0x00), applySparing),
    feature(U.rowSparing, 0x0600, SPARING_WRITE_SIZE, sparingRead(0x01), applySparing),
    feature(U.bankSparing, 0x0a00, SPARING_WRITE_SIZE, sparingRead(0x02), applySparing),
    feature(U.rankSparing, 0x0202, SPARING_WRITE_SIZE, sparingRead(0x03), applySparing),
  ];
}

/** A vendor feature with raw data of any size (for tests of large transfers). */
export function rawFeature(uuid: string, data: Uint8Array, effects: number, flags = CHANGEABLE_WITH_DEFAULT): SimFeature {
  const f = feature(uuid, effects, data.length, data, (_cur, w) => w.slice());
  f.flags = flags;
  return f;
}
