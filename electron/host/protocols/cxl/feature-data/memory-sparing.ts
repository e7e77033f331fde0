// Cacheline / row / bank / rank Memory Sparing (CXL r3.2 8.2.10.7.2.3,
// Tables 8-134/8-135; kernel edac.c struct cxl_memdev_sparing_rd_attrbs).
// All four granularities share the layout; the UUID says which one it is.
import { expectSize } from './exact-size';
import { MAINTENANCE_HEADER_SIZE, decodeMaintenanceHeader, encodeMaintenanceHeader, type MaintenanceHeader } from './maintenance-header';

export const SPARING_READ_SIZE = MAINTENANCE_HEADER_SIZE + 3;
export const SPARING_WRITE_SIZE = 2;

export interface SparingRead extends MaintenanceHeader {
  /** Restriction bit 0 clear: sparing is safe while the memory is in use. */
  safeWhenInUse: boolean;
  /** Restriction bit 1: hard (persistent) sparing is supported. */
  hardSparingSupported: boolean;
  /** Restriction bit 2: soft sparing is supported. */
  softSparingSupported: boolean;
  restrictionFlags: number;
}

export function decodeSparingRead(bytes: Uint8Array): SparingRead {
  const v = expectSize(bytes, SPARING_READ_SIZE, 'memory sparing');
  const restrictionFlags = v.getUint16(17, true);
  return {
    ...decodeMaintenanceHeader(v),
    safeWhenInUse: (restrictionFlags & 1) === 0,
    hardSparingSupported: (restrictionFlags & 2) !== 0,
    softSparingSupported: (restrictionFlags & 4) !== 0,
    restrictionFlags,
  };
}

export function encodeSparingRead(r: Omit<SparingRead, 'opCapabilities' | 'opMode' | 'restrictionFlags'>): Uint8Array {
  const out = new Uint8Array(SPARING_READ_SIZE);
  const v = new DataView(out.buffer);
  encodeMaintenanceHeader(r, v);
  v.setUint16(17, (r.safeWhenInUse ? 0 : 1) | (r.hardSparingSupported ? 2 : 0) | (r.softSparingSupported ? 4 : 0), true);
  return out;
}

export interface SparingWrite {
  deviceInitiatedEnabled: boolean;
}

export function encodeSparingWrite(w: SparingWrite): Uint8Array {
  return Uint8Array.of(w.deviceInitiatedEnabled ? 1 : 0, 0);
}

export function decodeSparingWrite(bytes: Uint8Array): SparingWrite & { opMode: number } {
  const v = expectSize(bytes, SPARING_WRITE_SIZE, 'memory sparing write');
  const opMode = v.getUint16(0, true);
  return { deviceInitiatedEnabled: (opMode & 1) !== 0, opMode };
}
