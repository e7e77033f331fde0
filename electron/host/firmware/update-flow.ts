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
import { isNotSupportedAnswer, SmpTransferInterrupted, type ImageSlotState, type SmpClient } from '../protocols/smp';
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
  /**
   * False when the device has no trial boot (image test answers ENOTSUP:
   * MCUboot direct-xip without revert, RAM load, single slot): the new image
   * is permanent once the bootloader picks it, nothing reverts it, and there
   * is no confirm step.
   */
  trialBoot: boolean;
  /** The device's MCUboot mode, when it reports one (bootloader info). */
  bootloaderMode?: string;
}

/** MCUboot modes as Zephyr's bootloader info reports them (os group, command 8, query "mode"). */
export const MCUBOOT_MODES: Record<number, string> = {
  0: 'single application',
  1: 'swap using scratch',
  2: 'overwrite only',
  3: 'swap without scratch',
  4: 'direct-xip without revert',
  5: 'direct-xip with revert',
  6: 'RAM load',
  7: 'firmware loader',
};

const MAX_RESUMES = 8;

export async function runSmpUpdate(target: SmpUpdateTarget, req: UpdateRequest, job: JobHandle): Promise<UpdateResult> {
  const activate = req.activate ?? true;
  const confirm = req.confirm ?? true;
  let mode: string | undefined;
  const { image, hash, before } = await job.step('Check image', async () => {
    const image = checkImageFile(req.name, req.data, target.board);
    const hash = image.embeddedHash!;
    const before = activeSlot(await again(target, job, () => target.client().imageList({ signal: job.signal })));
    mode = await bootloaderMode(target, job);
    job.note(`MCUboot ${image.version}, ${req.data.length} bytes, hash ${hash.slice(0, 16)}…; the board runs ${displayVersion(before.version)}${mode ? `; its bootloader runs MCUboot in ${mode} mode` : ''}`);
    if (before.hash !== hash && compareVersions(versionParts(image.version!), versionParts(before.version)) <= 0 && !req.allowDowngrade)
      throw new HostError(
        'invalid-params',
        `${req.name} is version ${image.version}, not newer than the ${displayVersion(before.version)} the board runs. Allow a downgrade to install it anyway.`,
        `image ${image.version}, running ${before.version}`,
      );
    return { image, hash, before };
  });
  const previous = displayVersion(before.version);
  const base = { previous, hash, resumes: 0, trialBoot: true, ...(mode ? { bootloaderMode: mode } : {}) };
  if (before.hash === hash) {
    for (const s of ['Transfer', 'Verify', 'Mark for test', 'Reset and re-acquire', 'Check new image runs', 'Confirm']) job.skip(s, `the board already runs ${image.version}`);
    if (confirm && !before.confirmed) await job.step('Confirm', async () => void (await target.client().imageConfirm(hash, { signal: job.signal })));
    return { ...base, active: previous, staged: false, activated: false, confirmed: before.confirmed || confirm, unchanged: true };
  }

  const slots = await again(target, job, () => target.client().imageList({ signal: job.signal }));
  // The update slot is the one not running: slot 1 in swap modes, either in direct-xip.
  const second = inactiveSlot(slots);
  const alreadyStaged = second?.hash === hash && second.pending;
  if (second?.pending && !alreadyStaged)
    throw new HostError('device-busy', `Slot ${second.slot} holds ${displayVersion(second.version)}, marked for the next boot. Reset the board (or erase the slot) before sending another image.`);

  let resumes = 0;
  let trialBoot = true;
  if (alreadyStaged) {
    for (const s of ['Transfer', 'Verify', 'Mark for test']) job.skip(s, `${image.version} is already in slot ${second.slot}, marked for a trial boot`);
  } else {
    resumes = await job.step('Transfer', () => transfer(target, req, job, !req.allowDowngrade));
    await job.step('Verify', async () => {
      const list = await again(target, job, () => target.client().imageList({ signal: job.signal }));
      const staged = inactiveSlot(list);
      if (!staged) throw new HostError('verification-failed', 'After the transfer the board reports no image in its update slot.', JSON.stringify(list));
      if (staged.hash !== hash) throw new HostError('verification-failed', `The image in slot ${staged.slot} differs from the one sent.`, `board ${staged.hash} image ${hash}`);
    });
    trialBoot = await job.step('Mark for test', async () => {
      try {
        await again(target, job, () => target.client().imageTest(hash, { signal: job.signal }));
        return true;
      } catch (e) {
        if (!isNotSupportedAnswer(e)) throw e;
        job.note(
          `this board cannot mark an image for a trial boot (it answers MGMT_ERR_ENOTSUP${mode ? `; MCUboot ${mode}` : ''}): ` +
            'its bootloader picks the image itself at the next reset, nothing reverts a bad image, and there is no test or confirm step',
        );
        return false;
      }
    });
  }
  base.trialBoot = trialBoot;
  if (!activate) {
    const why = trialBoot
      ? `activation not requested: ${image.version} runs on trial at the next reset`
      : `activation not requested: ${image.version} is staged; this board has no trial boot, so its bootloader decides at the next reset and nothing reverts it`;
    for (const s of ['Reset and re-acquire', 'Check new image runs', 'Confirm']) job.skip(s, why);
    return { ...base, resumes, active: previous, staged: true, activated: false, confirmed: false };
  }

  await job.step('Reset and re-acquire', () => target.resetAndWait(job.signal));
  const running = await job.step('Check new image runs', async () => {
    const list = () => again(target, job, () => target.client().imageList({ signal: job.signal }));
    let slots = await list();
    if (trialBoot && activeSlot(slots).hash !== hash && slots.some((s) => s.hash === hash && s.pending)) {
      // Still pending: the reset request never reached the board (the link dropped first). Reset again.
      job.note('the board did not reset; resetting again');
      await target.resetAndWait(job.signal);
      slots = await list();
    }
    const now = activeSlot(slots);
    if (now.hash !== hash) {
      await target.refreshIdentity().catch(() => undefined);
      if (!trialBoot)
        throw new HostError(
          'verification-failed',
          `After the reset the board still runs ${displayVersion(now.version)}, not ${image.version}: its bootloader did not pick the new image (this board has no trial boot to ask for it).`,
          `running hash ${now.hash}, new image hash ${hash}${mode ? `, MCUboot ${mode}` : ''}`,
        );
      throw new HostError(
        'verification-failed',
        `The board reverted to ${displayVersion(now.version)}: the new image ${image.version} did not stay running after the reset.`,
        `running hash ${now.hash}, new image hash ${hash}`,
      );
    }
    return now;
  });
  let confirmed = running.confirmed;
  if (!trialBoot) {
    job.skip('Confirm', `this board has no confirm step: ${image.version} runs and stays without one (nothing was tested or confirmed)`);
  } else if (!confirm) {
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
  // A step keeps one message: the transfer's notes add up instead of replacing each other.
  const log: string[] = [];
  const say = (text: string) => {
    log.push(text);
    job.note(log.join('; '));
  };
  const limits = target.client().linkLimits;
  if (limits) say(`backed off for this device: ${limits}`);
  for (let resumes = 0; ; resumes++) {
    try {
      const r = await target.client().imageUpload(req.data, {
        signal: job.signal,
        resumeFrom,
        upgrade: upgradeOnly,
        onProgress: (done, total) => job.progress(done, total),
        onNote: say,
      });
      say(`sent in ${r.chunks} chunks of up to ${r.chunkSize} bytes, ${r.window} in flight${r.backoffs ? `, after ${r.backoffs} back-off${r.backoffs > 1 ? 's' : ''}` : ''}`);
      if (r.match === false) throw new HostError('verification-failed', 'The board says the received image does not match its SHA-256.');
      return resumes;
    } catch (e) {
      if (!(e instanceof SmpTransferInterrupted) || e.code === 'cancelled' || job.signal.aborted) throw e;
      if (resumes >= MAX_RESUMES) throw new HostError(e.code, `The link to the board kept failing; gave up after ${MAX_RESUMES} resumes.`, e.detail);
      say(`link lost at ${e.confirmed} of ${e.total} bytes (${e.message}); re-acquiring the board to resume`);
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

/** The slot of image 0 that is not running (where an upload lands). */
export function inactiveSlot(slots: readonly ImageSlotState[]): ImageSlotState | undefined {
  return slots.find((s) => !s.active && (s.image ?? 0) === 0);
}

/** The bootloader's MCUboot mode in words, when the device says (bootloader info is optional). */
async function bootloaderMode(target: SmpUpdateTarget, job: JobHandle): Promise<string | undefined> {
  try {
    const info = await target.client().bootloaderInfo('mode', { signal: job.signal });
    return typeof info.mode === 'number' ? (MCUBOOT_MODES[info.mode] ?? `mode ${info.mode}`) : undefined;
  } catch (e) {
    if (HostError.from(e).code === 'cancelled') throw e;
    return undefined;
  }
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
