// What profile operations need of a device: its identity and a way to run
// catalog commands through the router (so every read and write is scoped and
// audited like any other).
import type { Scope } from '../../contract/scopes';

export interface ConfigDevice {
  deviceId: string;
  label: string;
  kind: string;
  protocol: string;
  identity: Record<string, string>;
  run<T = unknown>(commandId: string, scope: Scope, params: unknown): Promise<T>;
}

/** Who made a change, for the config journal. */
export interface Actor {
  operator: string;
  client: string;
}
