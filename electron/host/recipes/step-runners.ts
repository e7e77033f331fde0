// What each step type does. Every device command goes through RunDevice (the
// router); a step returns a small result for the checkpoint and the audit.
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import type { Scope } from '../../contract/scopes';
import type { RecipeStepType } from '../../contract/recipes';
import { HostError } from '../errors/host-error';
import { parseProfile } from '../profiles/profile-format';
import { applyProfile } from '../profiles/profile-ops';
import type { ProfileStore } from '../profiles/profile-store';
import type { Actor, ConfigDevice } from '../profiles/config-device';
import { catalogDecl } from './catalog-index';
import { checkExpectations } from './expectations';
import { describeMismatch, sleep, type RunDevice } from './run-device';
import type { StepNeeds } from './recipe-plan';
import type { LoadedRecipe } from './recipe-source';
import type { StepOf } from './recipe-schema';
import { resolveParams } from './step-params';

export interface StepContext {
  dev: RunDevice;
  loaded: LoadedRecipe;
  index: number;
  needs: StepNeeds;
  signal: AbortSignal;
  progress(done: number, total: number): void;
  profiles: ProfileStore;
  actor: Actor;
  /** "recipe NAME run ID", for the config journal. */
  source: string;
}

type Runners = { [T in RecipeStepType]: (step: StepOf<T>, ctx: StepContext) => Promise<unknown> };

const where = (ctx: StepContext, step: { type: string }) => `Step ${ctx.index + 1} (${step.type})`;
const scopeOf = (ctx: StepContext, id: string): Scope => ctx.needs.commandScopes[id] ?? 'configuration';

/** Runs a catalog command; job commands are waited for. */
async function runCommand(ctx: StepContext, id: string, params: unknown): Promise<unknown> {
  if (catalogDecl(id)?.job) {
    const job = await ctx.dev.runJob(id, scopeOf(ctx, id), params, (j) => ctx.progress(j.done, j.total), ctx.signal);
    return { jobId: job.id, result: job.result };
  }
  return ctx.dev.run(id, scopeOf(ctx, id), params);
}

function expectAll(ctx: StepContext, step: { type: string; command: string; expect?: Parameters<typeof checkExpectations>[1] }, result: unknown) {
  const outcomes = checkExpectations(result, step.expect ?? []);
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length) throw new HostError('verification-failed', `${where(ctx, step)}: ${step.command} ${failed.map((f) => f.why).join('; ')}.`, JSON.stringify(outcomes));
  return outcomes;
}

function configDevice(ctx: StepContext): ConfigDevice {
  const d = ctx.dev;
  return {
    deviceId: d.deviceId,
    label: d.label,
    kind: d.device?.kind ?? 'serial',
    protocol: d.device?.protocol ?? 'unknown',
    identity: d.session?.identity ?? {},
    run: (id, scope, params) => d.run(id, scope, params),
  };
}

