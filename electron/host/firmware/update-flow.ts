// Safe firmware activation over MCUmgr SMP, as one job:
//   check the image (MCUboot hash, board, version) → upload (pipelined; after a
//   link loss re-acquire the device and resume from what it confirmed) → verify
//   slot 1 → mark for a trial boot → reset → re-acquire → check the new image is
//   the one running → only then confirm.
// MCUboot reverts an unconfirmed image at the next reset, so a board whose new
// image does not come up falls back by itself; the job then fails and says what
// the board runs now. Nothing is confirmed without the check.
import { HostError } from '../errors/host-error';
import type { JobHandle } from '../jobs/job-engine';
import { SmpTransferInterrupted, type ImageSlotState, type SmpClient } from '../protocols/smp';
import { inspectImage, type InspectedImage } from './inspect-image';
import { boardOf } from './board-tlv';

/** The device side of an update: the adapter supplies it. */
export interface SmpUpdateTarget {
  /** The SMP client on the device's current link (it changes after a re-acquire). */
  client(): SmpClient;
  /** Board name an image's board TLV must match. */
  readonly board: string;
  /** Waits until the device is reachable again after its link dropped. */
  reacquire(signal: AbortSignal): Promise<void>;
  /** Resets the device over SMP and waits until its application answers again (re-acquiring if the link drops). */
  resetAndWait(signal: AbortSignal): Promise<void>;
  /** Re-reads the device identity and tells the session (the UI's running version). */
  refreshIdentity(): Promise<Record<string, string>>;
}

export interface UpdateRequest {
  name: string;
  data: Uint8Array;
  /** Reset into the new image (default true); otherwise it is left marked for a trial boot. */
  activate?: boolean;
  /** Confirm once the new image is seen running (default true). */
  confirm?: boolean;
  /** Allow an image that is not newer than the running one. */
  allowDowngrade?: boolean;
}

export interface UpdateResult {
  /** Version before the update and the version running at the end (MCUboot X.Y.Z+B). */
  previous: string;
  active: string;
  /** The new image's MCUboot hash. */
  hash: string;
  staged: boolean;
  activated: boolean;
  confirmed: boolean;
  /** Link losses the transfer survived. */
  resumes: number;
  unchanged?: boolean;
}

const MAX_RESUMES = 8;

export async function runSmpUpdate(target: SmpUpdateTarget, req: UpdateRequest, job: JobHandle): Promise<UpdateResult> {
  const activate = req.activate ?? true;
  const confirm = req.confirm ?? true;
  const { image, hash, before } = await job.step('Check image', async () => {
    const image = checkImageFile(req.name, req.data, target.board);
    const hash = image.embeddedHash!;
    const before = activeSlot(await again(target, job, () => target.client().imageList({ signal: job.signal })));
    job.note(`MCUboot ${image.version}, ${req.data.length} bytes, hash ${hash.slice(0, 16)}…; the board runs ${displayVersion(before.version)}`);
    if (before.hash !== hash && compareVersions(versionParts(image.version!), versionParts(before.version)) <= 0 && !req.allowDowngrade)
      throw new HostError(
        'invalid-params',
        `${req.name} is version ${image.version}, not newer than the ${displayVersion(before.version)} the board runs. Allow a downgrade to install it anyway.`,
        `image ${image.version}, running ${before.version}`,
      );
    return { image, hash, before };
  });
  const previous = displayVersion(before.version);
  const base = { previous, hash, resumes: 0 };
  if (before.hash === hash) {
    for (const s of ['Transfer', 'Verify', 'Mark for test', 'Reset and re-acquire', 'Check new image runs', 'Confirm']) job.skip(s, `the board already runs ${image.version}`);
    if (confirm && !before.confirmed) await job.step('Confirm', async () => void (await target.client().imageConfirm(hash, { signal: job.signal })));
    return { ...base, active: previous, staged: false, activated: false, confirmed: before.confirmed || confirm, unchanged: true };
  }

  const slots = await again(target, job, () => target.client().imageList({ signal: job.signal }));
  const second = slots.find((s) => !s.active && s.slot === 1);
  const alreadyStaged = second?.hash === hash && second.pending;
  if (second?.pending && !alreadyStaged)
    throw new HostError('device-busy', `Slot 1 holds ${displayVersion(second.version)}, marked for the next boot. Reset the board (or erase the slot) before sending another image.`);

  let resumes = 0;
  if (alreadyStaged) {
    for (const s of ['Transfer', 'Verify', 'Mark for test']) job.skip(s, `${image.version} is already in slot 1, marked for a trial boot`);
  } else {
    resumes = await job.step('Transfer', () => transfer(target, req, job, !req.allowDowngrade));
    await job.step('Verify', async () => {
      const s1 = (await again(target, job, () => target.client().imageList({ signal: job.signal }))).find((s) => s.slot === 1);
      if (!s1) throw new HostError('verification-failed', 'After the transfer the board reports no image in slot 1.');
      if (s1.hash !== hash) throw new HostError('verification-failed', 'The image in slot 1 differs from the one sent.', `board ${s1.hash} image ${hash}`);
    });
    await job.step('Mark for test', async () => void (await again(target, job, () => target.client().imageTest(hash, { signal: job.signal }))));
  }
  if (!activate) {
    for (const s of ['Reset and re-acquire', 'Check new image runs', 'Confirm']) job.skip(s, `activation not requested: ${image.version} runs on trial at the next reset`);
    return { ...base, resumes, active: previous, staged: true, activated: false, confirmed: false };
  }

  await job.step('Reset and re-acquire', () => target.resetAndWait(job.signal));
  const running = await job.step('Check new image runs', async () => {
    const list = () => again(target, job, () => target.client().imageList({ signal: job.signal }));
    let slots = await list();
    if (activeSlot(slots).hash !== hash && slots.some((s) => s.hash === hash && s.pending)) {
      // Still pending: the reset request never reached the board (the link dropped first). Reset again.
      job.note('the board did not reset; resetting again');
      await target.resetAndWait(job.signal);
      slots = await list();
    }
    const now = activeSlot(slots);
    if (now.hash !== hash) {
      await target.refreshIdentity().catch(() => undefined);
      throw new HostError(
        'verification-failed',
        `The board reverted to ${displayVersion(now.version)}: the new image ${image.version} did not stay running after the reset.`,
        `running hash ${now.hash}, new image hash ${hash}`,
      );
    }
    return now;
  });
  let confirmed = running.confirmed;
  if (!confirm) {
    job.skip('Confirm', `not requested: the board reverts to ${previous} at its next reset unless the image is confirmed`);
  } else {
    await job.step('Confirm', async () => {
      const after = activeSlot(await again(target, job, () => target.client().imageConfirm(hash, { signal: job.signal })));
      if (after.hash !== hash || !after.confirmed) throw new HostError('verification-failed', 'The board did not confirm the new image.', JSON.stringify(after));
      confirmed = true;
    });
  }
  await again(target, job, () => target.refreshIdentity());
  return { ...base, resumes, active: displayVersion(running.version), staged: true, activated: true, confirmed };
}

