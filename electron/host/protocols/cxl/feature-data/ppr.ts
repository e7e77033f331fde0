// Soft and hard Post Package Repair (CXL r3.2 8.2.10.7.2.1/.2, Tables 8-128/8-129
// and 8-131/8-132; kernel edac.c struct cxl_memdev_ppr_rd_attrbs). sPPR and hPPR
// share the layout.
import { expectSize } from './exact-size';
import { MAINTENANCE_HEADER_SIZE, decodeMaintenanceHeader, encodeMaintenanceHeader, type MaintenanceHeader } from './maintenance-header';

export const PPR_READ_SIZE = MAINTENANCE_HEADER_SIZE + 4;
export const PPR_WRITE_SIZE = 3;

export interface PprRead extends MaintenanceHeader {
  /** PPR flags bit 0: repair can be addressed by DPA. */
  dpaSupported: boolean;
  /** PPR flags bit 1: repair can be narrowed by nibble mask. */
  nibbleMaskSupported: boolean;
  /** PPR flags bit 2: the device can log a Memory Sparing Event Record. */
  sparingEventRecordCapable: boolean;
  /** PPR flags bit 3: the device can run device-initiated PPR at boot. */
  deviceInitiatedAtBootCapable: boolean;
  /** Restriction bit 0 clear: media stays accessible during the repair. */
  mediaAccessibleDuringRepair: boolean;
  /** Restriction bit 2 clear: data is retained across the repair. */
  dataRetainedDuringRepair: boolean;
  /** PPR operation mode bit 0: Memory Sparing Event Records are enabled. */
  sparingEventRecordEnabled: boolean;
  /** PPR operation mode bit 1: device-initiated PPR at boot is enabled. */
  deviceInitiatedAtBootEnabled: boolean;
  pprFlags: number;
  restrictionFlags: number;
  pprOpMode: number;
}

export function decodePprRead(bytes: Uint8Array): PprRead {
  const v = expectSize(bytes, PPR_READ_SIZE, 'post package repair');
  const pprFlags = bytes[16];
  const restrictionFlags = v.getUint16(17, true);
  const pprOpMode = bytes[19];
  return {
    ...decodeMaintenanceHeader(v),
    dpaSupported: (pprFlags & 1) !== 0,
    nibbleMaskSupported: (pprFlags & 2) !== 0,
    sparingEventRecordCapable: (pprFlags & 4) !== 0,
    deviceInitiatedAtBootCapable: (pprFlags & 8) !== 0,
    mediaAccessibleDuringRepair: (restrictionFlags & 1) === 0,
    dataRetainedDuringRepair: (restrictionFlags & 4) === 0,
    sparingEventRecordEnabled: (pprOpMode & 1) !== 0,
    deviceInitiatedAtBootEnabled: (pprOpMode & 2) !== 0,
    pprFlags,
    restrictionFlags,
    pprOpMode,
  };
}

export function encodePprRead(r: Omit<PprRead, 'opCapabilities' | 'opMode' | 'pprFlags' | 'restrictionFlags' | 'pprOpMode'>): Uint8Array {
  const out = new Uint8Array(PPR_READ_SIZE);
  const v = new DataView(out.buffer);
  encodeMaintenanceHeader(r, v);
  out[16] = (r.dpaSupported ? 1 : 0) | (r.nibbleMaskSupported ? 2 : 0) | (r.sparingEventRecordCapable ? 4 : 0) | (r.deviceInitiatedAtBootCapable ? 8 : 0);
  v.setUint16(17, (r.mediaAccessibleDuringRepair ? 0 : 1) | (r.dataRetainedDuringRepair ? 0 : 4), true);
  out[19] = (r.sparingEventRecordEnabled ? 1 : 0) | (r.deviceInitiatedAtBootEnabled ? 2 : 0);
  return out;
}

export interface PprWrite {
  deviceInitiatedEnabled: boolean;
  sparingEventRecordEnabled: boolean;
  deviceInitiatedAtBootEnabled: boolean;
}

export function encodePprWrite(w: PprWrite): Uint8Array {
  return Uint8Array.of(w.deviceInitiatedEnabled ? 1 : 0, 0, (w.sparingEventRecordEnabled ? 1 : 0) | (w.deviceInitiatedAtBootEnabled ? 2 : 0));
}

export function decodePprWrite(bytes: Uint8Array): PprWrite & { opMode: number; pprOpMode: number } {
  const v = expectSize(bytes, PPR_WRITE_SIZE, 'post package repair write');
  const opMode = v.getUint16(0, true);
  const pprOpMode = bytes[2];
  return { deviceInitiatedEnabled: (opMode & 1) !== 0, sparingEventRecordEnabled: (pprOpMode & 1) !== 0, deviceInitiatedAtBootEnabled: (pprOpMode & 2) !== 0, opMode, pprOpMode };
}
