// A ConfigDevice over a session of a client: every read and write goes
// through the router like any other command.
import type { Host } from '../host';
import type { ClientInfo } from '../router';
import type { SessionInfo } from '../../contract/devices';
import type { ConfigDevice } from './config-device';

export function sessionConfigDevice(host: Host, client: ClientInfo, session: SessionInfo): ConfigDevice {
  const device = host.registry.list().find((d) => d.id === session.deviceId);
  return {
    deviceId: session.deviceId,
    label: session.deviceLabel,
    kind: device?.kind ?? 'serial',
    protocol: device?.protocol ?? 'unknown',
    identity: session.identity,
    run: async (commandId, scope, params) => (await host.request('command.run', { sessionId: session.id, commandId, scope, params }, client)).result as never,
  };
}
