// Firmware upload through the kernel's firmware-upload class
// (Documentation/ABI/testing/sysfs-class-firmware, driver-api/firmware/fw_upload.rst),
// e.g. /sys/class/firmware/mem0 for a CXL memory device:
//   echo 1 > loading; write the image to data; echo 0 > loading;
//   then status walks preparing -> transferring -> programming -> idle while
//   remaining_size counts down; error holds "<phase>:<reason>" when it failed.
// Cancel: echo -1 > loading while writing data, echo 1 > cancel afterwards.
import { open, readFile, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import { HostError } from '../errors/host-error';

export type FirmwareUploadPhase = 'writing' | 'idle' | 'receiving' | 'preparing' | 'transferring' | 'programming' | string;

export interface FirmwareUploadProgress {
  phase: FirmwareUploadPhase;
  /** Bytes still to go: while writing, of the data file; afterwards, the kernel's remaining_size. */
  remaining: number;
  total: number;
}

const WRITE_CHUNK = 64 * 1024;
const POLL_MS = 100;

export async function uploadFirmware(
  sysfsDir: string,
  image: Uint8Array,
  onProgress: (p: FirmwareUploadProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<void> {
  if (!(image instanceof Uint8Array) || image.length === 0) {
    throw new HostError('invalid-params', 'The firmware image is empty.');
  }
  const file = (name: string) => path.join(sysfsDir, name);
  const read = async (name: string) => {
    try {
      return (await readFile(file(name), 'utf8')).trim();
    } catch (err) {
      throw ioError(`read ${name}`, sysfsDir, err);
    }
  };
  const write = async (name: string, value: string) => {
    try {
      await writeFile(file(name), value);
    } catch (err) {
      throw ioError(`write ${name}`, sysfsDir, err);
    }
  };

  const before = await read('status');
  if (before !== 'idle') {
    throw new HostError('device-busy', 'The device is already taking a firmware update; wait for it to finish.', `${sysfsDir}/status = ${before}`);
  }
  signal?.throwIfAborted();

  // 1. Write the image into the kernel's buffer.
  await write('loading', '1');
  let fh;
  try {
    fh = await open(file('data'), constants.O_WRONLY);
    for (let off = 0; off < image.length; off += WRITE_CHUNK) {
      if (signal?.aborted) throw cancelled(sysfsDir);
      const n = Math.min(WRITE_CHUNK, image.length - off);
      const { bytesWritten } = await fh.write(image, off, n, off);
      if (bytesWritten !== n) throw new HostError('io-error', 'The kernel took only part of the firmware image.', `wrote ${bytesWritten} of ${n} at ${off}`);
      onProgress({ phase: 'writing', remaining: image.length - off - n, total: image.length });
    }
  } catch (err) {
    await fh?.close().catch(() => {});
    await writeFile(file('loading'), '-1').catch(() => {}); // abort: drop the partial image
    throw err instanceof HostError ? err : ioError('write data', sysfsDir, err);
  }
  await fh.close();

  // 2. Hand it to the driver; it now prepares, transfers and programs.
  await write('loading', '0');

  // 3. Follow status/remaining_size until the driver is idle again.
  let cancelSent = false;
  for (;;) {
    const status = await read('status');
    if (status === 'idle') break;
    const remaining = Number.parseInt(await read('remaining_size'), 10);
    onProgress({ phase: status, remaining: Number.isFinite(remaining) ? remaining : image.length, total: image.length });
    if (signal?.aborted && !cancelSent) {
      cancelSent = true;
      await write('cancel', '1').catch(() => {}); // not every phase can be cancelled
    }
    await sleep(POLL_MS);
  }

  const error = await read('error');
  if (error) {
    if (cancelSent || /user-abort/.test(error)) throw cancelled(sysfsDir, error);
    throw new HostError('device-error', `The device rejected the firmware update (${error}).`, `${sysfsDir}/error = ${error}`);
  }
  if (cancelSent) throw cancelled(sysfsDir, 'finished before the cancel took effect');
  onProgress({ phase: 'idle', remaining: 0, total: image.length });
}

function cancelled(dir: string, detail?: string): HostError {
  return new HostError('cancelled', 'The firmware update was cancelled.', detail ? `${dir}: ${detail}` : dir);
}

function ioError(what: string, dir: string, err: unknown): HostError {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') {
    return new HostError('unknown-device', 'This device offers no firmware upload (no such sysfs entry).', `${what} in ${dir}: ${e.message}`);
  }
  if (e?.code === 'EACCES' || e?.code === 'EPERM') {
    return new HostError('permission-denied', 'No permission to update firmware; it needs root.', `${what} in ${dir}: ${e.message}`);
  }
  if (e?.code === 'EBUSY') return new HostError('device-busy', 'The device is busy with another firmware update.', `${what} in ${dir}: ${e.message}`);
  return new HostError('io-error', 'Talking to the kernel\'s firmware upload interface failed.', `${what} in ${dir}: ${e?.message ?? String(err)}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
