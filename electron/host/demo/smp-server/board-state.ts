// What the demo board's SMP server manages. The board owns this object (it
// updates stats, reacts to resets, answers shell commands); the handlers read
// and change it. Image slots behave like MCUboot's swap mode: slot 0 runs,
// an upload lands in slot 1, "test" swaps on the next reset and reverts on the
// reset after unless the new image was confirmed; "confirm" makes it permanent.
import { inspectImage, type ImageFacts } from './mcuboot-image';

export interface ImageSlot extends ImageFacts {
  data: Uint8Array;
}

export interface UploadSession {
  len: number;
  off: number;
  sha?: Uint8Array;
  data: Uint8Array;
}

export type ResetOutcome = 'swapped-test' | 'swapped-permanent' | 'reverted' | 'plain';

/**
 * How the bootloader treats the slots. 'swap': MCUboot swap (test, confirm,
 * revert). 'direct-xip' (without revert) and 'ram-load': both slots are
 * bootable in place, the bootloader boots the highest valid version, and there
 * is no trial boot — Zephyr's img_mgmt then has no test/confirm to offer
 * (the demo answers MGMT_ERR_ENOTSUP to a test, as such a build does).
 */
export type BootMode = 'swap' | 'direct-xip' | 'ram-load';

/** MCUboot mode numbers of bootloader info (Zephyr smp_group_0, query "mode"). */
export const MCUBOOT_MODE_NUMBER: Record<BootMode, number> = { swap: 1, 'direct-xip': 4, 'ram-load': 6 };

export interface OsIdentity {
  kernel: string;
  node: string;
  release: string;
  version: string;
  build: string;
  machine: string;
  processor: string;
  platform: string;
  os: string;
}

export interface SmpBoardStateOptions {
  initialImage: Uint8Array;
  slotSize?: number;
  bufSize?: number;
  bufCount?: number;
  /** Default 'swap'. */
  bootMode?: BootMode;
  /** Refuse uploads without an MCUboot header, as Zephyr's img_mgmt does. Default true. */
  requireMcubootHeader?: boolean;
  identity?: Partial<OsIdentity>;
  shell?: (argv: string[]) => { output: string; ret: number };
}

export class SmpBoardState {
  slotSize: number;
  bufSize: number;
  bufCount: number;
  requireMcubootHeader: boolean;
  readonly bootMode: BootMode;
  /** slots[0] is always the running image; this is the flash slot it sits in (1 after a direct-xip switch). */
  runningSlot: 0 | 1 = 0;
  slots: [ImageSlot, ImageSlot | null];
  /** Slot 1 marked for the next boot: once (test) or for good (permanent). */
  pending: 'none' | 'test' | 'permanent' = 'none';
  /** False right after a test swap, until confirmed. */
  activeConfirmed = true;
  upload: UploadSession | null = null;
  settings = new Map<string, Uint8Array>();
  savedSettings = new Map<string, Uint8Array>();
  stats = new Map<string, Map<string, number>>();
  files = new Map<string, Uint8Array>();
  identity: OsIdentity;
  shell: (argv: string[]) => { output: string; ret: number };
  /** Return false to veto a non-forced reset (e.g. while the board is busy). */
  allowReset: () => boolean = () => true;
  onCommit: () => void = () => {};
  bootCount = 1;
  private resetListeners = new Set<(outcome: ResetOutcome) => void>();

  constructor(o: SmpBoardStateOptions) {
    this.slotSize = o.slotSize ?? 512 * 1024;
    this.bufSize = o.bufSize ?? 2048;
    this.bufCount = o.bufCount ?? 4;
    this.requireMcubootHeader = o.requireMcubootHeader ?? true;
    this.bootMode = o.bootMode ?? 'swap';
    this.slots = [slotOf(o.initialImage), null];
    this.identity = {
      kernel: 'Zephyr',
      node: 'fwbench-demo',
      release: '3.7.0',
      version: 'demo-build',
      build: 'Jan  1 2025 00:00:00',
      machine: 'arm',
      processor: 'cortex-m4',
      platform: 'fwbench_demo_board',
      os: 'Zephyr',
      ...o.identity,
    };
    this.shell = o.shell ?? ((argv) => ({ output: `${argv[0]}: command not found\n`, ret: -127 }));
  }

  get running(): ImageSlot {
    return this.slots[0];
  }

  /** Adds to a counter; creates the group and counter as needed. */
  bumpStat(group: string, name: string, by = 1): void {
    let g = this.stats.get(group);
    if (!g) this.stats.set(group, (g = new Map()));
    g.set(name, (g.get(name) ?? 0) + by);
  }

  onReset(listener: (outcome: ResetOutcome) => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  /** The flash slot an upload lands in. */
  get updateSlot(): 0 | 1 {
    return this.bootMode === 'swap' ? 1 : this.runningSlot === 0 ? 1 : 0;
  }

  /** What MCUboot does at boot, then the application's RAM state is gone. */
  reset(): ResetOutcome {
    let outcome: ResetOutcome = 'plain';
    const [s0, s1] = this.slots;
    if (this.bootMode !== 'swap') {
      // No swap, no trial: the bootloader runs the newest image, wherever it is.
      if (s1 && compareParts(s1.parts, s0.parts) > 0) {
        this.slots = [s1, s0];
        this.runningSlot = this.runningSlot === 0 ? 1 : 0;
        outcome = 'swapped-permanent';
      }
      this.activeConfirmed = true;
    } else if (this.pending !== 'none' && s1) {
      this.slots = [s1, s0];
      outcome = this.pending === 'test' ? 'swapped-test' : 'swapped-permanent';
      this.activeConfirmed = this.pending === 'permanent';
    } else if (!this.activeConfirmed && s1) {
      this.slots = [s1, s0];
      this.activeConfirmed = true;
      outcome = 'reverted';
    }
    this.pending = 'none';
    this.upload = null;
    this.bootCount++;
    for (const l of this.resetListeners) l(outcome);
    return outcome;
  }
}

function compareParts(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

export function slotOf(data: Uint8Array): ImageSlot {
  return { ...inspectImage(data), data };
}
