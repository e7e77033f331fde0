// SMP (MCUmgr) client over any ByteStream carrying the serial/console
// transport. One method per device command; each maps 1:1 onto a CLI verb
// (fwbench smp echo | reset | image list|upload|test|confirm | stats | settings ...).
import { createHash } from 'node:crypto';
import type { ByteStream } from '../../transports/byte-stream';
import { HostError } from '../../errors/host-error';
import type { CborMap } from './cbor';
import { DEFAULT_BUF_COUNT, DEFAULT_BUF_SIZE, maxDataThatFits, framesFor, maxPacketForBuffer, maxPacketForFrames, maxTextThatFits } from './chunk-budget';
import { runChunkedUpload, SmpTransferInterrupted } from './chunked-upload';
import { isNotSupportedAnswer, SmpDeviceError, SmpNotOffered } from './errors';
import { EnumCmd, FsCmd, ImageCmd, OsCmd, SettingsCmd, ShellCmd, SmpGroup, StatsCmd } from './groups';
import { describeCommand } from './commands';
import { SmpOp } from './header';
import { SmpCapabilities } from './capabilities';
import { SmpLink, type RequestOptions, type SmpLinkOptions, type SmpRequestOp } from './smp-link';

export interface SmpClientOptions extends SmpLinkOptions {
  /** How long a burst-size probe (a large echo) waits before it counts as dropped. Default 2500 ms. */
  probeTimeoutMs?: number;
  /** What the client learnt about the link and changed (a back-off), in plain words. */
  onNote?: (text: string) => void;
  /** Probe the longest request with an echo before the first large one (default true). */
  probeBurst?: boolean;
}

/** What discover() learnt on open. */
export interface SmpDiscovery {
  params: McumgrParams;
  /** Groups listed by the enum group, or null when the device has none (groups are then probed on use). */
  enumerated: readonly number[] | null;
  /** Largest request the client will send, and the serial frames it takes. */
  maxPacket: number;
  maxFrames: number;
  window: number;
}

const MCUBOOT_HEADER_BYTES = 32;

