// Recording wrappers, the transcript format and replay matching, without a device.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPipePair } from '../../../electron/host/transports/pipe-pair';
import { MemoryTranscript, parseTranscript, recordingFwctl, recordingStream, replayFwctl, replayStream, TranscriptWriter, type Transcript } from '../../../electron/host/transcripts';
import { HostError } from '../../../electron/host/errors/host-error';
import type { FwctlTransport } from '../../../electron/host/fwctl/transport';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const header = (kind: 'serial' | 'fwctl') => ({ format: 'fwbench-transcript' as const, version: 1 as const, kind, startedAt: '2025-01-01T00:00:00.000Z', device: { id: 'd', label: 'Board', kind, protocol: 'console', details: {} } });

/** An echo-and-answer peer on the far end of a pipe. */
function peer(end: ReturnType<typeof createPipePair>[1]) {
  end.onData((chunk) => void end.write(enc(`got ${dec(chunk)}\n`)));
}

async function recordExchange(): Promise<Transcript> {
  const [host, dev] = createPipePair();
  peer(dev);
  const mem = new MemoryTranscript();
  const rec = recordingStream(host, mem);
  const seen: string[] = [];
  rec.onData((c) => seen.push(dec(c)));
  await rec.write(enc('ping'));
  await new Promise((r) => setTimeout(r, 10));
  await rec.write(enc('info'));
  await new Promise((r) => setTimeout(r, 10));
  await rec.close();
  expect(seen.join('')).toBe('got ping\ngot info\n');
  return { header: header('serial'), steps: mem.steps };
}

async function collect(stream: ReturnType<typeof replayStream>, ms = 20): Promise<string> {
  const out: string[] = [];
  stream.onData((c) => out.push(dec(c)));
  await new Promise((r) => setTimeout(r, ms));
  return out.join('');
}

describe('serial recording and replay', () => {
  it('records writes before their answers, in order, with a host close', async () => {
    const t = await recordExchange();
    expect(t.steps.map((s) => s.type)).toEqual(['open', 'write', 'read', 'write', 'read', 'close']);
    expect(t.steps.at(-1)).toMatchObject({ type: 'close', by: 'host' });
  });

  it('answers what was read once the host writes what was written, even in other chunks', async () => {
    const r = replayStream(await recordExchange());
    const got = collect(r, 30);
    await r.write(enc('pi'));
    await r.write(enc('ng'));
    await new Promise((res) => setTimeout(res, 5));
    await r.write(enc('info'));
    expect(await got).toBe('got ping\ngot info\n');
  });

  it('names the step when the host writes something else', async () => {
    const r = replayStream(await recordExchange(), 'x.jsonl');
    await r.write(enc('ping'));
    const err = await r.write(enc('reboot')).catch((e: HostError) => e);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).code).toBe('protocol-error');
    expect((err as HostError).message).toBe('Replay mismatch at step 5 of x.jsonl: the host wrote "rebo" where the recording has "info".');
    // The link stays broken: a replay that went off the rails must not carry on.
    await expect(r.write(enc('info'))).rejects.toThrow(/Replay mismatch/);
  });

  it('says so when the host writes past the end of the recording', async () => {
    const r = replayStream({ header: header('serial'), steps: [{ type: 'write', t: 0, data: Buffer.from('a').toString('base64') }] });
    await r.write(enc('a'));
    await expect(r.write(enc('b'))).rejects.toThrow('Replay mismatch at step end of the transcript: the host wrote "b", but the recording ends there.');
  });

  it('replays a link lost by the device as a close with its reason', async () => {
    const t: Transcript = { header: header('serial'), steps: [{ type: 'write', t: 0, data: 'YQ==' }, { type: 'close', t: 1, by: 'device', reason: 'unplugged' }] };
    const r = replayStream(t);
    const closed = new Promise<Error | undefined>((res) => r.onClose(res));
    await r.write(enc('a'));
    expect((await closed)?.message).toMatch(/unplugged/);
    expect(r.isOpen).toBe(false);
  });
});

