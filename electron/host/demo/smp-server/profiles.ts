// SMP servers as they really come, for the demo board and the client matrix
// tests. Each profile is a model of a real build (Zephyr Kconfig choices and
// hardware limits), not proof that such a device works: the client must also
// hold against servers nobody modelled, so it follows the spec, not these.
import type { SmpBoardStateOptions } from './board-state';
import { GROUP } from './rc';
import type { SmpServerOptions } from './server';

export interface SmpDeviceProfile {
  name: string;
  summary: string;
  state: Pick<SmpBoardStateOptions, 'bufSize' | 'bufCount' | 'bootMode'>;
  server: Pick<SmpServerOptions, 'groups' | 'rxPoolFrames' | 'latencyMs' | 'encoding' | 'v1Only'>;
}

const { OS, IMAGE, STAT, SETTINGS, FS, SHELL, ENUM } = GROUP;

export const SMP_DEVICE_PROFILES = {
  /** Everything on, a roomy buffer: the demo board's default. */
  full: {
    name: 'full',
    summary: 'all groups incl. enum, buf_size 2048 × 4, MCUboot swap',
    state: { bufSize: 2048, bufCount: 4, bootMode: 'swap' },
    server: { groups: [OS, IMAGE, STAT, SETTINGS, FS, SHELL, ENUM] },
  },
  /** MCUmgr for shell and stats only: no image group, no enum group (image state answers rc 8). */
  'no-img': {
    name: 'no-img',
    summary: 'os, stat, settings, fs, shell only (no img, no enum), buf_size 384',
    state: { bufSize: 384, bufCount: 2, bootMode: 'swap' },
    server: { groups: [OS, STAT, SETTINGS, FS, SHELL] },
  },
  /** A small Cortex-M0: Zephyr's default 384-byte buffer, one of them, and a 2-frame UART RX pool. */
  'm0-384': {
    name: 'm0-384',
    summary: 'buf_size 384 × 1, RX pool of 2 frames (longer bursts are dropped), 2 ms latency, no enum, MCUboot swap',
    state: { bufSize: 384, bufCount: 1, bootMode: 'swap' },
    server: { groups: [OS, IMAGE, STAT, SETTINGS, FS, SHELL], rxPoolFrames: 2, latencyMs: 2 },
  },
  /** A big buffer: echo and upload chunks near 2 KiB. */
  'buf-2048': {
    name: 'buf-2048',
    summary: 'buf_size 2048 × 4, all groups, MCUboot swap',
    state: { bufSize: 2048, bufCount: 4, bootMode: 'swap' },
    server: { groups: [OS, IMAGE, STAT, SETTINGS, FS, SHELL, ENUM] },
  },
  /** MCUboot direct-xip without revert: no trial boot; image test answers ENOTSUP. */
  'direct-xip': {
    name: 'direct-xip',
    summary: 'MCUboot direct-xip without revert: image test answers ENOTSUP, the bootloader boots the newest image',
    state: { bufSize: 1024, bufCount: 2, bootMode: 'direct-xip' },
    server: { groups: [OS, IMAGE, STAT, SETTINGS, FS, SHELL, ENUM] },
  },
  /** MCUboot RAM load: same as direct-xip for an update tool. */
  'ram-load': {
    name: 'ram-load',
    summary: 'MCUboot RAM load: image test answers ENOTSUP, the bootloader loads the newest image',
    state: { bufSize: 1024, bufCount: 2, bootMode: 'ram-load' },
    server: { groups: [OS, IMAGE, STAT, SETTINGS, FS, SHELL] },
  },
  /** An older SMP v1 server that writes zcbor's indefinite-length maps and arrays and keys nobody asked for. */
  'zcbor-v1': {
    name: 'zcbor-v1',
    summary: 'SMP v1 only, indefinite-length CBOR, unknown keys in every map, buf_size 512',
    state: { bufSize: 512, bufCount: 2, bootMode: 'swap' },
    server: { groups: [OS, IMAGE, STAT, SETTINGS, FS, SHELL], encoding: 'zcbor', v1Only: true },
  },
} satisfies Record<string, SmpDeviceProfile>;

export type SmpProfileName = keyof typeof SMP_DEVICE_PROFILES;
