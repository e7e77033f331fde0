// The four fwctl scopes (include/uapi/fwctl/fwctl.h, enum fwctl_rpc_scope), kept
// numeric as in the kernel: a grant of one scope covers every scope below it.
export const SCOPES = ['configuration', 'debug-read-only', 'debug-write', 'debug-write-full'] as const;
export type Scope = (typeof SCOPES)[number];

/** The kernel's FWCTL_RPC_* value for each scope. */
export const FWCTL_SCOPE_VALUE: Readonly<Record<Scope, number>> = {
  configuration: 0,
  'debug-read-only': 1,
  'debug-write': 2,
  'debug-write-full': 3,
};

export function scopeRank(scope: Scope): number {
  return FWCTL_SCOPE_VALUE[scope];
}

export function scopeCovers(granted: Scope | null, wanted: Scope): boolean {
  return granted !== null && scopeRank(granted) >= scopeRank(wanted);
}

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

export interface ScopeInfo {
  title: string;
  /** What a grant of this scope lets an operator do, in plain words. */
  allows: string;
  /** Granting it taints the session for its lifetime (as the kernel taints itself). */
  taints: boolean;
  /** The host process must hold CAP_SYS_RAWIO. */
  needsRawio: boolean;
  /** The operator must type the device name to confirm. */
  typedConfirmation: boolean;
}

export const SCOPE_INFO: Readonly<Record<Scope, ScopeInfo>> = {
  configuration: {
    title: 'Configuration',
    allows: 'Change device settings and stage firmware that becomes live at the next reset, through the device\'s documented configuration interface.',
    taints: false,
    needsRawio: false,
    typedConfirmation: false,
  },
  'debug-read-only': {
    title: 'Debug read-only',
    allows: 'Read debug information and device state. Nothing on the device changes.',
    taints: false,
    needsRawio: false,
    typedConfirmation: false,
  },
  'debug-write': {
    title: 'Debug write',
    allows: 'Change device state for debugging: raw console input, bootloader commands, erasing flash. The session is marked tainted for the rest of its life.',
    taints: true,
    needsRawio: false,
    typedConfirmation: false,
  },
  'debug-write-full': {
    title: 'Debug write (full)',
    allows: 'Unrestricted device access, including changes that take effect immediately. Needs CAP_SYS_RAWIO; the session is marked tainted for the rest of its life.',
    taints: true,
    needsRawio: true,
    typedConfirmation: true,
  },
};
