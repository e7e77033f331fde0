// SMP (MCUmgr) client over any ByteStream carrying the serial/console
// transport. One method per device command; each maps 1:1 onto a CLI verb
// (fwbench smp echo | reset | image list|upload|test|confirm | stats | settings ...).
import { createHash } from 'node:crypto';
import type { ByteStream } from '../../transports/byte-stream';
import { HostError } from '../../errors/host-error';
import type { CborMap } from './cbor';
import { DEFAULT_BUF_COUNT, DEFAULT_BUF_SIZE, maxPacketForBuffer } from './chunk-budget';
import { runChunkedUpload, SmpTransferInterrupted } from './chunked-upload';
import { SmpDeviceError } from './errors';
import { FsCmd, ImageCmd, OsCmd, SettingsCmd, ShellCmd, SmpGroup, StatsCmd } from './groups';
import { SmpLink, type RequestOptions, type SmpLinkOptions, type SmpRequestOp } from './smp-link';

export type SmpClientOptions = SmpLinkOptions;
export type { RequestOptions };

export interface McumgrParams {
  /** Size of one SMP buffer on the device (bytes). */
  bufSize: number;
  /** Number of such buffers. */
  bufCount: number;
  /** False when the device does not implement the params command and defaults are assumed. */
  reported: boolean;
}

export interface ImageSlotState {
  image: number;
  slot: number;
  version: string;
  /** SHA-256 from the image's TLV, hex. */
  hash?: string;
  bootable: boolean;
  pending: boolean;
  confirmed: boolean;
  active: boolean;
  permanent: boolean;
}

export interface SlotInfo {
  image: number;
  slots: Array<{ slot: number; size: number; uploadImageId?: number }>;
  maxImageSize?: number;
}

export interface ImageUploadOptions {
  /** Image number (multi-image devices). Default 0. */
  image?: number;
  /** Ask the device to refuse images that are not newer. */
  upgrade?: boolean;
  /** Called with bytes the device has confirmed and the total. */
  onProgress?: (confirmed: number, total: number) => void;
  signal?: AbortSignal;
  /** Continue at this offset (e.g. SmpTransferInterrupted.confirmed). Without it the device's own session offset is used. */
  resumeFrom?: number;
  /** Chunks in flight at once. Default: the device's buf_count - 1, at least 1, at most maxInFlight. */
  window?: number;
  /** Timeout for the first chunk, when the device may erase the slot. Default 30 s. */
  firstChunkTimeoutMs?: number;
  /** Timeout for every other chunk. Default: the client's timeout. */
  chunkTimeoutMs?: number;
}

export interface ImageUploadResult {
  bytes: number;
  /** SHA-256 of the whole file, sent as the upload session id. */
  sha256: string;
  resumedFrom: number;
  chunks: number;
  chunkSize: number;
  window: number;
  rewinds: number;
  /** The device's verdict on the SHA-256, when it reports one. */
  match?: boolean;
}

export interface FsTransferOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  window?: number;
  timeoutMs?: number;
}

export interface FsHashResult {
  type: string;
  off: number;
  len: number;
  /** Hex for hashes (sha256), a number for checksums (crc32). */
  output: string | number;
}

export class SmpClient {
  private readonly link: SmpLink;
  private params: McumgrParams | null = null;

  constructor(stream: ByteStream, options: SmpClientOptions = {}) {
    this.link = new SmpLink(stream, options);
  }

  /** The SMP version in use (2 unless the device only speaks 1). */
  get version(): 1 | 2 {
    return this.link.version;
  }

  get isOpen(): boolean {
    return this.link.isOpen;
  }

  /** A raw request for commands this class has no method for. Throws SmpDeviceError on a device error. */
  request(op: SmpRequestOp, group: number, id: number, body: CborMap = {}, opts?: RequestOptions): Promise<CborMap> {
    return this.link.request(op, group, id, body, opts);
  }

  /** Detaches from the stream; the caller still owns and closes it. */
  close(): void {
    this.link.dispose();
  }

  // ---- OS group ----

  async echo(text: string, opts?: RequestOptions): Promise<string> {
    const r = await this.link.request('write', SmpGroup.OS, OsCmd.Echo, { d: text }, opts);
    return str(r.r, 'r', 'echo');
  }

  /** Resets the device. `force` overrides an application's veto; `bootMode` asks for e.g. the bootloader (Zephyr ≥ 3.5). */
  async reset(options: { force?: boolean; bootMode?: number } & RequestOptions = {}): Promise<void> {
    const body: CborMap = {};
    if (options.force) body.force = true;
    if (options.bootMode !== undefined) body.boot_mode = options.bootMode;
    await this.link.request('write', SmpGroup.OS, OsCmd.Reset, body, options);
  }

