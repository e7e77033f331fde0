// Image group (smp_group_1): state read/write (test, confirm), upload with
// session resume by SHA-256, erase, slot info. Slot semantics live in SmpBoardState.
import { createHash } from 'node:crypto';
import { slotOf, type SmpBoardState } from '../board-state';
import { compareVersions, hasMcubootMagic, inspectImage, MCUBOOT_HEADER_SIZE } from '../mcuboot-image';
import { GROUP, IMG_RC, MGMT, SmpRefusal } from '../rc';
import { READ, WRITE, type SmpGroupHandler, type SmpServerRequest } from './context';
import { needBytes, needUint, optUint, sameBytes } from './fields';

const refuse = (rc: number, mgmt: number, why: string) => new SmpRefusal(GROUP.IMAGE, rc, mgmt, why);

export const imageHandler: SmpGroupHandler = async (req) => {
  switch (`${req.id}:${req.op}`) {
    case `0:${READ}`:
      return imageStates(req.state);
    case `0:${WRITE}`:
      return setState(req);
    case `1:${WRITE}`:
      return upload(req);
    case `5:${WRITE}`:
      return erase(req);
    case `6:${READ}`:
      return {
        images: [{ image: 0, slots: [{ slot: 0, size: req.state.slotSize }, { slot: 1, size: req.state.slotSize }], max_image_size: req.state.slotSize }],
      };
    default:
      return undefined;
  }
};

export function imageStates(s: SmpBoardState): Record<string, unknown> {
  const images: Record<string, unknown>[] = [];
  const [s0, s1] = s.slots;
  const run = { image: 0, slot: s.runningSlot, version: s0.version, hash: s0.hash, bootable: true, pending: false, confirmed: s.activeConfirmed, active: true, permanent: false };
  const other = s1 && { image: 0, slot: s.updateSlot, version: s1.version, hash: s1.hash, bootable: true, pending: s.pending !== 'none', confirmed: false, active: false, permanent: s.pending === 'permanent' };
  // Listed by flash slot, as img_mgmt walks them.
  if (other && other.slot < run.slot) images.push(other, run);
  else images.push(run, ...(other ? [other] : []));
  return { images, splitStatus: 0 };
}

function setState(req: SmpServerRequest): Record<string, unknown> {
  const s = req.state;
  const confirm = req.body.confirm === true;
  const hash = req.body.hash === undefined ? undefined : needBytes(req.body, 'hash');
  if (hash !== undefined && hash.length !== 32) throw refuse(IMG_RC.INVALID_HASH, MGMT.EINVAL, 'hash must be 32 bytes');
  // Without a trial boot there is nothing to test: such a build answers ENOTSUP.
  if (s.bootMode !== 'swap' && !confirm) throw SmpRefusal.smp(MGMT.ENOTSUP, `no test in ${s.bootMode} mode`);
  if (hash === undefined) {
    if (!confirm) throw refuse(IMG_RC.INVALID_HASH, MGMT.EINVAL, 'test needs a hash');
    s.activeConfirmed = true;
    return imageStates(s);
  }
  const [s0, s1] = s.slots;
  if (sameBytes(hash, s0.hash)) {
    if (!confirm) throw refuse(IMG_RC.IMAGE_SETTING_TEST_TO_ACTIVE_DENIED, MGMT.EBADSTATE, 'the running image cannot be tested');
    s.activeConfirmed = true;
    return imageStates(s);
  }
  if (!s1 || !sameBytes(hash, s1.hash)) throw refuse(IMG_RC.HASH_NOT_FOUND, MGMT.EINVAL, 'no image with that hash');
  if (s.bootMode !== 'swap') throw SmpRefusal.smp(MGMT.ENOTSUP, `no confirm of another slot in ${s.bootMode} mode`);
  s.pending = confirm ? 'permanent' : 'test';
  return imageStates(s);
}

async function upload(req: SmpServerRequest): Promise<Record<string, unknown>> {
  const s = req.state;
  const body = req.body;
  if (body.off === undefined) throw refuse(IMG_RC.INVALID_OFFSET, MGMT.EINVAL, 'off is required');
  const off = needUint(body, 'off');
  const data = needBytes(body, 'data');
  if ((optUint(body, 'image') ?? 0) !== 0) throw refuse(IMG_RC.INVALID_SLOT, MGMT.EINVAL, 'only image 0 exists');

  if (off === 0) {
    const len = optUint(body, 'len');
    if (len === undefined || len === 0) throw refuse(IMG_RC.INVALID_LENGTH, MGMT.EINVAL, 'len is required with off 0');
    const sha = body.sha === undefined ? undefined : needBytes(body, 'sha');
    const u = s.upload;
    // Same file as the unfinished session: tell the client where to go on.
    if (u && sha && u.sha && sameBytes(sha, u.sha) && u.len === len && u.off > 0) return { off: u.off };
    if (len > s.slotSize) throw refuse(IMG_RC.INVALID_IMAGE_TOO_LARGE, MGMT.EINVAL, `image of ${len} bytes does not fit the ${s.slotSize}-byte slot`);
    if (s.pending !== 'none') throw refuse(IMG_RC.IMAGE_ALREADY_PENDING, MGMT.EBADSTATE, 'slot 1 is pending for the next boot');
    if (s.requireMcubootHeader) {
      if (data.length < MCUBOOT_HEADER_SIZE) throw refuse(IMG_RC.INVALID_IMAGE_HEADER, MGMT.EINVAL, 'first chunk shorter than an image header');
      if (!hasMcubootMagic(data)) throw refuse(IMG_RC.INVALID_IMAGE_HEADER_MAGIC, MGMT.EINVAL, 'not an MCUboot image');
    }
    if (body.upgrade === true && compareVersions(inspectImage(data).parts, s.running.parts) <= 0)
      throw refuse(IMG_RC.CURRENT_VERSION_IS_NEWER, MGMT.EBADSTATE, 'the running image is not older');
    // Erasing slot 1 takes a while on real flash; the old contents are gone.
    await req.delay(req.eraseDelayMs);
    s.slots[1] = null;
    s.upload = { len, off: 0, sha, data: new Uint8Array(len) };
  }
  const u = s.upload;
  if (!u) throw refuse(IMG_RC.INVALID_OFFSET, MGMT.EINVAL, 'no upload in progress; start at offset 0');
  if (off !== u.off) return { off: u.off }; // wrong place: drop the data, say where we are
  if (off + data.length > u.len) throw refuse(IMG_RC.INVALID_IMAGE_DATA_OVERRUN, MGMT.EINVAL, 'more data than the declared length');
  u.data.set(data, off);
  u.off += data.length;
  if (u.off < u.len) return { off: u.off };
  s.slots[1] = slotOf(u.data);
  const answer: Record<string, unknown> = { off: u.off };
  if (u.sha) answer.match = sameBytes(u.sha, new Uint8Array(createHash('sha256').update(u.data).digest()));
  return answer;
}

function erase(req: SmpServerRequest): Record<string, unknown> {
  const s = req.state;
  const slot = optUint(req.body, 'slot') ?? s.updateSlot;
  if (slot !== s.updateSlot) throw refuse(IMG_RC.INVALID_SLOT, MGMT.EINVAL, `slot ${slot} cannot be erased`);
  if (s.pending !== 'none') throw refuse(IMG_RC.IMAGE_ALREADY_PENDING, MGMT.EBADSTATE, 'slot 1 is pending for the next boot');
  s.slots[1] = null;
  s.upload = null;
  return {};
}
