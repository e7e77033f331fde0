// What a command does to a device. The scope policy reads these: a command whose
// effects are all 'reads-device' runs without a grant at the two lowest scopes.
export const EFFECTS = [
  'reads-device',
  'changes-config-now',
  'changes-config-at-reset',
  'writes-flash',
  'resets-device',
  'raw-console-input',
] as const;
export type Effect = (typeof EFFECTS)[number];

export const EFFECT_TEXT: Readonly<Record<Effect, string>> = {
  'reads-device': 'reads from the device',
  'changes-config-now': 'changes device configuration immediately',
  'changes-config-at-reset': 'changes device configuration at the next reset',
  'writes-flash': 'writes flash memory',
  'resets-device': 'resets the device',
  'raw-console-input': 'sends raw input to the device console',
};

export function onlyReads(effects: readonly Effect[]): boolean {
  return effects.every((e) => e === 'reads-device');
}