describe('fwctl recording and replay', () => {
  const fake: FwctlTransport = {
    simulated: true,
    info: async () => ({ deviceType: 2, deviceData: new Uint8Array([1, 2]) }),
    rpc: async (scope, req) => {
      if (req[0] === 0xee) throw new HostError('permission-denied', 'EPERM', 'errno 1');
      return new Uint8Array([scope.length, ...req]);
    },
    close: async () => {},
  };

  it('records info, replies and errors, and replays them for the same calls', async () => {
    const mem = new MemoryTranscript();
    const rec = recordingFwctl(fake, mem);
    const info = await rec.info();
    const reply = await rec.rpc('configuration', new Uint8Array([1, 2, 3]), 64);
    await expect(rec.rpc('debug-write', new Uint8Array([0xee]), 8)).rejects.toThrow('EPERM');
    const t: Transcript = { header: header('fwctl'), steps: mem.steps };
    const r = replayFwctl(t);
    expect(await r.info()).toEqual(info);
    expect(await r.rpc('configuration', new Uint8Array([1, 2, 3]), 64)).toEqual(reply);
    const err = await r.rpc('debug-write', new Uint8Array([0xee]), 8).catch((e: HostError) => e);
    expect(err).toMatchObject({ code: 'permission-denied', message: 'EPERM', detail: 'errno 1' });
    await expect(r.rpc('configuration', new Uint8Array([1]), 64)).rejects.toThrow(/the recording has nothing more/);
  });

  it('refuses an RPC with another scope or other bytes than recorded, naming the step', async () => {
    const mem = new MemoryTranscript();
    await recordingFwctl(fake, mem).rpc('configuration', new Uint8Array([1]), 64);
    const t: Transcript = { header: header('fwctl'), steps: mem.steps };
    await expect(replayFwctl(t).rpc('debug-read-only', new Uint8Array([1]), 64)).rejects.toThrow('Replay mismatch at step 2 of the transcript: the host sent a different RPC than recorded.');
    await expect(replayFwctl(t).rpc('configuration', new Uint8Array([2]), 64)).rejects.toThrow(/different RPC/);
    await expect(replayFwctl(t).info()).rejects.toThrow(/asked for FWCTL_INFO where the recording has an RPC/);
    expect(() => replayStream(t)).toThrow(/not a serial link/);
  });
});

describe('transcript files', () => {
  it('writes a versioned header and JSON lines that parse back', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fwbench-tr-')), 't.jsonl');
    const w = new TranscriptWriter(path, { kind: 'serial', device: { id: 'd', label: 'B', kind: 'serial', protocol: 'console', details: {} } });
    w.step({ type: 'write', data: 'YQ==' });
    w.step({ type: 'read', data: 'Yg==' });
    w.close();
    const t = parseTranscript(readFileSync(path, 'utf8'));
    expect(t.header).toMatchObject({ format: 'fwbench-transcript', version: 1, kind: 'serial' });
    expect(t.steps.map((s) => s.type)).toEqual(['write', 'read']);
  });

  it('stops at its size limit with a truncated step', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fwbench-tr-')), 't.jsonl');
    const w = new TranscriptWriter(path, { kind: 'serial', device: { id: 'd', label: 'B', kind: 'serial', protocol: 'console', details: {} } }, 400);
    for (let i = 0; i < 20; i++) w.step({ type: 'read', data: 'QUFBQUFBQUFBQUFB' });
    w.close();
    const t = parseTranscript(readFileSync(path, 'utf8'));
    expect(t.steps.at(-1)).toMatchObject({ type: 'truncated', limitBytes: 400 });
    expect(readFileSync(path, 'utf8').length).toBeLessThan(500);
  });

  it('rejects malformed transcripts with the line at fault', () => {
    const head = JSON.stringify(header('serial'));
    expect(() => parseTranscript('')).toThrow('the transcript is empty.');
    expect(() => parseTranscript('not json')).toThrow('line 1 is not JSON');
    expect(() => parseTranscript(JSON.stringify({ hello: 1 }))).toThrow('no valid transcript header on line 1');
    expect(() => parseTranscript(JSON.stringify({ ...header('serial'), version: 7 }))).toThrow('transcript version 7; this fwbench reads version 1');
    expect(() => parseTranscript(`${head}\n{"type":"write","t":0,"data":"!!"}\n`)).toThrow('invalid step on line 2');
    expect(() => parseTranscript(`${head}\n{"type":"read","t":0,"data":"YQ=="}\n{"type":"teleport","t":1}\n`)).toThrow('invalid step on line 3');
    expect(() => parseTranscript(`${head}\n{"type":"fwctl-rpc","t":0,"scope":"root","request":"","outLen":1}\n`)).toThrow('invalid step on line 2');
    expect(() => parseTranscript(`${head}\n{oops\n`)).toThrow('line 2 is not JSON');
  });
});
