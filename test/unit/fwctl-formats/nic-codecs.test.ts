import { HostError } from '../../../electron/host/errors/host-error';
import * as mlx5 from '../../../electron/host/protocols/mlx5';
import * as pds from '../../../electron/host/protocols/pds';
import * as bnxt from '../../../electron/host/protocols/bnxt';

function err(fn: () => unknown): HostError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HostError);
    return e as HostError;
  }
  throw new Error('expected a HostError');
}

describe('mlx5', () => {
  it('decodes INFO uid and uctx caps', () => {
    expect(mlx5.decodeMlx5Info(Uint8Array.of(7, 0, 0, 0, 4, 0, 0, 0))).toEqual({ uid: 7, uctxCaps: 4, capabilities: ['tools-resources'] });
    expect(mlx5.decodeMlx5Info(Uint8Array.of(1, 0, 0, 0, 0x13, 0, 0, 0)).capabilities).toEqual(['raw-tx', 'internal-device-resources', 'unknown-0x10']);
    expect(err(() => mlx5.decodeMlx5Info(new Uint8Array(6))).code).toBe('protocol-error');
  });

  it('builds big-endian command headers and reads them back', () => {
    const cmd = mlx5.encodeQueryHcaCap(0, true);
    expect(cmd.length).toBe(32);
    expect(Array.from(cmd.subarray(0, 8))).toEqual([0x01, 0x00, 0, 0, 0, 0, 0x00, 0x01]);
    expect(mlx5.decodeCommandHeader(cmd)).toEqual({ opcode: 0x100, uid: 0, opMod: 1 });
    expect(err(() => mlx5.decodeCommandHeader(new Uint8Array(15))).code).toBe('invalid-params');
  });

  it('decodes reply status and syndrome into device errors', () => {
    const bad = new Uint8Array(16);
    bad[0] = 0x03;
    bad.set([0x12, 0x34, 0x56, 0x78], 4);
    const r = mlx5.decodeReply(bad);
    expect(r).toMatchObject({ statusName: 'BAD_PARAM_ERR', syndrome: 0x12345678 });
    const e = err(() => mlx5.expectOk(r, 'QUERY_ADAPTER'));
    expect(e.code).toBe('device-error');
    expect(e.detail).toBe('QUERY_ADAPTER: status 0x3 (BAD_PARAM_ERR), syndrome 0x12345678');
    expect(err(() => mlx5.decodeReply(new Uint8Array(8))).code).toBe('protocol-error');
  });

  it('knows the scope the kernel requires per command', () => {
    expect(mlx5.mlx5RequiredScope(0x100, 1)).toBe('configuration');
    expect(mlx5.mlx5RequiredScope(0x402, 0)).toBe('debug-read-only');
    expect(mlx5.mlx5RequiredScope(0x820, 0)).toBe('debug-write');
    expect(mlx5.mlx5RequiredScope(0x805, 0)).toBe('configuration');
    expect(mlx5.mlx5RequiredScope(0x805, 1)).toBe('debug-read-only');
    expect(mlx5.mlx5RequiredScope(0x500, 0)).toBeNull(); // CREATE_QP: never
    expect(new Set(mlx5.MLX5_ALLOWED.map((r) => r.opcode)).size).toBe(mlx5.MLX5_ALLOWED.length);
  });

  it('decodes QUERY_ADAPTER vendor ids and PSID', () => {
    const body = new Uint8Array(256);
    body.set([0x00, 0x00, 0x02, 0xc9], 0x18);
    body.set([0x15, 0xb3], 0x1e);
    body.set(new TextEncoder().encode('vsd text'), 0x20);
    body.set(new TextEncoder().encode('MT_0000000008'), 0xf0);
    expect(mlx5.decodeQueryAdapterBody(body)).toEqual({ ieeeVendorId: 0x0002c9, vsdVendorId: 0x15b3, vsd: 'vsd text', psid: 'MT_0000000008' });
    expect(err(() => mlx5.decodeQueryAdapterBody(body.subarray(0, 200))).detail).toBe('need 256 body bytes, got 200');
  });
});

