import { HostError } from '../../../electron/host/errors/host-error';
import { rawFeature, SimulatedCxlFwctl } from '../../../electron/host/demo/cxl-sim';
import {
  CXL_FEATURE_UUID as U,
  CxlFwctlClient,
  decodeEcsRead,
  decodePatrolScrubRead,
  encodeEcsWrite,
  encodePatrolScrubWrite,
  encodeRpc,
  encodeGetFeatureIn,
} from '../../../electron/host/protocols/cxl';

async function rejects(p: Promise<unknown>): Promise<HostError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(HostError);
    return e as HostError;
  }
  throw new Error('expected a rejection');
}

const VENDOR = 'a1b2c3d4-0000-4000-8000-00000000beef';

describe('CxlFwctlClient against the simulated CXL device', () => {
  it('lists all eight QEMU features across several pages', async () => {
    const sim = new SimulatedCxlFwctl();
    const client = new CxlFwctlClient(sim, { pageEntries: 3 });
    const list = await client.getSupportedFeatures();
    expect(list.map((f) => f.uuid)).toEqual([U.patrolScrub, U.ddr5Ecs, U.softPpr, U.hardPpr, U.cachelineSparing, U.rowSparing, U.bankSparing, U.rankSparing]);
    expect(list.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(sim.log.filter((r) => r.opcode === 0x500)).toHaveLength(3); // 3 + 3 + 2
    expect(list[0]).toMatchObject({ getSize: 4, setSize: 2, effects: 0x0202, attributes: { changeable: true, defaultSelection: true } });
    expect(list.map((f) => client.requiredSetScope(f))).toEqual([
      'debug-write-full', 'debug-write-full', 'debug-write-full', 'debug-write', 'debug-write-full', 'debug-write', 'debug-write', 'debug-write-full',
    ]);
    expect(sim.tainted).toBe(false);
    expect(sim.log.every((r) => r.scope === 'configuration')).toBe(true);
  });

  it('reads patrol scrub, sets it at debug-write-full and reads the new value back', async () => {
    const sim = new SimulatedCxlFwctl();
    const client = new CxlFwctlClient(sim);
    expect(Array.from(await client.getFeature(U.patrolScrub))).toEqual([0x03, 0x0c, 0x01, 0x00]);
    await client.setFeature(U.patrolScrub, encodePatrolScrubWrite({ cycleHours: 24, enabled: true }));
    expect(sim.log.at(-1)).toMatchObject({ scope: 'debug-write-full', opcode: 0x502 });
    expect(sim.tainted).toBe(true);
    const after = await client.getFeature(U.patrolScrub);
    expect(Array.from(after)).toEqual([0x03, 0x18, 0x01, 0x01]);
    expect(decodePatrolScrubRead(after)).toMatchObject({ cycleHours: 24, enabled: true });
    expect(Array.from(await client.getFeature(U.patrolScrub, { selection: 'default' }))).toEqual([0x03, 0x0c, 0x01, 0x00]);
    expect((await rejects(client.getFeature(U.patrolScrub, { selection: 'saved' }))).code).toBe('not-supported');
  });

  it('sets a reset-time feature at debug-write', async () => {
    const sim = new SimulatedCxlFwctl();
    const client = new CxlFwctlClient(sim);
    await client.setFeature(U.hardPpr, Uint8Array.of(1, 0, 1));
    expect(sim.log.at(-1)).toMatchObject({ scope: 'debug-write', opcode: 0x502 });
    const back = await client.getFeature(U.hardPpr);
    expect(back[3]).toBe(1); // op mode: device-initiated enabled
    expect(back[19]).toBe(1); // sparing event record enabled
  });

  it('refuses a Set at too low a scope with EINVAL, like the kernel, and still taints at debug-write', async () => {
    const sim = new SimulatedCxlFwctl();
    const client = new CxlFwctlClient(sim);
    const e = await rejects(client.setFeature(U.patrolScrub, Uint8Array.of(0x18, 1), 'debug-write'));
    expect(e.code).toBe('invalid-params');
    expect(e.detail).toMatch(/^EINVAL/);
    expect(sim.tainted).toBe(true);
    const c = await rejects(client.setFeature(U.hardPpr, Uint8Array.of(1, 0, 0), 'configuration'));
    expect(c.detail).toMatch(/^EINVAL/);
    expect(Array.from(await client.getFeature(U.patrolScrub))).toEqual([0x03, 0x0c, 0x01, 0x00]);
  });

  it('needs CAP_SYS_RAWIO for debug-write-full', async () => {
    const sim = new SimulatedCxlFwctl({ rawio: false });
    const e = await rejects(new CxlFwctlClient(sim).setFeature(U.patrolScrub, Uint8Array.of(0x18, 1)));
    expect(e.code).toBe('permission-denied');
    expect(e.detail).toMatch(/^EPERM/);
    expect(sim.tainted).toBe(false);
  });

  it('reports an unknown feature before sending anything for it', async () => {
    const sim = new SimulatedCxlFwctl();
    const client = new CxlFwctlClient(sim);
    const e = await rejects(client.getFeature('00000000-1111-2222-3333-444444444444'));
    expect(e.code).toBe('not-supported');
    expect(sim.log.filter((r) => r.opcode === 0x501)).toHaveLength(0);
  });

  it('decodes the device retval when the device refuses (unknown UUID sent raw)', async () => {
    const sim = new SimulatedCxlFwctl();
    const payload = encodeGetFeatureIn({ uuid: '00000000-1111-2222-3333-444444444444', offset: 0, count: 4, selection: 'current' });
    const out = await sim.rpc('configuration', encodeRpc({ opcode: 0x501, payload }), 20);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // size 0, retval UNSUPPORTED
  });

  it('lists kernel-reserved features as not settable and refuses a forced Set with EPERM', async () => {
    const sim = new SimulatedCxlFwctl({ reservedUuids: [U.patrolScrub] });
    const client = new CxlFwctlClient(sim);
    const [scrub] = await client.getSupportedFeatures();
    expect(scrub).toMatchObject({ setSize: 0, attributes: { changeable: false } });
    expect(client.requiredSetScope(scrub)).toBeNull();
    expect((await rejects(client.setFeature(U.patrolScrub, Uint8Array.of(0x18, 1)))).code).toBe('not-supported');
    const e = await rejects(client.setFeature(U.patrolScrub, Uint8Array.of(0x18, 1), 'debug-write-full'));
    expect(e.code).toBe('permission-denied');
    expect(e.detail).toMatch(/^EPERM/);
  });

  it('reads and writes a large vendor feature in pieces', async () => {
    const data = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff);
    const sim = new SimulatedCxlFwctl({ mailboxPayload: 256, extraFeatures: [rawFeature(VENDOR, data, 0x0201)] });
    const client = new CxlFwctlClient(sim, { readChunk: 1024 });
    const got = await client.getFeature(VENDOR);
    expect(got).toEqual(data);
    const reads = sim.log.filter((r) => r.opcode === 0x501);
    expect(reads).toHaveLength(3); // 1024 + 1024 + 952
    expect(reads.reduce((n, r) => n + r.mailboxCommands, 0)).toBe(12); // 256-byte mailbox
    const next = data.map((b) => b ^ 0xff);
    await client.setFeature(VENDOR, next);
    const set = sim.log.at(-1)!;
    expect(set).toMatchObject({ opcode: 0x502, scope: 'debug-write' });
    expect(set.mailboxCommands).toBe(Math.ceil(3000 / (256 - 32))); // initiate, continue..., finish
    expect(await client.getFeature(VENDOR)).toEqual(next);
  });

  it('sets DDR5 ECS and reads the per-FRU config back', async () => {
    const client = new CxlFwctlClient(new SimulatedCxlFwctl());
    const w = encodeEcsWrite({ logEntryType: 'per-dram', frus: [0, 1, 2].map(() => ({ threshold: 1024, countMode: 'rows' as const, resetCounter: true })) });
    await client.setFeature(U.ddr5Ecs, w);
    const r = decodeEcsRead(await client.getFeature(U.ddr5Ecs));
    expect(r.logEntryType).toBe('per-dram');
    expect(r.frus.map((f) => [f.threshold, f.countMode, f.resetCounter])).toEqual([[1024, 'rows', false], [1024, 'rows', false], [1024, 'rows', false]]);
  });

  it('turns a device refusal into device-error with the return code name', async () => {
    const client = new CxlFwctlClient(new SimulatedCxlFwctl());
    // cycle below the 1-hour minimum is refused by the device
    const e = await rejects(client.setFeature(U.patrolScrub, Uint8Array.of(0x00, 1)));
    expect(e.code).toBe('device-error');
    expect(e.detail).toBe('Set Feature: CXL mailbox return code 2 (INPUT)');
    expect((await rejects(client.setFeature(U.patrolScrub, new Uint8Array(3)))).code).toBe('invalid-params');
  });
});

