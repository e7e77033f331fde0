// What the renderer and CLI see of devices and sessions. Plain data only.
import type { Scope } from './scopes';

/** 'host': the workstation itself (its hwmon sensors). */
export type DeviceKind = 'serial' | 'fwctl' | 'usb' | 'host';

export interface DeviceInfo {
  /** Stable for the life of the physical device, e.g. "serial:/dev/ttyUSB0", "fwctl:0000:3b:00.0", "demo:board-1". */
  id: string;
  kind: DeviceKind;
  label: string;
  /** The OS path the host opens (/dev/ttyUSB0, /dev/fwctl/fwctl0), if any. */
  path?: string;
  /** Simulated devices are labelled as such everywhere. */
  simulated: boolean;
  /** What speaks on it: 'demo-board', 'uboot', 'smp', 'cxl', 'mlx5', 'pds', 'bnxt', 'dfu', 'console'. */
  protocol: string;
  present: boolean;
  /** Identity details shown on the device page (PCI address, vendor:device, driver, USB serial...). */
  details: Record<string, string>;
  /** The physical unit this device belongs to (DeviceUnit.id from graph.units). */
  unit?: string;
}

export type SessionState = 'open' | 'reconnecting' | 'gone' | 'closed';

export interface SessionInfo {
  id: string;
  deviceId: string;
  deviceLabel: string;
  simulated: boolean;
  state: SessionState;
  /** The highest scope granted, or null: a new session may only run read commands. */
  grant: Scope | null;
  /** Epoch ms when the grant lapses. */
  grantExpiresAt: number | null;
  /** Set for the session's lifetime once a debug-write or higher grant was made. */
  tainted: boolean;
  openedAt: number;
  /** The device's firmware version and similar identity learnt after opening. */
  identity: Record<string, string>;
}

/** Facts about this host that bear on scopes (fwctl's rules). */
export interface HostFacts {
  version: string;
  operator: string;
  platform: string;
  kernel: string;
  /** CAP_SYS_RAWIO in the process's effective set (/proc/self/status CapEff bit 17). */
  capSysRawio: boolean;
  /** /sys/kernel/security/lockdown's selected mode, or 'none'/'unknown'. */
  lockdown: string;
  /** /proc/sys/kernel/tainted bit 19 (TAINT_FWCTL). */
  kernelFwctlTaint: boolean;
  /** The highest scope the lab policy lets any operator grant. */
  policyMaxScope: Scope;
  /** Default grant lifetime, seconds. */
  grantTtlSeconds: number;
  servedMode: boolean;
  /** Where the audit journal lives. */
  auditPath: string;
}