export const STEP_RUNNERS: Runners = {
  async 'wait-device'(step, ctx) {
    if (step.device && step.device !== ctx.dev.deviceId) throw new HostError('bad-request', `${where(ctx, step)} waits for ${step.device}, but this run is on ${ctx.dev.deviceId}.`);
    const device = await ctx.dev.waitPresent((step.timeoutSeconds ?? 60) * 1000, ctx.signal);
    for (const match of [ctx.loaded.recipe.device, step.match]) {
      const why = match && describeMismatch(device, match);
      if (why) throw new HostError('bad-request', `${where(ctx, step)}: ${device.label} ${why}.`);
    }
    const s = await ctx.dev.ensureSession(ctx.signal, (step.timeoutSeconds ?? 60) * 1000);
    return { deviceId: device.id, label: device.label, protocol: device.protocol, identity: s.identity };
  },

  async reset(step, ctx) {
    const id = step.command ?? 'device.reset';
    return runCommand(ctx, id, await resolveParams(step.params ?? {}, ctx.loaded.files, where(ctx, step)));
  },

  async 'expect-console'(step, ctx) {
    const re = new RegExp(step.pattern);
    if (step.includeHistory) {
      const { text } = await ctx.dev.run<{ text: string }>('console.history', scopeOf(ctx, 'console.history'), {});
      const m = re.exec(text);
      if (m) return { matched: m[0], from: 'history' };
    }
    const deadline = Date.now() + (step.timeoutSeconds ?? 30) * 1000;
    for (;;) {
      const from = ctx.dev.consoleCursor;
      const m = re.exec(ctx.dev.consoleSince(from));
      if (m) {
        ctx.dev.consoleCursor = from + m.index + m[0].length;
        return { matched: m[0] };
      }
      if (Date.now() >= deadline) {
        const tail = ctx.dev.consoleSince(from).slice(-300);
        throw new HostError('timeout', `${where(ctx, step)}: the console did not show /${step.pattern}/ within ${step.timeoutSeconds ?? 30} s.`, tail ? `last output: ${JSON.stringify(tail)}` : 'no console output arrived');
      }
      await sleep(100, ctx.signal);
    }
  },

  async 'stop-autoboot'(step, ctx) {
    // Opening a U-Boot session stops the countdown (the adapter sends the key
    // and waits for the prompt); this step makes that explicit and proves it.
    if (ctx.dev.device?.protocol !== 'uboot') throw new HostError('not-supported', `${where(ctx, step)}: ${ctx.dev.label} speaks ${ctx.dev.device?.protocol ?? 'an unknown protocol'}; stopping autoboot applies to U-Boot boards.`);
    const info = await ctx.dev.run<Record<string, unknown>>('device.info', scopeOf(ctx, 'device.info'), {});
    const firmware = String(info.firmware ?? '');
    if (!/^U-Boot /.test(firmware)) throw new HostError('protocol-error', `${where(ctx, step)}: the board did not answer at the U-Boot prompt.`, firmware);
    return { atPrompt: true, firmware, board: info.board };
  },

  async flash(step, ctx) {
    const data = await ctx.loaded.files.read(step.file);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const params: { name: string; data: Uint8Array; activate?: boolean } = { name: basename(step.file), data };
    if (step.activate !== undefined) params.activate = step.activate;
    ctx.progress(0, data.length);
    const timeout = (step.timeoutSeconds ?? 3600) * 1000;
    const job = await withTimeout(ctx.dev.runJob('firmware.upload', scopeOf(ctx, 'firmware.upload'), params, (j) => ctx.progress(j.done, j.total), ctx.signal), timeout, `${where(ctx, step)}: the update did not finish within ${timeout / 1000} s.`);
    return { file: step.file, bytes: data.length, sha256, jobId: job.id, result: job.result };
  },

  async 'reset-and-reacquire'(step, ctx) {
    const timeoutMs = (step.timeoutSeconds ?? 60) * 1000;
    const deadline = Date.now() + timeoutMs;
    const id = step.command ?? 'device.reset';
    try {
      await runCommand(ctx, id, {});
    } catch (e) {
      // A board that re-enumerates drops the link while resetting: that is the reset working.
      const code = HostError.from(e).code;
      if (!['device-gone', 'io-error', 'timeout'].includes(code)) throw e;
    }
    for (;;) {
      try {
        await ctx.dev.ensureSession(ctx.signal, Math.max(1, deadline - Date.now()));
        const info = await ctx.dev.run<Record<string, unknown>>('device.info', scopeOf(ctx, 'device.info'), {});
        if (step.expectFirmware !== undefined && info.firmware !== step.expectFirmware) {
          throw new HostError('verification-failed', `${where(ctx, step)}: after the reset ${ctx.dev.label} runs ${JSON.stringify(info.firmware)}, not ${step.expectFirmware}.`);
        }
        return { identity: info };
      } catch (e) {
        const err = HostError.from(e);
        if (err.code === 'verification-failed' || err.code === 'cancelled' || Date.now() >= deadline) throw err;
        await sleep(250, ctx.signal);
      }
    }
  },

  async confirm(step, ctx) {
    const result = await runCommand(ctx, step.command, await resolveParams(step.params ?? {}, ctx.loaded.files, where(ctx, step)));
    return { result, expectations: expectAll(ctx, step, result) };
  },

  async 'apply-profile'(step, ctx) {
    const text = Buffer.from(await ctx.loaded.files.read(step.file)).toString('utf8');
    const profile = parseProfile(text);
    const r = await applyProfile(configDevice(ctx), profile, ctx.profiles, { dryRun: false, save: step.save, actor: ctx.actor, source: ctx.source });
    return { profile: profile.name, changes: r.changes, skipped: r.skipped };
  },

  async check(step, ctx) {
    const result = await runCommand(ctx, step.command, await resolveParams(step.params ?? {}, ctx.loaded.files, where(ctx, step)));
    return { expectations: expectAll(ctx, step, result) };
  },

  async 'telemetry-threshold'(step, ctx) {
    const stats = { samples: 0, min: Infinity, max: -Infinity, sum: 0 };
    let violation: { value: number; t: number } | null = null;
    let unknownChannel: string[] | null = null;
    let wake: () => void = () => {};
    const off = ctx.dev.onTelemetry((b) => {
      const i = b.channels.findIndex((c) => c.name === step.channel);
      if (i < 0) {
        unknownChannel = b.channels.map((c) => c.name);
        return wake();
      }
      const col = b.values[i];
      for (let k = 0; k < col.length; k++) {
        const v = col[k];
        stats.samples++;
        stats.sum += v;
        if (v < stats.min) stats.min = v;
        if (v > stats.max) stats.max = v;
        if (!violation && ((step.min !== undefined && v < step.min) || (step.max !== undefined && v > step.max))) {
          violation = { value: v, t: b.t[k] };
          wake();
        }
      }
    });
    const scope = scopeOf(ctx, 'telemetry.stream');
    try {
      await ctx.dev.run('telemetry.stream', scope, { on: true });
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, step.seconds * 1000);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(t);
          reject(new HostError('cancelled', 'The recipe run was stopped.'));
        }, { once: true });
      });
    } finally {
      off();
      await ctx.dev.run('telemetry.stream', scope, { on: false }).catch(() => {});
    }
    const range = `[${step.min ?? '-∞'}, ${step.max ?? '∞'}]`;
    if (unknownChannel) throw new HostError('bad-request', `${where(ctx, step)}: ${ctx.dev.label} has no telemetry channel "${step.channel}".`, `channels: ${(unknownChannel as string[]).join(', ')}`);
    const v = violation as { value: number; t: number } | null;
    if (v) throw new HostError('verification-failed', `${where(ctx, step)}: ${step.channel} read ${v.value.toFixed(4)}, outside ${range}.`, `after ${stats.samples} samples`);
    if (stats.samples < (step.minSamples ?? 1)) throw new HostError('verification-failed', `${where(ctx, step)}: only ${stats.samples} ${step.channel} samples arrived in ${step.seconds} s.`);
    return { channel: step.channel, samples: stats.samples, min: stats.min, max: stats.max, mean: stats.sum / stats.samples, range };
  },

  async command(step, ctx) {
    const result = await runCommand(ctx, step.command, await resolveParams(step.params ?? {}, ctx.loaded.files, where(ctx, step)));
    return step.expect?.length ? { result, expectations: expectAll(ctx, step, result) } : { result };
  },
};

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new HostError('timeout', message)), ms)))]).finally(() => clearTimeout(t));
}
