// How to put an arbitrary value into U-Boot's environment from its hush shell
// without the shell touching it: single quotes keep spaces, `;`, `$` and `${}`
// literal; backslashes are doubled (hush unescapes them even inside single
// quotes); a single quote is closed, escaped and reopened ('it'\''s').
// Verified against U-Boot 2023.01 (hush) on qemu_arm64.
import { HostError } from '../../errors/host-error';

// U-Boot itself allows any name without '=' or whitespace; we also keep out
// characters hush would interpret, since names are sent unquoted.
const SAFE_NAME = /^[A-Za-z0-9_.:@+\-/][A-Za-z0-9_.:@+\-/#]*$/;

export function checkEnvName(name: string): void {
  if (!SAFE_NAME.test(name))
    throw new HostError('invalid-params', `"${name}" is not a usable environment variable name (letters, digits and _ . : @ + - / # only, no spaces or '=').`);
}

/** Printable ASCII only: a console line cannot carry newlines, a TAB triggers completion, and other bytes would not read back the same. */
export function checkEnvValue(name: string, value: string): void {
  if (value === '') throw new HostError('invalid-params', `U-Boot cannot store an empty value for "${name}"; delete the variable instead.`);
  const bad = /[^\x20-\x7e]/.exec(value);
  if (bad)
    throw new HostError(
      'invalid-params',
      `The value for "${name}" contains a character that cannot be typed on U-Boot's console (code ${bad[0].charCodeAt(0)} at position ${bad.index}).`,
    );
}

/**
 * Quotes `value` as one hush word that U-Boot stores byte for byte. Unlike
 * POSIX sh, U-Boot's hush still treats a backslash as an escape inside single
 * quotes ('a\n' stores "an"), so backslashes are doubled too.
 */
export function quoteForHush(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, `'\\''`)}'`;
}

export function setenvCommand(name: string, value: string): string {
  checkEnvName(name);
  checkEnvValue(name, value);
  return `setenv ${name} ${quoteForHush(value)}`;
}

export function deleteEnvCommand(name: string): string {
  checkEnvName(name);
  return `setenv ${name}`;
}