/** The upload, resumed after each link loss from what the device confirmed. Returns the number of resumes. */
async function transfer(target: SmpUpdateTarget, req: UpdateRequest, job: JobHandle, upgradeOnly: boolean): Promise<number> {
  let resumeFrom: number | undefined;
  for (let resumes = 0; ; resumes++) {
    try {
      const r = await target.client().imageUpload(req.data, {
        signal: job.signal,
        resumeFrom,
        upgrade: upgradeOnly,
        onProgress: (done, total) => job.progress(done, total),
      });
      if (r.match === false) throw new HostError('verification-failed', 'The board says the received image does not match its SHA-256.');
      return resumes;
    } catch (e) {
      if (!(e instanceof SmpTransferInterrupted) || e.code === 'cancelled' || job.signal.aborted) throw e;
      if (resumes >= MAX_RESUMES) throw new HostError(e.code, `The link to the board kept failing; gave up after ${MAX_RESUMES} resumes.`, e.detail);
      job.note(`link lost at ${e.confirmed} of ${e.total} bytes (${e.message}); re-acquiring the board to resume`);
      await target.reacquire(job.signal);
      resumeFrom = e.confirmed > 0 && e.confirmed < req.data.length ? e.confirmed : undefined;
    }
  }
}

/**
 * Runs an idempotent device call (list, test, confirm, identity); when the link
 * drops under it, waits for the device to come back and asks again.
 */
async function again<T>(target: SmpUpdateTarget, job: JobHandle, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const h = HostError.from(e);
      const linkTrouble = h.code === 'device-gone' || h.code === 'timeout' || h.code === 'io-error' || h.code === 'cancelled';
      if (!linkTrouble || job.signal.aborted || attempt >= 3) throw e;
      job.note(`link trouble (${h.message}); re-acquiring the board`);
      await target.reacquire(job.signal);
    }
  }
}

/** Parses and checks the file: an MCUboot image whose hash checks out, for this board. */
export function checkImageFile(name: string, data: Uint8Array, board: string): InspectedImage {
  let image: InspectedImage;
  try {
    image = inspectImage(data, name);
  } catch (e) {
    const h = HostError.from(e);
    throw new HostError('verification-failed', `${name} is not a valid MCUboot image: ${h.message}`, h.detail);
  }
  if (image.format !== 'mcuboot' || !image.version || !image.embeddedHash)
    throw new HostError('verification-failed', `${name} is not an MCUboot image, which is what this board boots.`, `detected format: ${image.format}`);
  const target = boardOf(image, data);
  if (target !== undefined && target !== board) throw new HostError('verification-failed', `${name} is built for the board "${target}", not for this ${board}.`, `board TLV 0x00a0 = ${JSON.stringify(target)}`);
  return image;
}

export function activeSlot(slots: readonly ImageSlotState[]): ImageSlotState & { hash: string } {
  const a = slots.find((s) => s.active && (s.image ?? 0) === 0) ?? slots.find((s) => s.slot === 0);
  if (!a || !a.hash) throw new HostError('protocol-error', 'The board did not report which image is running.', JSON.stringify(slots));
  return a as ImageSlotState & { hash: string };
}

/** Zephyr reports "1.2.3" or "1.2.3.4"; MCUboot and the board say "1.2.3+4". */
export function versionParts(v: string): [number, number, number, number] {
  const p = v.split(/[.+]/).map((x) => Number(x));
  const out: [number, number, number, number] = [p[0] || 0, p[1] || 0, p[2] || 0, p[3] || 0];
  return out;
}

export function displayVersion(v: string): string {
  const [a, b, c, d] = versionParts(v);
  return `${a}.${b}.${c}+${d}`;
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
