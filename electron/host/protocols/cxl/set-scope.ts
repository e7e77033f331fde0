// Which fwctl scope a Set Feature needs, exactly as the kernel decides it in
// cxlctl_validate_set_features() (drivers/cxl/core/features.c):
//   not changeable                      -> refused (kernel-reserved features are
//                                          listed with set size 0 and changeable cleared)
//   reserved effect bits (15:12) set    -> refused
//   background bit set                  -> refused (no user background commands)
//   neither immediate nor reset bits    -> refused ("the hardware has a bug")
//   any immediate bit                   -> DEBUG_WRITE_FULL
//   only reset-time bits                -> DEBUG_WRITE
// CONFIGURATION and DEBUG_READ_ONLY never set a feature.
import type { Scope } from '../../../contract/scopes';
import type { CxlFeatureInfo } from './feature-commands';
import { EFFECTS_IMMEDIATE, EFFECTS_RESERVED, EFFECTS_RESET, Effect } from './layout';

type ScopeInput = Pick<CxlFeatureInfo, 'attributes' | 'setSize' | 'effects'>;

export function requiredSetScope(f: ScopeInput): Scope | null {
  return decide(f).scope;
}

export function scopeReason(f: ScopeInput): string {
  return decide(f).reason;
}

function decide(f: ScopeInput): { scope: Scope | null; reason: string } {
  const e = f.effects;
  if (!f.attributes.changeable)
    return { scope: null, reason: 'The feature cannot be set: it is not changeable (the kernel also hides features it reserves for itself this way).' };
  if (f.setSize === 0)
    return { scope: null, reason: 'The feature cannot be set: the device reports a Set Feature size of 0 (kernel-reserved or read-only).' };
  if (e & EFFECTS_RESERVED)
    return { scope: null, reason: `The feature cannot be set: its Set Feature Effects has reserved bits (0x${(e & EFFECTS_RESERVED).toString(16)}) the kernel refuses to interpret.` };
  if (e & Effect.Background)
    return { scope: null, reason: 'The feature cannot be set: setting it runs as a background command, which the kernel does not allow from user space.' };
  if (e & EFFECTS_IMMEDIATE)
    return { scope: 'debug-write-full', reason: 'Setting this feature changes the device immediately, so the kernel requires the debug-write-full scope (CAP_SYS_RAWIO; taints the kernel).' };
  if (e & EFFECTS_RESET)
    return { scope: 'debug-write', reason: 'Setting this feature only takes effect after a reset, so the kernel accepts the debug-write scope (taints the kernel).' };
  return { scope: null, reason: 'The feature cannot be set: its Set Feature Effects names neither an immediate nor a reset-time change, which the kernel treats as a device bug.' };
}
