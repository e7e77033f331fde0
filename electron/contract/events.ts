import type { DeviceInfo, SessionInfo } from './devices';
import type { JobInfo } from './jobs';
import type { AuditRecord } from './audit';

export interface TelemetryChannel {
  name: string;
  unit: string;
}

/** Columns, not objects: one typed array of times and one per channel. */
export interface TelemetryBatch {
  type: 'telemetry';
  sessionId: string;
  channels: TelemetryChannel[];
  t: Float64Array;
  values: Float32Array[];
}

export type HostEvent =
  | { type: 'device-added'; device: DeviceInfo }
  | { type: 'device-removed'; deviceId: string }
  | { type: 'session'; session: SessionInfo }
  | { type: 'console'; sessionId: string; t: number; data: string }
  | TelemetryBatch
  | { type: 'job'; job: JobInfo }
  | { type: 'audit'; record: AuditRecord };

export type HostEventType = HostEvent['type'];