  /** The device's SMP buffer size and count; cached. Devices without the command get Zephyr's defaults. */
  async mcumgrParams(opts?: RequestOptions & { refresh?: boolean }): Promise<McumgrParams> {
    if (this.params && !opts?.refresh) return this.params;
    try {
      const r = await this.link.request('read', SmpGroup.OS, OsCmd.McumgrParams, {}, opts);
      this.params = { bufSize: uint(r.buf_size, 'buf_size', 'params'), bufCount: uint(r.buf_count, 'buf_count', 'params'), reported: true };
    } catch (err) {
      if (!(err instanceof SmpDeviceError && err.code === 'not-supported')) throw err;
      this.params = { bufSize: DEFAULT_BUF_SIZE, bufCount: DEFAULT_BUF_COUNT, reported: false };
    }
    return this.params;
  }

  /** OS/application info (uname-like). `format` letters: s n r v b m p i o a (Zephyr smp_group_0). */
  async osInfo(format?: string, opts?: RequestOptions): Promise<string> {
    const r = await this.link.request('read', SmpGroup.OS, OsCmd.Info, format === undefined ? {} : { format }, opts);
    return str(r.output, 'output', 'os info');
  }

  /** Bootloader info: without a query {bootloader: name}; query "mode" gives MCUboot's mode. */
  async bootloaderInfo(query?: string, opts?: RequestOptions): Promise<CborMap> {
    return this.link.request('read', SmpGroup.OS, OsCmd.BootloaderInfo, query === undefined ? {} : { query }, opts);
  }

  // ---- Image group ----

  async imageList(opts?: RequestOptions): Promise<ImageSlotState[]> {
    return parseImages(await this.link.request('read', SmpGroup.Image, ImageCmd.State, {}, opts));
  }

  /** Marks the image with `hash` to be tried on the next reset (reverts unless confirmed). */
  async imageTest(hash: Uint8Array | string, opts?: RequestOptions): Promise<ImageSlotState[]> {
    return parseImages(await this.link.request('write', SmpGroup.Image, ImageCmd.State, { hash: hashBytes(hash), confirm: false }, opts));
  }

  /** Confirms the running image (no hash) or makes the image with `hash` permanent. */
  async imageConfirm(hash?: Uint8Array | string, opts?: RequestOptions): Promise<ImageSlotState[]> {
    const body: CborMap = { confirm: true };
    if (hash !== undefined) body.hash = hashBytes(hash);
    return parseImages(await this.link.request('write', SmpGroup.Image, ImageCmd.State, body, opts));
  }

  /** Erases a slot (default 1, the secondary). */
  async imageErase(slot?: number, opts?: RequestOptions): Promise<void> {
    await this.link.request('write', SmpGroup.Image, ImageCmd.Erase, slot === undefined ? {} : { slot }, { timeoutMs: 30_000, ...opts });
  }

  async slotInfo(opts?: RequestOptions): Promise<SlotInfo[]> {
    const r = await this.link.request('read', SmpGroup.Image, ImageCmd.SlotInfo, {}, opts);
    return arr(r.images, 'images', 'slot info').map((x) => {
      const m = map(x, 'images[]', 'slot info');
      const slots = arr(m.slots, 'slots', 'slot info').map((s) => {
        const sm = map(s, 'slots[]', 'slot info');
        return { slot: uint(sm.slot, 'slot', 'slot info'), size: uint(sm.size, 'size', 'slot info'), ...(typeof sm.upload_image_id === 'number' ? { uploadImageId: sm.upload_image_id } : {}) };
      });
      return { image: uint(m.image, 'image', 'slot info'), slots, ...(typeof m.max_image_size === 'number' ? { maxImageSize: m.max_image_size } : {}) };
    });
  }

