// SMP image upload throughput to the demo board over a pty, with the board
// pacing its UART like a real 115200-baud 8N1 link in both directions
// (11520 B/s), against the most image data that link can carry.
//
// The reference is computed from the exact frames the client sends: for each
// chunk of the upload, the SMP header, the CBOR map ({off, data}, plus len and
// sha on the first), the serial framing (2-byte length, CRC-16, base64, a
// 0x06 0x09 / 0x04 0x14 marker and '\n' per line) — so it is the image bytes
// per second left in the host-to-device direction at the device's buffer size.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoBoard } from '../electron/host/demo/board/demo-board';
import { BAUD_115200_8N1 } from '../electron/host/demo/board/uart-pacing';
import { SerialPortStream } from '../electron/host/transports/serial-port';
import { SmpClient, encodeCbor, maxDataThatFits, serialEncodedLength, SMP_HEADER_SIZE } from '../electron/host/protocols/smp';
import { buildMcubootImage, SMP_DEVICE_PROFILES, type SmpProfileName } from '../electron/host/demo/smp-server';

type Figure = { value: number; unit: string; reference?: number; ratio?: number };

/** Serial bytes the client puts on the wire to upload `size` bytes, chunk by chunk, as client.ts lays them out (at the client's packet limit). */
export function uploadWireBytes(size: number, maxPacket: number): number {
  const sha = new Uint8Array(32);
  let wire = 0;
  for (let off = 0; off < size; ) {
    const fields = off === 0 ? { len: size, off: 0, sha } : { off };
    const n = Math.min(size - off, maxDataThatFits(fields, maxPacket));
    const packet = SMP_HEADER_SIZE + encodeCbor({ ...fields, data: new Uint8Array(n) }).length;
    wire += serialEncodedLength(packet);
    off += n;
  }
  return wire;
}

/**
 * Both device models: the demo board's 2048-byte buffer (target ≥ 90 % of the
 * link limit), and a small Cortex-M0 (buf_size 384, one buffer, an RX pool that
 * drops bursts longer than 2 frames, 2 ms latency), where the client backs off
 * to 2-frame requests one at a time — reported, with no target.
 */
export async function benchSmpUpload(): Promise<Record<string, Figure>> {
  const big = await benchProfile('buf-2048', 96 * 1024);
  const small = await benchProfile('m0-384', 32 * 1024);
  return {
    smp_upload_115200: big.throughput,
    smp_upload_efficiency: big.efficiency,
    smp_upload_115200_m0_384_2frame: small.throughput,
    smp_upload_efficiency_m0_384_2frame: small.efficiency,
  };
}

async function benchProfile(profile: SmpProfileName, IMAGE_BYTES: number): Promise<{ throughput: Figure; efficiency: Figure }> {
  const dir = mkdtempSync(join(tmpdir(), 'fwbench-bench-smp-'));
  const boardPath = join(dir, 'board');
  const hostPath = join(dir, 'host');
  const socat = spawn('socat', [`pty,raw,echo=0,link=${boardPath}`, `pty,raw,echo=0,link=${hostPath}`], { stdio: 'ignore' });
  let board: DemoBoard | null = null;
  let client: SmpClient | null = null;
  const streams: SerialPortStream[] = [];
  try {
    const deadline = Date.now() + 5000;
    while (!(existsSync(boardPath) && existsSync(hostPath))) {
      if (Date.now() > deadline) throw new Error('socat did not create the pty pair');
      await new Promise((r) => setTimeout(r, 20));
    }
    const boardEnd = await SerialPortStream.open(boardPath, { baudRate: 115200 });
    const hostEnd = await SerialPortStream.open(hostPath, { baudRate: 115200 });
    streams.push(boardEnd, hostEnd);
    board = new DemoBoard(boardEnd, { serial: 'DEMO-BENCH', bootMs: 50, uartBytesPerSecond: BAUD_115200_8N1, smp: SMP_DEVICE_PROFILES[profile] });
    client = new SmpClient(hostEnd, { timeoutMs: 10_000 });
    // Wait until the board has booted and answers SMP.
    for (let i = 0; ; i++) {
      try {
        await client.echo('ready', { timeoutMs: 500 });
        break;
      } catch (e) {
        if (i > 20) throw e;
      }
    }
    // What a session does on open: params, groups, and the burst probe (outside the timed part).
    const found = await client.discover();
    const params = found.params;
    const body = new Uint8Array(IMAGE_BYTES - 72);
    const seed = createHash('sha256').update('bench').digest();
    for (let i = 0; i < body.length; i++) body[i] = seed[i % 32] ^ i;
    const image = buildMcubootImage([3, 0, 0], body);
    const t0 = performance.now();
    const r = await client.imageUpload(image, { firstChunkTimeoutMs: 10_000 });
    const seconds = (performance.now() - t0) / 1000;
    const measured = image.length / seconds;
    const wire = uploadWireBytes(image.length, client.maxPacket());
    const reference = (image.length / wire) * BAUD_115200_8N1;
    console.log(
      `smp upload (${profile}): ${image.length} B in ${seconds.toFixed(2)} s = ${measured.toFixed(0)} B/s; link limit for image data ${reference.toFixed(0)} B/s ` +
        `(${wire} wire bytes at ${BAUD_115200_8N1} B/s, buf_size ${params.bufSize}, max packet ${client.maxPacket()} B, chunk ${r.chunkSize} B, window ${r.window}${client.linkLimits ? `; ${client.linkLimits}` : ''}); ${((measured / reference) * 100).toFixed(1)}%`,
    );
    return {
      throughput: { value: Math.round(measured), unit: 'B/s', reference: Math.round(reference), ratio: measured / reference },
      efficiency: { value: (image.length / wire) * 100, unit: '% of wire bytes that are image data' },
    };
  } finally {
    client?.close();
    board?.stop();
    for (const s of streams) await s.close().catch(() => {});
    socat.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchSmpUpload().then((f) => console.log(JSON.stringify(f, null, 2)));
}
