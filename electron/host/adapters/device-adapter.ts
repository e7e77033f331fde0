import type { z } from 'zod';
import type { CommandDecl } from '../../contract/commands';
import type { Scope } from '../../contract/scopes';
import type { Effect } from '../../contract/effects';
import type { HostEvent } from '../../contract/events';
import type { JobHandle } from '../jobs/job-engine';

/** What a command handler may use while it runs. */
export interface RunContext {
  sessionId: string;
  /** Present for job commands. */
  job?: JobHandle;
  signal: AbortSignal;
}

export interface BoundCommand<D extends CommandDecl = CommandDecl> {
  decl: D;
  /** Raises the declared scope for particular params (a CXL Set Feature with immediate effects). */
  scopeFor?(params: z.output<D['params']>): Scope;
  /** Narrows the declared effects for particular params (a raw fwctl RPC at debug-read-only only reads). */
  effectsFor?(params: z.output<D['params']>): readonly Effect[];
  run(params: z.output<D['params']>, ctx: RunContext): Promise<unknown>;
}

export function bind<D extends CommandDecl>(
  decl: D,
  run: BoundCommand<D>['run'],
  hooks: Pick<BoundCommand<D>, 'scopeFor' | 'effectsFor'> = {},
): BoundCommand {
  return { decl, run, ...hooks } as unknown as BoundCommand;
}

/** Where an adapter sends what the device says unprompted (console output, telemetry). */
export interface AdapterSink {
  emit(event: HostEvent): void;
  /** The link dropped without a close; the session decides whether to reconnect. */
  lost(reason: Error): void;
  /** The device's identity changed (new firmware after a reset). */
  identityChanged(identity: Record<string, string>): void;
}

/**
 * One protocol spoken to one device, opened by a session. An adapter owns its
 * transport and offers catalog commands; nothing else reaches the device.
 */
export interface DeviceAdapter {
  readonly protocol: string;
  commands(): readonly BoundCommand[];
  /** Identity learnt on open (firmware version, board name), for the session and the audit. */
  identity(): Record<string, string>;
  close(): Promise<void>;
}

export interface AdapterFactory {
  open(sink: AdapterSink, sessionId: string): Promise<DeviceAdapter>;
}
