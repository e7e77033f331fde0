import type { HostEvent } from '../../contract/events';
import { HostError } from '../errors/host-error';
import type { AdapterSink, DeviceAdapter } from './device-adapter';

export async function openFwctlAdapter(path: string, _sink: AdapterSink, _sessionId: string, _emit: (e: HostEvent) => void): Promise<DeviceAdapter> {
  throw new HostError('not-supported', `fwctl sessions are not wired up yet (${path}).`);
}