/** Commands every build of their group has: MGMT_ERR_ENOTSUP to one of them means the group is absent. */
const CORE_COMMANDS = new Set([`${SmpGroup.Image}:${ImageCmd.State}:read`, `${SmpGroup.Stats}:${StatsCmd.List}:read`, `${SmpGroup.FS}:${FsCmd.File}:read`, `${SmpGroup.FS}:${FsCmd.File}:write`, `${SmpGroup.Shell}:${ShellCmd.Exec}:write`, `${SmpGroup.Settings}:${SettingsCmd.ReadWrite}:read`, `${SmpGroup.Settings}:${SettingsCmd.ReadWrite}:write`, `${SmpGroup.Enum}:${EnumCmd.List}:read`]);
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
  /** Back-offs and other changes during the transfer, in plain words (the job log). */
  onNote?: (text: string) => void;
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
  /** Times the transfer backed off to smaller requests after an unanswered chunk. */
  backoffs: number;
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
  /** What the device offers, learnt from the enum group or from its answers. */
  readonly capabilities = new SmpCapabilities();
  /** Frames per request after a back-off or a burst probe; null: only buf_size limits. */
  private frameLimit: number | null = null;
  private probed: boolean;
  /** Why requests are smaller than buf_size allows, for the job log. */
  private limitReason: string | null = null;
  private readonly probeTimeoutMs: number;
  private readonly onNote: (text: string) => void;

  constructor(stream: ByteStream, options: SmpClientOptions = {}) {
    this.link = new SmpLink(stream, options);
    this.probeTimeoutMs = options.probeTimeoutMs ?? 2500;
    this.probed = options.probeBurst === false;
    this.onNote = options.onNote ?? (() => {});
  }

  /**
   * Learns what the device offers: MCUmgr params (buf_size, buf_count), the
   * enum group's list where there is one, and how long a request the link
   * carries (a burst probe). Nothing here fails on an absent group.
   */
  async discover(opts: RequestOptions = {}): Promise<SmpDiscovery> {
    const params = await this.mcumgrParams({ ...opts, refresh: true });
    try {
      const r = await this.call('read', SmpGroup.Enum, EnumCmd.List, {}, opts);
      const groups = Array.isArray(r.groups) ? r.groups.filter((g): g is number => typeof g === 'number' && Number.isInteger(g) && g >= 0) : null;
      if (groups) this.capabilities.setListed(groups);
    } catch (e) {
      if (!(e instanceof SmpDeviceError)) throw e;
      // No enum group (or it refused): groups are learnt from their answers.
    }
    await this.probeBurst(opts);
    return { params, enumerated: this.capabilities.enumerated, maxPacket: this.maxPacket(), maxFrames: framesFor(this.maxPacket()), window: this.windowFor(params) };
  }

  /** Largest SMP packet the client sends: the device's buffer, and the frame limit a back-off set. */
  maxPacket(): number {
    const byBuffer = maxPacketForBuffer(this.params?.bufSize ?? DEFAULT_BUF_SIZE);
    return this.frameLimit === null ? byBuffer : Math.min(byBuffer, maxPacketForFrames(this.frameLimit));
  }

  /** The limits in force beyond buf_size, and why; null when only the buffer limits requests. */
  get linkLimits(): string | null {
    if (this.limitReason === null) return null;
    return `requests limited to ${this.frameLimit} serial frame${this.frameLimit === 1 ? '' : 's'} (${this.maxPacket()} bytes), ${this.link.maxInFlight} in flight, because ${this.limitReason}`;
  }

  /** Longest echo text (UTF-8 bytes) the device's buffer carries both ways. */
  async maxEchoBytes(opts?: RequestOptions): Promise<number> {
    await this.mcumgrParams(opts);
    return echoLimit(this.maxPacket());
  }

  /**
   * Fewer frames per request and one request in flight, after the device left
   * one unanswered. Returns what changed, or null at the floor (1 frame, 1 request).
   */
  backOff(): string | null {
    const frames = framesFor(this.maxPacket());
    const wasWindow = this.link.maxInFlight;
    if (frames <= 1 && wasWindow <= 1) return null;
    this.frameLimit = Math.max(1, Math.floor(frames / 2));
    this.link.maxInFlight = 1;
    this.link.maxPacket = this.maxPacket();
    this.limitReason = `the device left a ${frames}-frame request unanswered`;
    return `requests of at most ${this.frameLimit} serial frame${this.frameLimit === 1 ? '' : 's'} (${this.maxPacket()} bytes) instead of ${frames}, one at a time${wasWindow > 1 ? ` instead of ${wasWindow}` : ''}`;
  }

  /**
   * A device's UART RX pool may drop a request longer than a few frames sent
   * back to back. An echo as long as the longest request shows it at once
   * (echo is answered at once; an upload chunk may wait out a flash erase):
   * unanswered, the client backs off and asks again, smaller.
   */
  private async probeBurst(opts: RequestOptions = {}): Promise<void> {
    if (this.probed) return;
    this.probed = true;
    for (let i = 0; i < 8; i++) {
      const frames = framesFor(this.maxPacket());
      if (frames <= 1) return;
      const n = echoLimit(this.maxPacket());
      try {
        await this.link.request('write', SmpGroup.OS, OsCmd.Echo, { d: 'f'.repeat(n) }, { ...opts, timeoutMs: this.probeTimeoutMs });
        return;
      } catch (e) {
        if (HostError.from(e).code !== 'timeout') return; // no echo, or refused: nothing to learn here
        const change = this.backOff();
        if (!change) return;
        this.onNote(`a ${frames}-frame echo went unanswered (the device drops long bursts); ${change}`);
      }
    }
  }

  /** A request from a client method: ENOTSUP becomes "not offered", and what the device has is noted. */
  private async call(op: SmpRequestOp, group: number, id: number, body: CborMap, opts?: RequestOptions): Promise<CborMap> {
    try {
      const r = await this.link.request(op, group, id, body, opts);
      this.capabilities.sawGroup(group);
      return r;
    } catch (e) {
      if (isNotSupportedAnswer(e)) {
        this.capabilities.commandAbsent(group, id, op);
        if (CORE_COMMANDS.has(`${group}:${id}:${op}`)) this.capabilities.groupAbsent(group);
        throw new SmpNotOffered(e.smp, describeCommand(group, id, op === 'read' ? SmpOp.Read : SmpOp.Write));
      }
      if (e instanceof SmpDeviceError) this.capabilities.sawGroup(group);
      throw e;
    }
  }

  /** The params read so far (null before the first mcumgrParams()). */
  get knownParams(): McumgrParams | null {
    return this.params ? { ...this.params } : null;
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
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > 64) {
      const max = await this.maxEchoBytes(opts);
      if (bytes > max)
        throw new HostError('invalid-params', `The device's SMP buffer carries at most ${max} bytes of echo text; this text is ${bytes}.`, `buf_size ${this.params!.bufSize}${this.frameLimit !== null ? `, ${this.frameLimit} frames per request` : ''}`);
    }
    const r = await this.call('write', SmpGroup.OS, OsCmd.Echo, { d: text }, opts);
    return str(r.r, 'r', 'echo');
  }

  /** Resets the device. `force` overrides an application's veto; `bootMode` asks for e.g. the bootloader (Zephyr ≥ 3.5). */
  async reset(options: { force?: boolean; bootMode?: number } & RequestOptions = {}): Promise<void> {
    const body: CborMap = {};
    if (options.force) body.force = true;
    if (options.bootMode !== undefined) body.boot_mode = options.bootMode;
    await this.call('write', SmpGroup.OS, OsCmd.Reset, body, options);
  }

  /** The device's SMP buffer size and count; cached. Devices without the command get Zephyr's defaults. */
  async mcumgrParams(opts?: RequestOptions & { refresh?: boolean }): Promise<McumgrParams> {
    if (this.params && !opts?.refresh) return this.params;
    try {
      const r = await this.call('read', SmpGroup.OS, OsCmd.McumgrParams, {}, opts);
      const bufSize = uint(r.buf_size, 'buf_size', 'params');
      if (bufSize < 32) throw bad('params', 'buf_size', r.buf_size);
      // buf_count is optional in practice (older servers send buf_size only).
      const bufCount = r.buf_count === undefined ? DEFAULT_BUF_COUNT : Math.max(1, uint(r.buf_count, 'buf_count', 'params'));
      this.params = { bufSize, bufCount, reported: true };
    } catch (err) {
      if (!(err instanceof SmpDeviceError)) throw err;
      this.params = { bufSize: DEFAULT_BUF_SIZE, bufCount: DEFAULT_BUF_COUNT, reported: false };
    }
    // Never more than the device declared (or Zephyr's default when it declares nothing).
    this.link.maxPacket = this.maxPacket();
    return this.params;
  }

  /** OS/application info (uname-like). `format` letters: s n r v b m p i o a (Zephyr smp_group_0). */
  async osInfo(format?: string, opts?: RequestOptions): Promise<string> {
    const r = await this.call('read', SmpGroup.OS, OsCmd.Info, format === undefined ? {} : { format }, opts);
    return str(r.output, 'output', 'os info');
  }

  /** Bootloader info: without a query {bootloader: name}; query "mode" gives MCUboot's mode. */
  async bootloaderInfo(query?: string, opts?: RequestOptions): Promise<CborMap> {
    return this.call('read', SmpGroup.OS, OsCmd.BootloaderInfo, query === undefined ? {} : { query }, opts);
  }

  // ---- Image group ----

  async imageList(opts?: RequestOptions): Promise<ImageSlotState[]> {
    return parseImages(await this.call('read', SmpGroup.Image, ImageCmd.State, {}, opts));
  }

  /** Marks the image with `hash` to be tried on the next reset (reverts unless confirmed). */
  async imageTest(hash: Uint8Array | string, opts?: RequestOptions): Promise<ImageSlotState[]> {
    return parseImages(await this.call('write', SmpGroup.Image, ImageCmd.State, { hash: hashBytes(hash), confirm: false }, opts));
  }

  /** Confirms the running image (no hash) or makes the image with `hash` permanent. */
  async imageConfirm(hash?: Uint8Array | string, opts?: RequestOptions): Promise<ImageSlotState[]> {
    const body: CborMap = { confirm: true };
    if (hash !== undefined) body.hash = hashBytes(hash);
    return parseImages(await this.call('write', SmpGroup.Image, ImageCmd.State, body, opts));
  }

  /** Erases a slot (default 1, the secondary). */
  async imageErase(slot?: number, opts?: RequestOptions): Promise<void> {
    await this.call('write', SmpGroup.Image, ImageCmd.Erase, slot === undefined ? {} : { slot }, { timeoutMs: 30_000, ...opts });
  }

  async slotInfo(opts?: RequestOptions): Promise<SlotInfo[]> {
    const r = await this.call('read', SmpGroup.Image, ImageCmd.SlotInfo, {}, opts);
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
    await this.probeBurst({ signal: options.signal });
    const sha = createHash('sha256').update(data).digest();
    const shaBytes = new Uint8Array(sha.buffer, sha.byteOffset, sha.byteLength);
    const firstTimeout = options.firstChunkTimeoutMs ?? 30_000;
    const chunkTimeout = options.chunkTimeoutMs ?? this.link.timeoutMs;
    const image = options.image ?? 0;
    const startAt = options.resumeFrom ?? 0;
    if (startAt < 0 || startAt >= data.length) throw new HostError('invalid-params', 'The resume offset is outside the image.', `resumeFrom ${startAt}, image ${data.length} bytes`);
    const r = await runChunkedUpload({
      data,
      fieldsAt: (off) => {
        if (off !== 0) return { off };
        const first = { image: image === 0 ? undefined : image, len: data.length, off: 0, sha: shaBytes, upgrade: options.upgrade ? true : undefined };
        // img_mgmt wants the whole 32-byte MCUboot header in the first chunk; on a
        // one-frame link the optional "sha" (32 bytes) would leave less: leave it out.
        return maxDataThatFits(first, this.maxPacket()) >= MCUBOOT_HEADER_BYTES ? first : { ...first, sha: undefined };
      },
      send: (body, off, signal) => this.call('write', SmpGroup.Image, ImageCmd.Upload, body, { signal, timeoutMs: off === 0 ? firstTimeout : chunkTimeout }),
      maxPacket: () => this.maxPacket(),
      window: () => this.windowFor(params, options.window),
      backOff: () => this.backOff(),
      onNote: options.onNote,
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
      window: this.windowFor(params, options.window),
      rewinds: r.rewinds,
      backoffs: r.backoffs,
      ...(typeof r.last.match === 'boolean' ? { match: r.last.match } : {}),
    };
  }

  // ---- Stats group ----

  async statsList(opts?: RequestOptions): Promise<string[]> {
    const r = await this.call('read', SmpGroup.Stats, StatsCmd.List, {}, opts);
    return arr(r.stat_list, 'stat_list', 'stats list').map((x) => str(x, 'stat_list[]', 'stats list'));
  }

  async statsRead(group: string, opts?: RequestOptions): Promise<Record<string, number>> {
    const r = await this.call('read', SmpGroup.Stats, StatsCmd.Read, { name: group }, opts);
    const fields = map(r.fields, 'fields', 'stats read');
    for (const [k, v] of Object.entries(fields)) if (typeof v !== 'number') throw bad('stats read', `fields.${k}`, v);
    return fields as Record<string, number>;
  }

  // ---- Settings group ----

  async settingsRead(name: string, maxSize?: number, opts?: RequestOptions): Promise<Uint8Array> {
    const r = await this.call('read', SmpGroup.Settings, SettingsCmd.ReadWrite, { name, max_size: maxSize }, opts);
    if (!(r.val instanceof Uint8Array)) throw bad('settings read', 'val', r.val);
    return r.val;
  }

  /** Writes a setting; a string value is sent as its UTF-8 bytes. */
  async settingsWrite(name: string, value: Uint8Array | string, opts?: RequestOptions): Promise<void> {
    const val = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    await this.call('write', SmpGroup.Settings, SettingsCmd.ReadWrite, { name, val }, opts);
  }

  async settingsDelete(name: string, opts?: RequestOptions): Promise<void> {
    await this.call('write', SmpGroup.Settings, SettingsCmd.Delete, { name }, opts);
  }

  async settingsCommit(opts?: RequestOptions): Promise<void> {
    await this.call('write', SmpGroup.Settings, SettingsCmd.Commit, {}, opts);
  }

  async settingsLoad(opts?: RequestOptions): Promise<void> {
    await this.call('read', SmpGroup.Settings, SettingsCmd.LoadSave, {}, opts);
  }

  async settingsSave(opts?: RequestOptions): Promise<void> {
    await this.call('write', SmpGroup.Settings, SettingsCmd.LoadSave, {}, opts);
  }

  // ---- Shell group ----

  /** Runs a shell command line on the device; argv as an array, or a string split on whitespace. */
  async shellExec(argv: string[] | string, opts?: RequestOptions): Promise<{ output: string; ret: number }> {
    const args = typeof argv === 'string' ? argv.trim().split(/\s+/).filter(Boolean) : argv;
    const r = await this.call('write', SmpGroup.Shell, ShellCmd.Exec, { argv: args }, opts);
    const ret = typeof r.ret === 'number' ? r.ret : typeof r.rc === 'number' ? r.rc : 0;
    return { output: str(r.o, 'o', 'shell exec'), ret };
  }

  // ---- FS group ----

  async fsUpload(name: string, data: Uint8Array, options: FsTransferOptions = {}): Promise<void> {
    const params = await this.mcumgrParams({ signal: options.signal });
    await runChunkedUpload({
      data,
      fieldsAt: (off) => (off === 0 ? { len: data.length, name, off: 0 } : { name, off }),
      send: (body, _off, signal) => this.call('write', SmpGroup.FS, FsCmd.File, body, { signal, timeoutMs: options.timeoutMs }),
      maxPacket: () => this.maxPacket(),
      window: () => this.windowFor(params, options.window),
      backOff: () => this.backOff(),
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
        r = await this.call('read', SmpGroup.FS, FsCmd.File, { name, off }, { signal: options.signal, timeoutMs: options.timeoutMs });
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
    const r = await this.call('read', SmpGroup.FS, FsCmd.Status, { name }, opts);
    return uint(r.len, 'len', 'file status');
  }

  /** Hash or checksum of a file (type "sha256" or "crc32"), optionally of a range. */
  async fsHash(name: string, type = 'sha256', range: { off?: number; len?: number } = {}, opts?: RequestOptions): Promise<FsHashResult> {
    const r = await this.call('read', SmpGroup.FS, FsCmd.HashChecksum, { name, type, off: range.off, len: range.len }, { timeoutMs: 30_000, ...opts });
    const out = r.output;
    const output = out instanceof Uint8Array ? Buffer.from(out).toString('hex') : typeof out === 'number' ? out : (() => { throw bad('file hash', 'output', out); })();
    return { type: str(r.type, 'type', 'file hash'), off: typeof r.off === 'number' ? r.off : 0, len: uint(r.len, 'len', 'file hash'), output };
  }

  private windowFor(params: McumgrParams, requested?: number): number {
    const w = requested ?? Math.max(1, params.bufCount - 1);
    return Math.max(1, Math.min(w, this.link.maxInFlight));
  }
}

/**
 * Echo text that fits both ways: the request {d}, and the answer {r}, which a
 * zcbor-built server writes as an indefinite-length map (one byte more: the
 * 0xff break).
 */
function echoLimit(maxPacket: number): number {
  return Math.min(maxTextThatFits('d', maxPacket), maxTextThatFits('r', maxPacket - 1));
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