describe('pds', () => {
  it('round-trips the RPC envelope at the uAPI offsets', () => {
    const b = pds.encodePdsRpc({ op: 0x00010005, ep: 2, inLen: 16, inPayload: 0x1000n, outLen: 64, outPayload: 0x2000n });
    expect(b.length).toBe(48);
    const v = new DataView(b.buffer);
    expect([v.getUint32(12, true), v.getUint32(36, true), Number(v.getBigUint64(40, true))]).toEqual([16, 64, 0x2000]);
    v.setUint32(24, 5, true);
    expect(pds.decodePdsRpc(b)).toEqual({ op: 0x00010005, ep: 2, retval: 5, outLen: 64 });
    expect(err(() => pds.decodePdsRpc(b.subarray(0, 40))).code).toBe('protocol-error');
  });

  it('lists endpoints and operations with the scope the kernel maps each attribute to', () => {
    expect(pds.decodePdsEndpoints(pds.encodePdsEndpoints(1, [0, 3]))).toEqual({ version: 1, endpoints: [0, 3] });
    const ops = pds.decodePdsOperations(pds.encodePdsOperations(1, [
      { id: 0x00020001, attribute: 0x00 }, { id: 2, attribute: 0x02 }, { id: 3, attribute: 0x04 }, { id: 4, attribute: 0x08 }, { id: 5, attribute: 0x10 }, { id: 6, attribute: 0x20 },
    ]));
    expect(ops.operations.map((o) => o.scope)).toEqual(['configuration', 'debug-read-only', 'configuration', 'debug-write', 'configuration', 'debug-write-full']);
    expect(ops.operations[0]).toMatchObject({ command: 1, version: 2 });
    expect(pds.pdsOpcodeMatches(0x00010001, 0x00020001)).toBe(true);
    expect(pds.pdsOpcodeMatches(0x00030001, 0x00020001)).toBe(false);
    const cut = pds.encodePdsOperations(1, [{ id: 1, attribute: 0 }]).subarray(0, 12);
    expect(err(() => pds.decodePdsOperations(cut)).detail).toBe('1 entries need 16 bytes, got 12');
  });

  it('decodes INFO capabilities', () => {
    expect(pds.decodePdsInfo(Uint8Array.of(3, 0, 0, 0)).capabilities).toEqual(['query', 'send']);
    expect(err(() => pds.decodePdsInfo(new Uint8Array(2))).code).toBe('protocol-error');
  });
});

describe('bnxt', () => {
  it('encodes HWRM_VER_GET as a 24-byte request', () => {
    const req = bnxt.encodeVerGet({ major: 1, minor: 10, update: 3 }, 9);
    expect(req.length).toBe(24);
    expect(bnxt.decodeHwrmRequestHeader(req)).toEqual({ reqType: 0, cmplRing: 0xffff, seqId: 9, targetId: 0xffff });
    expect(Array.from(req.subarray(16, 19))).toEqual([1, 10, 3]);
  });

  it('decodes firmware versions from the response', () => {
    const r = new Uint8Array(128);
    const v = new DataView(r.buffer);
    v.setUint16(6, 128, true);
    r.set([1, 10, 3], 8);
    r.set([230, 0, 131], 12);
    r.set([230, 0, 100], 16);
    r.set(new TextEncoder().encode('bc 230.0.131'), 32);
    r.set(new TextEncoder().encode('230.0.131.0'), 80);
    v.setUint16(112, 0x1750, true);
    v.setUint16(122, 500, true);
    const d = bnxt.decodeVerGet(r);
    expect(d.hwrmInterface).toBe('1.10.3');
    expect(d.hwrmFirmware).toMatchObject({ text: '230.0.131', name: 'bc 230.0.131' });
    expect(d.managementFirmware.text).toBe('230.0.100');
    expect(d).toMatchObject({ activePackage: '230.0.131.0', chipNum: 0x1750, defReqTimeoutMs: 500 });
    expect(err(() => bnxt.decodeVerGet(r.subarray(0, 100))).detail).toBe('need 124 bytes, got 100');
    v.setUint16(0, 2, true);
    expect(err(() => bnxt.decodeVerGet(r)).code).toBe('device-error');
  });
});
