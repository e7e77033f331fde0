// Decode a feature's Get Feature data by its UUID; unknown features come back
// as UUID + raw bytes so nothing is hidden from the operator.
import { uuidToBytes, uuidToString } from '../uuid';
import { CXL_FEATURE_TITLE, knownFeatureKey, type KnownFeatureKey } from '../known-features';
import { decodeEcsRead, type EcsRead } from './ddr5-ecs';
import { decodeSparingRead, type SparingRead } from './memory-sparing';
import { decodePatrolScrubRead, type PatrolScrubRead } from './patrol-scrub';
import { decodePprRead, type PprRead } from './ppr';

export type DecodedFeatureData =
  | { kind: 'patrolScrub'; title: string; value: PatrolScrubRead }
  | { kind: 'ddr5Ecs'; title: string; value: EcsRead }
  | { kind: 'softPpr' | 'hardPpr'; title: string; value: PprRead }
  | { kind: 'cachelineSparing' | 'rowSparing' | 'bankSparing' | 'rankSparing'; title: string; value: SparingRead }
  | { kind: 'unknown'; uuid: string; raw: Uint8Array };

export function decodeFeatureData(uuid: string, bytes: Uint8Array): DecodedFeatureData {
  const key = knownFeatureKey(uuid);
  if (key === null) return { kind: 'unknown', uuid: uuidToString(uuidToBytes(uuid)), raw: bytes.slice() };
  const title = CXL_FEATURE_TITLE[key];
  switch (key as KnownFeatureKey) {
    case 'patrolScrub':
      return { kind: 'patrolScrub', title, value: decodePatrolScrubRead(bytes) };
    case 'ddr5Ecs':
      return { kind: 'ddr5Ecs', title, value: decodeEcsRead(bytes) };
    case 'softPpr':
    case 'hardPpr':
      return { kind: key as 'softPpr' | 'hardPpr', title, value: decodePprRead(bytes) };
    default:
      return { kind: key as 'cachelineSparing' | 'rowSparing' | 'bankSparing' | 'rankSparing', title, value: decodeSparingRead(bytes) };
  }
}