  /** Uploads an image to the secondary slot, pipelined, resumable; see ImageUploadOptions. */
  async imageUpload(data: Uint8Array, options: ImageUploadOptions = {}): Promise<ImageUploadResult> {
    if (data.length === 0) throw new HostError('invalid-params', 'The image file is empty.');
    const params = await this.mcumgrParams({ signal: options.signal });
    const sha = createHash('sha256').update(data).digest();
    const shaBytes = new Uint8Array(sha.buffer, sha.byteOffset, sha.byteLength);
    const window = this.windowFor(params, options.window);
    const firstTimeout = options.firstChunkTimeoutMs ?? 30_000;
    const chunkTimeout = options.chunkTimeoutMs ?? this.link.timeoutMs;
    const image = options.image ?? 0;
    const startAt = options.resumeFrom ?? 0;
    if (startAt < 0 || startAt >= data.length) throw new HostError('invalid-params', 'The resume offset is outside the image.', `resumeFrom ${startAt}, image ${data.length} bytes`);
    const r = await runChunkedUpload({
      data,
      fieldsAt: (off) =>
        off === 0
          ? { image: image === 0 ? undefined : image, len: data.length, off: 0, sha: shaBytes, upgrade: options.upgrade ? true : undefined }
          : { off },
      send: (body, off, signal) => this.link.request('write', SmpGroup.Image, ImageCmd.Upload, body, { signal, timeoutMs: off === 0 ? firstTimeout : chunkTimeout }),
      maxPacket: maxPacketForBuffer(params.bufSize),
      window,
      startAt,
      restartOnRejectedResume: true,
      onProgress: options.onProgress,
      signal: options.signal,
      what: 'the image upload',
    });
    if (r.last.match === false)
      throw new HostError('verification-failed', 'The device says the uploaded image does not match its SHA-256.', `sha256 ${sha.toString('hex')}`);
    return {
      bytes: data.length,
      sha256: sha.toString('hex'),
      resumedFrom: r.resumedFrom,
      chunks: r.chunks,
      chunkSize: r.chunkSize,
      window,
      rewinds: r.rewinds,
      ...(typeof r.last.match === 'boolean' ? { match: r.last.match } : {}),
    };
  }

  // ---- Stats group ----

  async statsList(opts?: RequestOptions): Promise<string[]> {
    const r = await this.link.request('read', SmpGroup.Stats, StatsCmd.List, {}, opts);
    return arr(r.stat_list, 'stat_list', 'stats list').map((x) => str(x, 'stat_list[]', 'stats list'));
  }

  async statsRead(group: string, opts?: RequestOptions): Promise<Record<string, number>> {
    const r = await this.link.request('read', SmpGroup.Stats, StatsCmd.Read, { name: group }, opts);
    const fields = map(r.fields, 'fields', 'stats read');
    for (const [k, v] of Object.entries(fields)) if (typeof v !== 'number') throw bad('stats read', `fields.${k}`, v);
    return fields as Record<string, number>;
  }

  // ---- Settings group ----

  async settingsRead(name: string, maxSize?: number, opts?: RequestOptions): Promise<Uint8Array> {
    const r = await this.link.request('read', SmpGroup.Settings, SettingsCmd.ReadWrite, { name, max_size: maxSize }, opts);
    if (!(r.val instanceof Uint8Array)) throw bad('settings read', 'val', r.val);
    return r.val;
  }

  /** Writes a setting; a string value is sent as its UTF-8 bytes. */
  async settingsWrite(name: string, value: Uint8Array | string, opts?: RequestOptions): Promise<void> {
    const val = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    await this.link.request('write', SmpGroup.Settings, SettingsCmd.ReadWrite, { name, val }, opts);
  }

  async settingsDelete(name: string, opts?: RequestOptions): Promise<void> {
    await this.link.request('write', SmpGroup.Settings, SettingsCmd.Delete, { name }, opts);
  }

  async settingsCommit(opts?: RequestOptions): Promise<void> {
    await this.link.request('write', SmpGroup.Settings, SettingsCmd.Commit, {}, opts);
  }

  async settingsLoad(opts?: RequestOptions): Promise<void> {
    await this.link.request('read', SmpGroup.Settings, SettingsCmd.LoadSave, {}, opts);
  }

  async settingsSave(opts?: RequestOptions): Promise<void> {
    await this.link.request('write', SmpGroup.Settings, SettingsCmd.LoadSave, {}, opts);
  }

  // ---- Shell group ----

  /** Runs a shell command line on the device; argv as an array, or a string split on whitespace. */
  async shellExec(argv: string[] | string, opts?: RequestOptions): Promise<{ output: string; ret: number }> {
    const args = typeof argv === 'string' ? argv.trim().split(/\s+/).filter(Boolean) : argv;
    const r = await this.link.request('write', SmpGroup.Shell, ShellCmd.Exec, { argv: args }, opts);
    const ret = typeof r.ret === 'number' ? r.ret : typeof r.rc === 'number' ? r.rc : 0;
    return { output: str(r.o, 'o', 'shell exec'), ret };
  }

  // ---- FS group ----

  async fsUpload(name: string, data: Uint8Array, options: FsTransferOptions = {}): Promise<void> {
    const params = await this.mcumgrParams({ signal: options.signal });
    await runChunkedUpload({
      data,
      fieldsAt: (off) => (off === 0 ? { len: data.length, name, off: 0 } : { name, off }),
      send: (body, _off, signal) => this.link.request('write', SmpGroup.FS, FsCmd.File, body, { signal, timeoutMs: options.timeoutMs }),
      maxPacket: maxPacketForBuffer(params.bufSize),
      window: this.windowFor(params, options.window),
      startAt: 0,
      restartOnRejectedResume: false,
      onProgress: options.onProgress,
      signal: options.signal,
      what: `the upload of ${name}`,
    });
  }

