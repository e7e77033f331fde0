// A board sitting in U-Boot: its environment as the Config panel's settings
// (backed up before every change), single commands at debug-write, loady to
// RAM, and a firmware update through the board's flash recipe.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configRead, configWrite, deviceInfo, deviceReset, firmwareUpload } from '../../contract/catalog/common';
import { ubootCommand, ubootEnvBackups, ubootLoad } from '../../contract/catalog/uboot';
import type { ConfigEntry } from '../../contract/config';
import type { ByteStream } from '../transports/byte-stream';
import { latin1 } from '../transports/stream-reader';
import { HostError } from '../errors/host-error';
import type { ConsoleCapture } from '../console/console-capture';
import { UBootAdapter, FLASH_RECIPES, flashRecipeFor, type FlashRecipe, type StepProgress } from '../protocols/uboot';
import type { JobHandle } from '../jobs/job-engine';
import { consoleCommands } from '../console/console-commands';
import { bind, type AdapterSink, type BoundCommand, type DeviceAdapter } from './device-adapter';

const JOB_STEPS: Record<string, string> = {
  upload: 'Transfer',
  'verify-load': 'Verify CRC in RAM',
  unprotect: 'Unprotect flash',
  erase: 'Erase',
  write: 'Write flash',
  'verify-crc': 'Verify flash CRC',
  'verify-compare': 'Compare flash with RAM',
  reset: 'Reset and re-acquire',
};

export class UBootDeviceAdapter implements DeviceAdapter {
  readonly protocol = 'uboot';
  private ident: Record<string, string> = {};
  private offs: (() => void)[] = [];
  private closing = false;

  private constructor(
    private readonly link: ByteStream,
    private readonly uboot: UBootAdapter,
    private readonly capture: ConsoleCapture,
    private readonly sink: AdapterSink,
    private readonly backupDir: string,
  ) {
    this.offs.push(
      link.onData((chunk) => capture.push(latin1(chunk))),
      link.onClose((reason) => {
        if (this.closing) return;
        capture.note(`link lost: ${reason?.message ?? 'closed'}`);
        sink.lost(reason ?? new Error('link closed'));
      }),
    );
  }

  static async open(link: ByteStream, capture: ConsoleCapture, sink: AdapterSink, backupDir: string): Promise<UBootDeviceAdapter> {
    const a = new UBootDeviceAdapter(link, UBootAdapter.over(link), capture, sink, backupDir);
    try {
      const d = await a.uboot.detect({ timeoutMs: 20_000 });
      if (!d.detected) throw new HostError('protocol-error', 'No U-Boot prompt on this port.', d.evidence);
      if (d.stoppedAutoboot) capture.note('autoboot stopped at the U-Boot prompt');
      await a.refreshIdentity();
      return a;
    } catch (e) {
      await a.close();
      throw e;
    }
  }

  identity(): Record<string, string> {
    return { ...this.ident };
  }

  private async refreshIdentity(): Promise<Record<string, string>> {
    const v = await this.uboot.version();
    const env = await this.uboot.readEnv();
    const storage = await this.uboot.envStorage();
    const next: Record<string, string> = {
      firmware: `U-Boot ${v.version}`,
      board: env.vars.get('board_name') ?? env.vars.get('board') ?? 'unknown',
      environment: storage.saveable ? `saved in ${storage.location ?? 'storage'}` : `not saveable (${storage.location ?? 'no saveenv'})`,
    };
    if (env.vars.get('serial#')) next.serial = env.vars.get('serial#')!;
    if (JSON.stringify(next) !== JSON.stringify(this.ident)) {
      this.ident = next;
      this.sink.identityChanged(next);
    }
    return next;
  }

