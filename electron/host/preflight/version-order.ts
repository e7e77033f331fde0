// Firmware versions as boards report them: "1.2.3", "1.2.3+4" (MCUboot),
// "v2.0.1-rc1", "U-Boot 2023.01". Only the numeric parts are compared.

/** The dotted numbers of a version ("1.2.3+4" → [1,2,3,4]); null when there are none. */
export function versionNumbers(text: string): number[] | null {
  const m = /(\d+(?:[.+]\d+)*)/.exec(text);
  if (!m) return null;
  return m[1].split(/[.+]/).map(Number);
}

/** <0 when a is older than b, 0 when equal, >0 when newer; null when either has no number. */
export function compareVersions(a: string, b: string): number | null {
  const x = versionNumbers(a);
  const y = versionNumbers(b);
  if (!x || !y) return null;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
