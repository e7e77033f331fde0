// The 16-byte header every memory-repair feature starts its readable
// attributes with (CXL r3.2 8.2.10.7.2, e.g. Table 8-128; kernel edac.c
// struct cxl_memdev_repair_rd_attrbs_hdr).
export const MAINTENANCE_HEADER_SIZE = 16;

export interface MaintenanceHeader {
  /** Maximum maintenance operation latency, raw encoding as the device reports it. */
  maxOpLatency: number;
  /** Operation capabilities bit 0: the device can initiate this maintenance itself. */
  deviceInitiatedCapable: boolean;
  /** Operation mode bit 0: device-initiated maintenance is enabled. */
  deviceInitiatedEnabled: boolean;
  opCapabilities: number;
  opMode: number;
  /** Maintenance operation class/subclass to use with Perform Maintenance (0600h). */
  opClass: number;
  opSubclass: number;
}

export function decodeMaintenanceHeader(v: DataView): MaintenanceHeader {
  const opCapabilities = v.getUint16(1, true);
  const opMode = v.getUint16(3, true);
  return {
    maxOpLatency: v.getUint8(0),
    deviceInitiatedCapable: (opCapabilities & 1) !== 0,
    deviceInitiatedEnabled: (opMode & 1) !== 0,
    opCapabilities,
    opMode,
    opClass: v.getUint8(5),
    opSubclass: v.getUint8(6),
  };
}

export function encodeMaintenanceHeader(h: Omit<MaintenanceHeader, 'opCapabilities' | 'opMode'>, out: DataView): void {
  out.setUint8(0, h.maxOpLatency);
  out.setUint16(1, h.deviceInitiatedCapable ? 1 : 0, true);
  out.setUint16(3, h.deviceInitiatedEnabled ? 1 : 0, true);
  out.setUint8(5, h.opClass);
  out.setUint8(6, h.opSubclass);
}