describe('simulated kernel validation', () => {
  const sim = new SimulatedCxlFwctl();
  it('refuses more than 2 MiB with EMSGSIZE', async () => {
    const e = await rejects(sim.rpc('configuration', new Uint8Array(16), 2 * 1024 * 1024 + 1));
    expect(e.detail).toMatch(/^EMSGSIZE/);
  });
  it('refuses opcodes outside the feature commands with EINVAL, including the upper-16-bit truncation', async () => {
    expect((await rejects(sim.rpc('debug-write-full', encodeRpc({ opcode: 0x0200, payload: new Uint8Array(0) }), 64))).detail).toMatch(/^EINVAL/);
    const page = await sim.rpc('configuration', encodeRpc({ opcode: 0x10500, payload: Uint8Array.of(48, 0, 0, 0, 0, 0, 0, 0) }), 72);
    expect(page.length).toBe(72); // the driver reads opcode into a u16: 0x10500 acts as 0x0500
  });
  it('checks op_size and count', async () => {
    expect((await rejects(sim.rpc('configuration', encodeRpc({ opcode: 0x500, payload: new Uint8Array(7) }), 64))).detail).toMatch(/op_size 7/);
    const zero = encodeGetFeatureIn({ uuid: U.patrolScrub, offset: 0, count: 1, selection: 'current' });
    zero[18] = 0;
    expect((await rejects(sim.rpc('configuration', encodeRpc({ opcode: 0x501, payload: zero }), 64))).detail).toMatch(/count 0/);
    expect((await rejects(sim.rpc('configuration', encodeRpc({ opcode: 0x500, payload: Uint8Array.of(48, 0, 0, 0, 9, 0, 0, 0) }), 64))).detail).toMatch(/start 9 >= 8/);
  });
  it('reports ENODEV after close', async () => {
    const s = new SimulatedCxlFwctl();
    await s.close();
    expect((await rejects(s.info())).code).toBe('device-gone');
  });
});
