// An optional adapter capability: MCUboot (SMP) boards can report that the
// running image was booted for a test and is waiting for confirmation. Writing
// another image then would replace the fallback. Adapters opt in by
// implementing pendingConfirmation().
import type { DeviceAdapter } from '../adapters/device-adapter';

export interface ReportsPendingConfirmation {
  /** True while an image on the device waits for confirmation (MCUboot test boot). */
  pendingConfirmation(): Promise<boolean>;
}

export function reportsPendingConfirmation(adapter: DeviceAdapter | null): adapter is DeviceAdapter & ReportsPendingConfirmation {
  return adapter !== null && typeof (adapter as Partial<ReportsPendingConfirmation>).pendingConfirmation === 'function';
}