  /** The board's recipe, or a refusal saying why nothing will be written (no flash at all, or none fwbench knows how to write). */
  private async recipe(): Promise<FlashRecipe> {
    const r = flashRecipeFor(this.ident.board);
    if (r) return r;
    const known = `boards with a flash recipe: ${Object.keys(FLASH_RECIPES).join(', ')}`;
    const bd = await this.uboot.boardInfo().catch(() => null);
    const size = bd?.fields.get('flashsize');
    if (size !== undefined && Number(size) === 0)
      throw new HostError('not-supported', `The board "${this.ident.board}" has no flash that U-Boot can write (bdinfo: flashsize = ${size}); nothing was written.`, known);
    throw new HostError('not-supported', `fwbench has no flash recipe for the board "${this.ident.board}", so it will not guess where to write; nothing was written.`, `${size ? `bdinfo: flashsize = ${size}; ` : ''}${known}`);
  }

  private saveBackup(text: string, takenAt: string): string {
    mkdirSync(this.backupDir, { recursive: true, mode: 0o700 });
    const file = join(this.backupDir, `env-${takenAt.replace(/[:.]/g, '-')}.txt`);
    writeFileSync(file, text, { mode: 0o600 });
    return file;
  }

  commands(): readonly BoundCommand[] {
    return [
      bind(deviceInfo, async () => {
        const id = await this.refreshIdentity();
        const bd = await this.uboot.boardInfo();
        return { ...id, bdinfo: Object.fromEntries(bd.fields) };
      }),
      bind(configRead, async () => {
        const env = await this.uboot.readEnv();
        const entries: ConfigEntry[] = [...env.vars].map(([key, value]) => ({ key, value, type: 'string' }));
        return { entries, used: env.used, total: env.total };
      }),
      bind(configWrite, async (p) => {
        const changes = Object.fromEntries(Object.entries(p.changes).map(([k, v]) => [k, v === null ? null : String(v)]));
        let backupFile = '';
        const r = await this.uboot.applyEnvDiff(changes, {
          save: p.save,
          onBackup: (b) => {
            backupFile = this.saveBackup(b.text, b.takenAt);
          },
        });
        return { applied: r.applied, saved: r.saved, backupFile };
      }),
      bind(ubootEnvBackups, async () => {
        let files: string[] = [];
        try {
          files = readdirSync(this.backupDir).filter((f) => f.startsWith('env-')).sort().reverse();
        } catch {
          files = [];
        }
        return { dir: this.backupDir, files };
      }),
      bind(ubootCommand, async (p) => this.uboot.runCommand(p.command)),
      ...consoleCommands(this.link, this.capture),
      bind(deviceReset, async () => {
        const r = await this.uboot.reset();
        await this.refreshIdentity();
        return r;
      }),
      bind(ubootLoad, async (p, ctx) => {
        const job = ctx.job!;
        return job.step('Transfer and verify CRC', () => this.uboot.loadY(p.data, { name: p.name, signal: job.signal, onProgress: (x) => job.progress(x.bytes, x.total) }));
      }),
      bind(firmwareUpload, async (p, ctx) => this.flash(p.data, ctx.job!)),
    ];
  }

  /** One job, one step per phase of the recipe; nothing is erased when the loaded CRC does not match. */
  private async flash(image: Uint8Array, job: JobHandle): Promise<unknown> {
    const recipe = await job.step('Choose flash recipe', () => this.recipe());
    let current: { name: string; resolve: () => void; reject: (e: unknown) => void } | null = null;
    const open = (name: string) => {
      if (current?.name === name) return;
      current?.resolve();
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      current = { name, resolve, reject };
      void job.step(name, () => done).catch(() => {});
    };
    try {
      const result = await this.uboot.flashWrite(image, recipe, {
        signal: job.signal,
        onProgress: (x: StepProgress) => {
          open(JOB_STEPS[x.step] ?? x.step);
          job.progress(x.bytes, x.total);
        },
      });
      (current as { resolve: () => void } | null)?.resolve();
      await this.refreshIdentity();
      return result;
    } catch (e) {
      (current as { reject: (e: unknown) => void } | null)?.reject(e);
      throw e;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const off of this.offs) off();
    this.uboot.console.dispose();
    this.capture.flush();
    await this.link.close();
  }
}
