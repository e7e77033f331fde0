// Pull the cable at seeded points of an SMP firmware update to the demo board
// (anywhere: mid-frame in the transfer, during the test mark, across the reset,
// around the confirm), let the host re-acquire the board, and check what a lab
// engineer relies on:
// - the board still has a bootable confirmed image: the old one, or the new one
//   once a confirm completed (a board left running the new image on trial
//   falls back to the confirmed old one at the next reset);
// - the job either resumed and completed, or failed with a plain message;
// - a reset without confirm reverts.
import { DemoRig } from './demo-rig';
import { buildMcubootImage } from '../../support/mcuboot-image';
import type { JobInfo } from '../../../electron/contract/jobs';
import type { ImageSlotState } from '../../../electron/host/protocols/smp';

/** mulberry32: a small seeded PRNG, so every run cuts at the same places. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 0x5eed_f00d;
const OLD = '1.0.0+0';

async function slots(rig: DemoRig): Promise<ImageSlotState[]> {
  return (await rig.run<{ images: ImageSlotState[] }>('smp.image.list')).images;
}

/** Measures how many bytes the board receives in a whole uncut update, to spread cut points over it. */
async function bytesForOneUpdate(image: Uint8Array, transport: 'pipe' | 'pty'): Promise<number> {
  const rig = await DemoRig.start({ transport });
  try {
    const before = rig.boardRx;
    const job = await rig.startJob('firmware.update', { name: 'calibrate.bin', data: image });
    const end = await job.done;
    expect(end.state).toBe('done');
    return rig.boardRx - before;
  } finally {
    await rig.stop();
  }
}

async function cutRun(transport: 'pipe' | 'pty', image: Uint8Array, newHash: string, cutAt: number): Promise<{ end: JobInfo; outcome: string }> {
  const rig = await DemoRig.start({ transport });
  try {
    const oldHash = rig.identity.image_sha256;
    rig.cutAfterBoardReceives(cutAt);
    const job = await rig.startJob('firmware.update', { name: 'app-2.0.0.bin', data: image });
    const end = await job.done;
    await rig.settled();

    let list = await slots(rig);
    let active = list.find((s) => s.active)!;
    if (end.state === 'done') {
      // Completed despite the cut: the new image runs and is confirmed.
      expect(active.hash).toBe(newHash);
      expect(active.confirmed).toBe(true);
      expect(end.result).toMatchObject({ active: '2.0.0+0', confirmed: true });
    } else {
      expect(end.state).toBe('failed');
      expect(end.error?.message).toBeTruthy();
      expect(end.error?.code).not.toBe('internal');
      expect(end.steps.some((s) => s.state === 'failed' && s.message)).toBe(true);
      if (active.hash === newHash && !active.confirmed) {
        // Left on trial: the confirmed old image is still in slot 1, and a reset reverts to it.
        expect(list.find((s) => !s.active)?.hash).toBe(oldHash);
        await rig.run('smp.reset');
        list = await slots(rig);
        active = list.find((s) => s.active)!;
        expect(active.hash).toBe(oldHash);
      }
    }
    // Always: a bootable, confirmed image runs.
    expect(active.confirmed).toBe(true);
    expect(active.bootable).toBe(true);
    expect([oldHash, newHash]).toContain(active.hash);
    expect(rig.identity.firmware).toBe(active.hash === newHash ? '2.0.0+0' : OLD);
    return { end, outcome: end.state === 'done' ? `done after ${(end.result as { resumes: number }).resumes} resume(s)` : `failed: ${end.error!.message}` };
  } finally {
    await rig.stop();
  }
}

describe('link cut during an SMP update of the demo board', () => {
  const rand = prng(SEED);
  const image = buildMcubootImage({ version: [2, 0, 0, 0], body: new Uint8Array(48 * 1024).map(() => Math.floor(rand() * 256)) });
  const newHash = Buffer.from(image.subarray(image.length - 32)).toString('hex');

  it('over an in-process pipe, 30 seeded cut points: always a confirmed bootable image; the job completes or fails plainly', async () => {
    const total = await bytesForOneUpdate(image, 'pipe');
    const outcomes: string[] = [];
    for (let i = 0; i < 30; i++) {
      // Spread over the whole job, with extra weight on the short tail (test, reset, confirm).
      const r = rand();
      const cutAt = Math.max(1, Math.floor(r < 0.7 ? r / 0.7 * total * 0.97 : total * 0.97 + ((r - 0.7) / 0.3) * total * 0.05));
      const { outcome } = await cutRun('pipe', image, newHash, cutAt);
      outcomes.push(`${cutAt}: ${outcome}`);
    }
    console.log(`cut points of ${total} bytes:\n${outcomes.join('\n')}`);
    // Cuts in the transfer must mostly be survived by resuming.
    expect(outcomes.filter((o) => /done after [1-9]/.test(o)).length).toBeGreaterThan(10);
  });

  it('over a pty (the real serial path), 4 seeded cut points', async () => {
    const total = await bytesForOneUpdate(image, 'pty');
    const outcomes: string[] = [];
    for (const f of [0.2, 0.55, 0.9, 0.995]) outcomes.push((await cutRun('pty', image, newHash, Math.floor(total * f))).outcome);
    console.log(`pty cut points: ${outcomes.join('; ')}`);
    // The cuts inside the transfer really cut the pty link and were resumed.
    expect(outcomes.slice(0, 2).every((o) => /done after [1-9]/.test(o))).toBe(true);
  });

  it('a reset without confirm reverts to the confirmed image', async () => {
    const rig = await DemoRig.start({});
    try {
      const oldHash = rig.identity.image_sha256;
      const job = await rig.startJob('firmware.update', { name: 'trial.bin', data: image, confirm: false });
      const end = await job.done;
      expect(end.state).toBe('done');
      expect(end.steps.find((s) => s.name === 'Confirm')).toMatchObject({ state: 'skipped' });
      let active = (await slots(rig)).find((s) => s.active)!;
      expect(active).toMatchObject({ hash: newHash, confirmed: false });
      await rig.run('device.reset');
      active = (await slots(rig)).find((s) => s.active)!;
      expect(active).toMatchObject({ hash: oldHash, confirmed: true });
      expect(rig.identity.firmware).toBe(OLD);
    } finally {
      await rig.stop();
    }
  });
});
