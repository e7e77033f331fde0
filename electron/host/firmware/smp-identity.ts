// A plain SMP device's identity, from what it offers: os info (board, OS),
// bootloader info (MCUboot and its mode), image state (running version and
// hash) only where the image group exists, and the groups themselves. Every
// part is optional in Zephyr; a part the device lacks is left out, never an
// error that fails the session.
import { HostError } from '../errors/host-error';
import { ImageCmd, OsCmd, SmpDeviceError, SmpGroup, type SmpClient } from '../protocols/smp';
import { displayVersion, MCUBOOT_MODES } from './update-flow';

export async function describeSmpIdentity(smp: SmpClient): Promise<Record<string, string>> {
  const id: Record<string, string> = {};
  const caps = smp.capabilities;
  if (caps.offers(SmpGroup.OS, OsCmd.Info)) {
    const board = await optional(() => smp.osInfo('n'));
    if (board?.trim()) id.board = board.trim();
    const os = await optional(() => smp.osInfo('sr'));
    if (os?.trim()) id.os = os.trim();
  }
  if (caps.offers(SmpGroup.OS, OsCmd.BootloaderInfo)) {
    const bl = await optional(() => smp.bootloaderInfo());
    if (typeof bl?.bootloader === 'string') {
      id.bootloader = bl.bootloader;
      if (/mcuboot/i.test(bl.bootloader)) {
        const m = await optional(() => smp.bootloaderInfo('mode'));
        if (typeof m?.mode === 'number') id.mcuboot_mode = MCUBOOT_MODES[m.mode] ?? `mode ${m.mode}`;
      }
    }
  }
  if (caps.offers(SmpGroup.Image, ImageCmd.State)) {
    const slots = await optional(() => smp.imageList());
    const running = slots?.find((s) => s.active && (s.image ?? 0) === 0) ?? slots?.find((s) => s.slot === 0);
    if (running) {
      id.firmware = displayVersion(running.version);
      if (running.hash) id.image_sha256 = running.hash;
      id.confirmed = String(running.confirmed);
    }
  }
  const params = smp.knownParams;
  if (params) id.smp_buf_size = `${params.bufSize}${params.reported ? '' : ' (assumed)'}`;
  const groups = caps.summary();
  id.smp_groups = groups.offered.join(', ') || 'none confirmed';
  if (groups.notOffered.length) id.smp_not_offered = groups.notOffered.join(', ');
  if (groups.unknown.length) id.smp_probed_on_use = groups.unknown.join(', ');
  return id;
}

/** A part of the identity the device may lack: its refusal or an odd answer leaves the part out; a link problem still fails. */
async function optional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof SmpDeviceError || HostError.from(e).code === 'protocol-error') return undefined;
    throw e;
  }
}
