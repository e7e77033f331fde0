// Record real sessions through the host — the demo board over a socat pty and
// the simulated CXL device — then open each transcript as a replay device and
// run the same commands: the results must be identical, and the replay must
// refuse to change anything.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testHost } from '../../support/test-host';
import type { Host } from '../../../electron/host/host';
import type { ClientInfo } from '../../../electron/host/router';
import { parseTranscript } from '../../../electron/host/transcripts';

let host: Host;
let c: ClientInfo;
let firstFeature = '';

beforeAll(async () => {
  host = await testHost({ demoTransport: 'pty', demoBoards: 1, demoCxl: true });
  c = host.newClient('test');
});
afterAll(async () => {
  await host?.close();
});

async function run(sessionId: string, commandId: string, params: unknown, scope = 'configuration'): Promise<unknown> {
  return (await host.request('command.run', { sessionId, commandId, scope: scope as 'configuration', params }, c)).result;
}

async function demoScript(sessionId: string): Promise<unknown[]> {
  const out: unknown[] = [];
  out.push(await run(sessionId, 'device.info', {}));
  out.push(await run(sessionId, 'config.read', {}));
  const batches: number[] = [];
  const off = host.onEvent((e) => {
    if (e.type === 'telemetry' && e.sessionId === sessionId) batches.push(e.t.length);
  });
  out.push(await run(sessionId, 'telemetry.stream', { on: true }, 'debug-read-only'));
  const deadline = Date.now() + 5000;
  while (batches.reduce((a, b) => a + b, 0) < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  out.push(await run(sessionId, 'telemetry.stream', { on: false }, 'debug-read-only'));
  off();
  expect(batches.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(50);
  return out;
}

async function cxlScript(sessionId: string): Promise<unknown[]> {
  const list = (await run(sessionId, 'cxl.features.list', {})) as { features: { uuid: string }[] };
  expect(list.features.length).toBeGreaterThan(1);
  firstFeature = list.features[0].uuid;
  const get = await run(sessionId, 'cxl.feature.get', { uuid: list.features[0].uuid });
  const saved = await run(sessionId, 'cxl.feature.get', { uuid: list.features[1].uuid, selection: 'default' });
  return [list, get, saved];
}

async function recordAndReplay(deviceId: string, script: (sessionId: string) => Promise<unknown[]>) {
  const live = await host.request('session.open', { deviceId }, c);
  const recorded = await script(live.id);
  await host.request('session.close', { sessionId: live.id }, c);
  const file = host.transcripts.list().find((t) => readFileSync(join(host.transcripts.dir, t.name), 'utf8').includes(live.id));
  expect(file).toBeDefined();
  const replayDevice = await host.request('transcript.open-replay', { name: file!.name }, c);
  const replay = await host.request('session.open', { deviceId: replayDevice.id }, c);
  const replayed = await script(replay.id);
  return { recorded, replayed, replayDevice, replay, file: file! };
}

describe('session transcripts replay to the same results', () => {
  it('the demo board over a pty: device.info, config.read and telemetry.stream', async () => {
    const demo = (await host.request('devices.list', {}, c)).find((d) => d.protocol === 'demo-board')!;
    expect(demo.details.transport).toBe('pty (socat)');
    const { recorded, replayed, replayDevice, replay, file } = await recordAndReplay(demo.id, demoScript);
    expect(replayed).toEqual(recorded);
    expect((recorded[1] as { entries: unknown[] }).entries.length).toBeGreaterThan(3);

    const t = parseTranscript(readFileSync(join(host.transcripts.dir, file.name), 'utf8'));
    expect(t.header).toMatchObject({ kind: 'serial', device: { id: demo.id, protocol: 'demo-board' } });
    expect(t.steps.some((s) => s.type === 'write' && Buffer.from(s.data, 'base64').toString('latin1') === 'settings --json\r')).toBe(true);

    expect(replayDevice).toMatchObject({ simulated: true, label: 'Replay of Demo board 1 (simulated) (read-only)' });
    expect(replay.simulated).toBe(true);
    // Read-only: the catalog has only reads, and a write is refused before it reaches the replay.
    const catalog = await host.request('catalog.list', { sessionId: replay.id }, c);
    expect(catalog.every((d) => d.effects.every((e) => e === 'reads-device'))).toBe(true);
    await host.request('session.grant', { sessionId: replay.id, scope: 'configuration', confirm: { acknowledged: true } }, c);
    const write = await host.handle({ id: 9, channel: 'command.run', params: { sessionId: replay.id, commandId: 'config.write', scope: 'configuration', params: { changes: { hostname: 'x' } } } }, c);
    expect(write).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
    await host.request('session.close', { sessionId: replay.id }, c);
  });

  it('the simulated CXL device: features list and get', async () => {
    const { recorded, replayed, replayDevice, replay, file } = await recordAndReplay('fwctl:sim-cxl0', cxlScript);
    await host.request('session.close', { sessionId: replay.id }, c);
    expect(replayed).toEqual(recorded);
    expect(replayDevice.label).toBe('Replay of CXL memory device (simulated) (read-only)');
    const t = parseTranscript(readFileSync(join(host.transcripts.dir, file.name), 'utf8'));
    expect(t.header.kind).toBe('fwctl');
    expect(t.steps.filter((s) => s.type === 'fwctl-rpc').every((s) => s.type === 'fwctl-rpc' && s.reply !== undefined)).toBe(true);
  });

  it('a replay that goes off script fails with the step it diverged at', async () => {
    const name = host.transcripts.list().find((t) => t.kind === 'fwctl')!.name;
    const dev = await host.request('transcript.open-replay', { name }, c);
    const s = await host.request('session.open', { deviceId: dev.id }, c);
    // The recording read the feature list first; asking for one feature's default value first diverges.
    const r = await host.handle({ id: 1, channel: 'command.run', params: { sessionId: s.id, commandId: 'cxl.feature.get', scope: 'configuration', params: { uuid: firstFeature } } }, c);
    expect(r).toMatchObject({ ok: false, error: { code: 'protocol-error' } });
    expect(!r.ok && r.error.message).toMatch(new RegExp(`^Replay mismatch at step \\d+ of ${name.replace(/[.]/g, '\\.')}: the host sent a different RPC than recorded\\.$`));
    await host.request('session.close', { sessionId: s.id }, c);
  });

  it('lists transcripts and refuses names that are not transcript files', async () => {
    const all = await host.request('transcripts.list', {}, c);
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(await host.handle({ id: 3, channel: 'transcript.open-replay', params: { name: '../audit.jsonl' } }, c)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await host.handle({ id: 4, channel: 'transcript.open-replay', params: { name: 'missing.jsonl' } }, c)).toMatchObject({ ok: false, error: { code: 'unknown-device' } });
  });
});
