// The SMP client suite against a matrix of modelled devices (demo server
// profiles, SMP_DEVICE_PROFILES): a build without the img group, a 384-byte
// buffer behind a 2-frame UART RX pool, a 2048-byte buffer, MCUboot
// direct-xip / RAM load (image test answers ENOTSUP) and an SMP v1 server that
// writes zcbor's indefinite-length CBOR with unknown keys. Models, not proof:
// each case checks what the spec says a client must do, not what the model happens to do.
import { SmpDeviceError, SmpNotOffered, SmpGroup, framesFor } from '../../../electron/host/protocols/smp';
import { SMP_DEVICE_PROFILES, type SmpProfileName } from '../../../electron/host/demo/smp-server';
import { GROUP } from '../../../electron/host/demo/smp-server/rc';
import { image, profileRig, tlvHash } from './harness';

const NAMES = Object.keys(SMP_DEVICE_PROFILES) as SmpProfileName[];
const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));

describe.each(NAMES)('SMP client against the %s model', (name) => {
  const profile = SMP_DEVICE_PROFILES[name];
  const groups: readonly number[] = profile.server.groups;
  const has = (g: number) => groups.includes(g);
  const options = { client: { timeoutMs: 1500, probeTimeoutMs: 800 } };

  it('discovers buffer, groups and how long a request may be, without failing on what is absent', async () => {
    const notes: string[] = [];
    const rig = profileRig(name, { client: { ...options.client, onNote: (t) => notes.push(t) } });
    const d = await rig.client.discover();
    expect(d.params).toEqual({ bufSize: profile.state.bufSize, bufCount: profile.state.bufCount, reported: true });
    if (has(GROUP.ENUM)) expect(d.enumerated).toEqual([...groups].sort((a, b) => a - b));
    else expect(d.enumerated).toBeNull();
    // Never more than the declared buffer (less its serial length + CRC).
    expect(d.maxPacket).toBeLessThanOrEqual(profile.state.bufSize - 4);
    const pool = (profile.server as { rxPoolFrames?: number }).rxPoolFrames;
    if (pool !== undefined) {
      expect(d.maxFrames).toBeLessThanOrEqual(pool);
      expect(d.window).toBe(1);
      expect(notes.join('\n')).toMatch(/went unanswered .* requests of at most \d serial frames?/);
    } else {
      expect(d.maxPacket).toBe(profile.state.bufSize - 4);
      expect(notes).toEqual([]);
    }
    expect(rig.diagnostics.filter((x) => /exceeds/.test(x))).toEqual([]);
  });

  it('echoes text as long as buf_size allows and refuses one byte more before sending it', async () => {
    const rig = profileRig(name, options);
    await rig.client.discover();
    const max = await rig.client.maxEchoBytes();
    expect(max).toBeGreaterThan(64);
    const long = 'e'.repeat(max);
    expect(await rig.client.echo(long)).toBe(long);
    const before = rig.maxOutstanding();
    const err = await rig.client.echo(long + 'e').catch((e) => e);
    expect(err).toMatchObject({ code: 'invalid-params' });
    expect(err.message).toMatch(new RegExp(`at most ${max} bytes of echo text`));
    expect(rig.maxOutstanding()).toBe(before);
    if (profile.state.bufSize === 2048) expect(max).toBeGreaterThan(1900);
  });

  it('reads stats, and says plainly what the device does not offer', async () => {
    const rig = profileRig(name, options);
    await rig.client.discover();
    rig.state.bumpStat('app', 'ticks', 5);
    expect(await rig.client.statsList()).toContain('app');
    if (!has(GROUP.IMAGE)) {
      const e = await rig.client.imageList().catch((x) => x);
      expect(e).toBeInstanceOf(SmpNotOffered);
      expect(e).toMatchObject({ code: 'not-supported', message: 'The image state request is not offered by this device.' });
      expect(e.smp.name).toBe('MGMT_ERR_ENOTSUP');
      expect(rig.client.capabilities.group(SmpGroup.Image)).toBe('no');
      // ...and the rest still works on the same link.
      expect(await rig.client.echo('still here')).toBe('still here');
    } else {
      expect(rig.client.capabilities.offers(SmpGroup.Image)).toBe(true);
    }
  });

  it.runIf(has(GROUP.IMAGE))('uploads an image within the buffer and the link limits, and the device holds it intact', async () => {
    const notes: string[] = [];
    const rig = profileRig(name, { client: { ...options.client, onNote: (t) => notes.push(t) } });
    await rig.client.discover();
    const img = image([2, 0, 0], 12_000, 9);
    const r = await rig.client.imageUpload(img);
    expect(r.match).toBe(true);
    expect(framesFor(8 + r.chunkSize)).toBeLessThanOrEqual(framesFor(rig.client.maxPacket()));
    const slots = await rig.client.imageList();
    expect(slots.find((s) => !s.active)).toMatchObject({ version: '2.0.0', hash: tlvHash(img) });
    expect(rig.diagnostics.filter((x) => /exceeds|bad CRC|EMSGSIZE/.test(x))).toEqual([]);
  });

  it.runIf(has(GROUP.IMAGE) && profile.state.bootMode !== 'swap')('answers image test with ENOTSUP and boots the newest image at reset (no trial)', async () => {
    const rig = profileRig(name, options);
    const img = image([3, 0, 0], 8_000, 3);
    await rig.client.imageUpload(img);
    const e = await rig.client.imageTest(tlvHash(img)).catch((x) => x);
    expect(e).toBeInstanceOf(SmpNotOffered);
    expect((await rig.client.bootloaderInfo('mode')).mode).toBe(profile.state.bootMode === 'direct-xip' ? 4 : 6);
    await rig.client.reset();
    await settle();
    const slots = await rig.client.imageList();
    expect(slots.find((s) => s.active)).toMatchObject({ slot: 1, version: '3.0.0', confirmed: true });
  });
});

