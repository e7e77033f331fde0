// Device Patrol Scrub Control (CXL r3.2 8.2.10.9.11.1, Tables 8-222/8-223;
// kernel drivers/cxl/core/edac.c struct cxl_scrub_rd_attrbs / _wr_attrbs).
import { checkField, expectSize } from './exact-size';

export const PATROL_SCRUB_READ_SIZE = 4;
export const PATROL_SCRUB_WRITE_SIZE = 2;

export interface PatrolScrubRead {
  /** Capabilities bit 0: the scrub cycle can be changed. */
  cycleChangeable: boolean;
  /** Capabilities bit 1: the device can report scrub completion in real time. */
  realtimeReportCapable: boolean;
  /** Current scrub cycle in hours (cycle bits 7:0). */
  cycleHours: number;
  /** Shortest cycle the device supports, in hours (cycle bits 15:8). */
  minCycleHours: number;
  /** Flags bit 0: background patrol scrub is enabled. */
  enabled: boolean;
  capabilities: number;
  flags: number;
}

export function decodePatrolScrubRead(bytes: Uint8Array): PatrolScrubRead {
  const v = expectSize(bytes, PATROL_SCRUB_READ_SIZE, 'patrol scrub');
  const cap = bytes[0];
  const cycle = v.getUint16(1, true);
  const flags = bytes[3];
  return {
    cycleChangeable: (cap & 1) !== 0,
    realtimeReportCapable: (cap & 2) !== 0,
    cycleHours: cycle & 0xff,
    minCycleHours: cycle >> 8,
    enabled: (flags & 1) !== 0,
    capabilities: cap,
    flags,
  };
}

export function encodePatrolScrubRead(r: Omit<PatrolScrubRead, 'capabilities' | 'flags'>): Uint8Array {
  checkField('cycleHours', r.cycleHours, 0, 255);
  checkField('minCycleHours', r.minCycleHours, 0, 255);
  return Uint8Array.of((r.cycleChangeable ? 1 : 0) | (r.realtimeReportCapable ? 2 : 0), r.cycleHours, r.minCycleHours, r.enabled ? 1 : 0);
}

export interface PatrolScrubWrite {
  cycleHours: number;
  enabled: boolean;
}

export function encodePatrolScrubWrite(w: PatrolScrubWrite): Uint8Array {
  checkField('cycleHours', w.cycleHours, 1, 255);
  return Uint8Array.of(w.cycleHours, w.enabled ? 1 : 0);
}

export function decodePatrolScrubWrite(bytes: Uint8Array): PatrolScrubWrite {
  expectSize(bytes, PATROL_SCRUB_WRITE_SIZE, 'patrol scrub write');
  return { cycleHours: bytes[0], enabled: (bytes[1] & 1) !== 0 };
}