  async fsDownload(name: string, options: FsTransferOptions = {}): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let off = 0;
    let total = -1;
    for (;;) {
      if (options.signal?.aborted) throw new SmpTransferInterrupted(new HostError('cancelled', `The download of ${name} was cancelled.`), off, Math.max(total, 0));
      let r: CborMap;
      try {
        r = await this.link.request('read', SmpGroup.FS, FsCmd.File, { name, off }, { signal: options.signal, timeoutMs: options.timeoutMs });
      } catch (err) {
        const h = HostError.from(err);
        if (['device-gone', 'timeout', 'cancelled'].includes(h.code)) throw new SmpTransferInterrupted(h, off, Math.max(total, 0));
        throw err;
      }
      if (off === 0) total = uint(r.len, 'len', 'file download');
      if (uint(r.off, 'off', 'file download') !== off) throw bad('file download', 'off', r.off);
      if (!(r.data instanceof Uint8Array)) throw bad('file download', 'data', r.data);
      parts.push(r.data);
      off += r.data.length;
      options.onProgress?.(off, total);
      if (off >= total) break;
      if (r.data.length === 0) throw new HostError('protocol-error', `The device sent no data for ${name} before its end.`, `stopped at ${off} of ${total}`);
    }
    const out = new Uint8Array(off);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** File size on the device. */
  async fsStatus(name: string, opts?: RequestOptions): Promise<number> {
    const r = await this.link.request('read', SmpGroup.FS, FsCmd.Status, { name }, opts);
    return uint(r.len, 'len', 'file status');
  }

  /** Hash or checksum of a file (type "sha256" or "crc32"), optionally of a range. */
  async fsHash(name: string, type = 'sha256', range: { off?: number; len?: number } = {}, opts?: RequestOptions): Promise<FsHashResult> {
    const r = await this.link.request('read', SmpGroup.FS, FsCmd.HashChecksum, { name, type, off: range.off, len: range.len }, { timeoutMs: 30_000, ...opts });
    const out = r.output;
    const output = out instanceof Uint8Array ? Buffer.from(out).toString('hex') : typeof out === 'number' ? out : (() => { throw bad('file hash', 'output', out); })();
    return { type: str(r.type, 'type', 'file hash'), off: typeof r.off === 'number' ? r.off : 0, len: uint(r.len, 'len', 'file hash'), output };
  }

  private windowFor(params: McumgrParams, requested?: number): number {
    const w = requested ?? Math.max(1, params.bufCount - 1);
    return Math.max(1, Math.min(w, this.link.maxInFlight));
  }
}

function parseImages(r: CborMap): ImageSlotState[] {
  return arr(r.images, 'images', 'image state').map((x) => {
    const m = map(x, 'images[]', 'image state');
    return {
      image: typeof m.image === 'number' ? m.image : 0,
      slot: uint(m.slot, 'slot', 'image state'),
      version: str(m.version, 'version', 'image state'),
      ...(m.hash instanceof Uint8Array ? { hash: Buffer.from(m.hash).toString('hex') } : {}),
      bootable: m.bootable === true,
      pending: m.pending === true,
      confirmed: m.confirmed === true,
      active: m.active === true,
      permanent: m.permanent === true,
    };
  });
}

function hashBytes(h: Uint8Array | string): Uint8Array {
  if (h instanceof Uint8Array) return h;
  if (!/^[0-9a-fA-F]{64}$/.test(h)) throw new HostError('invalid-params', 'An image hash must be 64 hex digits (SHA-256).', `got "${h}"`);
  return Uint8Array.from(Buffer.from(h, 'hex'));
}

function bad(what: string, field: string, v: unknown): HostError {
  return new HostError('protocol-error', `The device's answer to ${what} is missing or has a bad "${field}".`, `${field} = ${v instanceof Uint8Array ? `bytes(${v.length})` : JSON.stringify(v)}`);
}
function str(v: unknown, field: string, what: string): string {
  if (typeof v !== 'string') throw bad(what, field, v);
  return v;
}
function uint(v: unknown, field: string, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad(what, field, v);
  return v;
}
function arr(v: unknown, field: string, what: string): unknown[] {
  if (!Array.isArray(v)) throw bad(what, field, v);
  return v;
}
function map(v: unknown, field: string, what: string): CborMap {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) throw bad(what, field, v);
  return v as CborMap;
}