describe('SMP client: back-off when a device drops multi-frame requests', () => {
  it('backs off during an upload when no probe ran, says so, and finishes with the image intact', async () => {
    const notes: string[] = [];
    const rig = profileRig('m0-384', { client: { timeoutMs: 700, probeBurst: false } });
    const img = image([2, 0, 0], 6_000, 4);
    const r = await rig.client.imageUpload(img, { firstChunkTimeoutMs: 700, onNote: (t) => notes.push(t) });
    expect(r.match).toBe(true);
    expect(r.backoffs).toBeGreaterThanOrEqual(1);
    expect(r.window).toBe(1);
    expect(notes[0]).toMatch(/did not answer a chunk of the image upload at 0 of \d+ bytes .*backing off: requests of at most 2 serial frames/);
    expect(rig.client.linkLimits).toMatch(/requests limited to 2 serial frames \(182 bytes\), 1 in flight/);
    expect(rig.diagnostics.some((d) => /RX pool exhausted/.test(d))).toBe(true);
    expect((await rig.client.imageList())[1]).toMatchObject({ hash: tlvHash(img) });
  });

  it('goes down to one frame per request when the pool holds one frame', async () => {
    const rig = profileRig('m0-384', { client: { timeoutMs: 500, probeTimeoutMs: 500 }, server: { rxPoolFrames: 1 } });
    const d = await rig.client.discover();
    expect(d.maxFrames).toBe(1);
    const img = image([2, 0, 0], 3_000, 4);
    const r = await rig.client.imageUpload(img);
    // One frame leaves no room for the optional "sha" next to the 32-byte header: no device verdict, so check the slot.
    expect(r.match).toBeUndefined();
    expect((await rig.client.imageList())[1]).toMatchObject({ hash: tlvHash(img) });
    expect(rig.client.linkLimits).toMatch(/1 serial frame \(89 bytes\), 1 in flight/);
  });

  it('fails with a plain timeout, not a hang or a crash, when nothing is ever answered', async () => {
    const rig = profileRig('m0-384', { client: { timeoutMs: 300, probeBurst: false }, server: { rxPoolFrames: 0 } });
    const err = await rig.client.imageUpload(image([2, 0, 0], 3_000, 4), { firstChunkTimeoutMs: 300 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'timeout' });
    expect(err.message).toMatch(/The device did not answer the MCUmgr parameters request in time/);
  });
});

describe('SMP client: tolerant of what real servers send', () => {
  it('reads indefinite-length maps and arrays with unknown keys from an SMP v1 server', async () => {
    const rig = profileRig('zcbor-v1', { client: { timeoutMs: 1500 } });
    const d = await rig.client.discover();
    expect(rig.client.version).toBe(1);
    expect(d.params.bufSize).toBe(512);
    const slots = await rig.client.imageList();
    expect(slots[0]).toMatchObject({ slot: 0, version: '1.0.0', active: true });
    const e = await rig.client.statsRead('nope').catch((x) => x);
    expect(e).toBeInstanceOf(SmpDeviceError);
    expect(e.smp).toMatchObject({ kind: 'smp', name: 'MGMT_ERR_ENOENT' });
  });
});
