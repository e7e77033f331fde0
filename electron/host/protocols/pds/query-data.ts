// The firmware's endpoint list and per-endpoint operation list
// (struct pds_fwctl_query_data + _endpoint / _operation entries in
// include/linux/pds/pds_adminq.h). The kernel fetches these with the adminq
// QUERY command at probe and when an endpoint is first used, and checks every
// RPC against them (pdsfc_validate_rpc). fwbench decodes the same blocks, e.g.
// from a firmware dump or an operation that returns them, and applies the
// kernel's attribute-to-scope mapping.
import type { Scope } from '../../../contract/scopes';
import { HostError } from '../../errors/host-error';

const HEADER = 8;
const ENDPOINT_ENTRY = 4;
const OPERATION_ENTRY = 8;

/** Firmware command attributes (PDSFC_FW_CMD_ATTR_*) and the scope the kernel maps each to. */
export const PDS_FW_CMD_ATTR = { READ: 0x00, DEBUG_READ: 0x02, WRITE: 0x04, DEBUG_WRITE: 0x08, SYNC: 0x10 } as const;

export function pdsAttrToScope(attr: number): Scope {
  switch (attr) {
    case PDS_FW_CMD_ATTR.READ:
    case PDS_FW_CMD_ATTR.WRITE:
    case PDS_FW_CMD_ATTR.SYNC:
      return 'configuration';
    case PDS_FW_CMD_ATTR.DEBUG_READ:
      return 'debug-read-only';
    case PDS_FW_CMD_ATTR.DEBUG_WRITE:
      return 'debug-write';
    default:
      return 'debug-write-full';
  }
}

function header(bytes: Uint8Array, entrySize: number, what: string): { version: number; count: number; v: DataView } {
  if (bytes.length < HEADER) throw new HostError('protocol-error', `The pds ${what} list is truncated.`, `need ${HEADER} header bytes, got ${bytes.length}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = v.getUint32(4, true);
  const need = HEADER + count * entrySize;
  if (bytes.length < need) throw new HostError('protocol-error', `The pds ${what} list is truncated.`, `${count} entries need ${need} bytes, got ${bytes.length}`);
  return { version: bytes[0], count, v };
}

export function decodePdsEndpoints(bytes: Uint8Array): { version: number; endpoints: number[] } {
  const { version, count, v } = header(bytes, ENDPOINT_ENTRY, 'endpoint');
  return { version, endpoints: Array.from({ length: count }, (_, i) => v.getUint32(HEADER + i * ENDPOINT_ENTRY, true)) };
}

export interface PdsOperation {
  id: number;
  command: number;
  version: number;
  /** The attribute byte the firmware reports. */
  attribute: number;
  /** The scope the kernel will demand for it. */
  scope: Scope;
}

export function decodePdsOperations(bytes: Uint8Array): { version: number; operations: PdsOperation[] } {
  const { version, count, v } = header(bytes, OPERATION_ENTRY, 'operation');
  const operations = Array.from({ length: count }, (_, i) => {
    const off = HEADER + i * OPERATION_ENTRY;
    const id = v.getUint32(off, true);
    const attribute = bytes[off + 4];
    return { id, command: id & 0xffff, version: (id >>> 16) & 0xff, attribute, scope: pdsAttrToScope(attribute) };
  });
  return { version, operations };
}

export function encodePdsOperations(version: number, ops: { id: number; attribute: number }[]): Uint8Array {
  const out = new Uint8Array(HEADER + ops.length * OPERATION_ENTRY);
  const v = new DataView(out.buffer);
  out[0] = version;
  v.setUint32(4, ops.length, true);
  ops.forEach((o, i) => {
    v.setUint32(HEADER + i * OPERATION_ENTRY, o.id, true);
    out[HEADER + i * OPERATION_ENTRY + 4] = o.attribute;
  });
  return out;
}

export function encodePdsEndpoints(version: number, endpoints: number[]): Uint8Array {
  const out = new Uint8Array(HEADER + endpoints.length * ENDPOINT_ENTRY);
  const v = new DataView(out.buffer);
  out[0] = version;
  v.setUint32(4, endpoints.length, true);
  endpoints.forEach((e, i) => v.setUint32(HEADER + i * ENDPOINT_ENTRY, e, true));
  return out;
}
