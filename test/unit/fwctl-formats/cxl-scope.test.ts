import { Effect, requiredSetScope, scopeReason } from '../../../electron/host/protocols/cxl';

const feature = (effects: number, over: Partial<{ changeable: boolean; setSize: number }> = {}) => ({
  attributes: { changeable: over.changeable ?? true, deepestResetPersistence: 0, persistAcrossFirmwareUpdate: false, defaultSelection: false, savedSelection: false },
  setSize: over.setSize ?? 2,
  effects,
});

const IMMEDIATE = [Effect.ConfigChangeImmediate, Effect.DataChangeImmediate, Effect.PolicyChangeImmediate, Effect.LogChangeImmediate];
const RESET = [Effect.ConfigChangeColdReset, Effect.ConfigChangeConvReset, Effect.ConfigChangeCxlReset];
const NEUTRAL = [0, Effect.EffectsValid, Effect.SecurityStateChange, Effect.BackgroundAbortSupported];

// The kernel's rule (cxlctl_validate_set_features), written independently of the code under test.
function kernelRule(e: number): string | null {
  if (e & 0xf000 || e & Effect.Background) return null;
  const imm = IMMEDIATE.some((b) => e & b);
  const rst = RESET.some((b) => e & b);
  if (imm) return 'debug-write-full';
  if (rst) return 'debug-write';
  return null;
}

describe('requiredSetScope', () => {
  it('matches the kernel for every combination of immediate, reset and neutral bits', () => {
    const subsets = (bits: number[]) => Array.from({ length: 1 << bits.length }, (_, m) => bits.reduce((acc, b, i) => (m & (1 << i) ? acc | b : acc), 0));
    let checked = 0;
    for (const imm of subsets(IMMEDIATE))
      for (const rst of subsets(RESET))
        for (const n of NEUTRAL) {
          const e = imm | rst | n;
          const expected = kernelRule(e);
          expect(requiredSetScope(feature(e))).toBe(expected);
          checked++;
        }
    expect(checked).toBe(16 * 8 * 4);
  });

  it('refuses background, reserved-bit, not-changeable and set-size-0 features with a reason', () => {
    expect(requiredSetScope(feature(Effect.ConfigChangeImmediate | Effect.Background))).toBeNull();
    expect(scopeReason(feature(Effect.ConfigChangeImmediate | Effect.Background))).toMatch(/background/);
    expect(requiredSetScope(feature(Effect.ConfigChangeImmediate | 0x4000))).toBeNull();
    expect(scopeReason(feature(0x4002))).toMatch(/reserved bits \(0x4000\)/);
    expect(requiredSetScope(feature(0x0202, { changeable: false }))).toBeNull();
    expect(scopeReason(feature(0x0202, { changeable: false }))).toMatch(/not changeable/);
    expect(requiredSetScope(feature(0x0202, { setSize: 0 }))).toBeNull();
    expect(scopeReason(feature(0x0202, { setSize: 0 }))).toMatch(/size of 0/);
    expect(scopeReason(feature(Effect.EffectsValid))).toMatch(/device bug/);
  });

  it('explains the two settable paths', () => {
    expect(scopeReason(feature(0x0202))).toMatch(/immediately.*debug-write-full/);
    expect(scopeReason(feature(0x0201))).toMatch(/after a reset.*debug-write/);
  });
});
