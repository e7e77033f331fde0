// Redaction for diagnostics bundles: serial numbers, MAC addresses and host
// names become stable tokens (the same value is always "serial-1" in every
// file of one bundle), so a bundle can be shared while lines still correlate.
// Pure: text in, text out. Two passes: learn() over every file first, then
// redact(), so a serial seen only in a console transcript is also hidden in
// devices.json and the audit journal.
import { HostError } from '../errors/host-error';

export interface RedactionOptions {
  serials?: boolean;
  macs?: boolean;
  hostnames?: boolean;
}

export type RedactionKind = 'serial' | 'mac' | 'hostname';

export interface RedactionSummary {
  serials: boolean;
  macs: boolean;
  hostnames: boolean;
  /** Distinct values replaced, per kind (the values themselves are never recorded). */
  distinct: Record<RedactionKind, number>;
  /** Replacements made, per kind. */
  replacements: Record<RedactionKind, number>;
}

const TOKEN_PREFIX: Record<RedactionKind, string> = { serial: 'serial', mac: 'mac', hostname: 'host' };

// Where serial numbers appear: lsusb -v ("iSerial 3 A6008isP"), the kernel log
// ("SerialNumber: A6008isP"), udev (ID_SERIAL_SHORT=...), U-Boot env
// ("serial#=...", "serialno=..."), JSON ("usbSerial": "...") and board shells
// ("serial: ...", "serial_number = ...").
const SERIAL_CONTEXTS: RegExp[] = [
  /\biSerial\s+\d+\s+([^\s"',;]+)/g,
  /\bSerialNumber\s*[:=]\s*"?([^\s"',;]+)/gi,
  /\bID_SERIAL(?:_SHORT)?=([^\s"',;]+)/g,
  /\bserial#\s*[:=]\s*"?([^\s"',;]+)/gi,
  /\b(?:androidboot\.)?serialno\s*[:=]\s*"?([^\s"',;]+)/gi,
  /\b(?:usb_?|device_?)?serial(?:[ _-]?(?:number|num|no))?"?\s*[:=]\s*"?([^\s"',;]+)/gi,
  /\bS\/N\s*[:=]?\s*([^\s"',;]+)/g,
  // "firmware 1.2.0 serial DEMO-0001": a word right after "serial" that has a digit in it.
  /\bserial\s+([A-Za-z0-9][A-Za-z0-9._-]*\d[A-Za-z0-9._-]*)/gi,
];

const HOSTNAME_CONTEXTS: RegExp[] = [
  /\bhost_?name"?\s*[:=]\s*"?([A-Za-z0-9][A-Za-z0-9.-]*)/gi,
  /\bnodename"?\s*[:=]\s*"?([A-Za-z0-9][A-Za-z0-9.-]*)/gi,
];

// Bare 12-digit MACs are only trusted after a key that says so (U-Boot's ethaddr).
const MAC_KEYED = /\b(?:eth\d*addr|hwaddr|mac(?:_?addr(?:ess)?)?|wifiaddr)"?\s*[:=]\s*"?([0-9A-Fa-f]{12})(?![0-9A-Za-z])/gi;
// aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF (one separator throughout) and Cisco's aabb.ccdd.eeff.
const MAC_SEPARATED = /(?<![0-9A-Za-z:.-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![0-9A-Za-z:.-]|-[0-9A-Fa-f])/g;
const MAC_DOTTED = /(?<![0-9A-Za-z.])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Za-z.])/g;

const NOT_A_SERIAL = /^(?:none|unknown|n\/?a|null|undefined|true|false|0+)$/i;
const GENERIC_HOSTS = new Set(['localhost', 'localhost.localdomain', 'localdomain', 'none', 'unknown', '(none)']);

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function normalizeMac(text: string): string {
  return text.replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
}

export class Redactor {
  private readonly values: Record<'serial' | 'hostname', Map<string, string>> = { serial: new Map(), hostname: new Map() };
  private readonly macTokens = new Map<string, string>();
  private readonly distinctCount: Record<RedactionKind, number> = { serial: 0, mac: 0, hostname: 0 };
  private readonly replaced: Record<RedactionKind, number> = { serial: 0, mac: 0, hostname: 0 };
  private patterns: { serial: RegExp | null; hostname: RegExp | null } | null = null;

  constructor(
    readonly options: RedactionOptions,
    seeds: { serials?: readonly string[]; hostnames?: readonly string[]; macs?: readonly string[] } = {},
  ) {
    for (const s of seeds.serials ?? []) this.addSerial(s);
    for (const h of seeds.hostnames ?? []) this.addHostname(h);
  }

  get active(): boolean {
    return !!(this.options.serials || this.options.macs || this.options.hostnames);
  }

  private token(kind: RedactionKind): string {
    return `${TOKEN_PREFIX[kind]}-${++this.distinctCount[kind]}`;
  }

  addSerial(value: string): void {
    const v = value.trim();
    // A serial has a digit and some length; this keeps words like "enabled" out.
    if (!this.options.serials || v.length < 4 || v.length > 128 || !/\d/.test(v) || NOT_A_SERIAL.test(v) || v.startsWith('/')) return;
    if (/^(?:serial|mac|host)-\d+$/.test(v) || this.values.serial.has(v)) return;
    this.values.serial.set(v, this.token('serial'));
    this.patterns = null;
  }

  addHostname(value: string): void {
    const v = value.trim().replace(/\.$/, '').toLowerCase();
    if (!this.options.hostnames || v.length < 2 || v.length > 253 || GENERIC_HOSTS.has(v) || /^\d+(\.\d+)*$/.test(v)) return;
    if (/^(?:serial|mac|host)-\d+$/.test(v) || this.values.hostname.has(v)) return;
    this.values.hostname.set(v, this.token('hostname'));
    // The short name of a fully qualified name is the same host.
    const short = v.split('.')[0];
    if (short !== v && short.length >= 2 && !GENERIC_HOSTS.has(short) && !this.values.hostname.has(short)) this.values.hostname.set(short, this.values.hostname.get(v)!);
    this.patterns = null;
  }

  private macToken(raw: string): string {
    const key = normalizeMac(raw);
    let t = this.macTokens.get(key);
    if (!t) {
      t = this.token('mac');
      this.macTokens.set(key, t);
    }
    return t;
  }

  /** First pass: remembers serials and host names named in `text` so every file hides them. */
  learn(text: string): void {
    if (this.options.serials) for (const re of SERIAL_CONTEXTS) for (const m of text.matchAll(re)) this.addSerial(m[1]);
    if (this.options.hostnames) for (const re of HOSTNAME_CONTEXTS) for (const m of text.matchAll(re)) this.addHostname(m[1]);
    if (this.options.macs) for (const m of text.matchAll(MAC_KEYED)) this.macToken(m[1]);
  }

  private compile(): { serial: RegExp | null; hostname: RegExp | null } {
    if (this.patterns) return this.patterns;
    // Longest first, so "FTDI_FT232R_A6008isP" wins over its tail "A6008isP".
    const alt = (keys: string[]) => keys.sort((a, b) => b.length - a.length).map(escapeRe).join('|');
    const s = [...this.values.serial.keys()];
    const h = [...this.values.hostname.keys()];
    this.patterns = {
      serial: s.length ? new RegExp(`(?<![A-Za-z0-9])(?:${alt(s)})(?![A-Za-z0-9])`, 'g') : null,
      hostname: h.length ? new RegExp(`(?<![A-Za-z0-9.-])(?:${alt(h)})(?![A-Za-z0-9-]|\\.[A-Za-z0-9])`, 'gi') : null,
    };
    return this.patterns;
  }

  /** Second pass: the text with every known value replaced by its token. */
  redact(text: string): string {
    if (!this.active) return text;
    const p = this.compile();
    let out = text;
    if (this.options.macs) {
      for (const m of text.matchAll(MAC_KEYED)) this.macToken(m[1]);
      const keyed = [...this.macTokens.keys()];
      out = out.replace(MAC_SEPARATED, (m) => (this.replaced.mac++, this.macToken(m)));
      out = out.replace(MAC_DOTTED, (m) => (this.replaced.mac++, this.macToken(m)));
      if (keyed.length) {
        const bare = new RegExp(`(?<![0-9A-Za-z])(?:${keyed.join('|')})(?![0-9A-Za-z])`, 'gi');
        out = out.replace(bare, (m) => (this.replaced.mac++, this.macToken(m)));
      }
    }
    if (this.options.serials && p.serial) out = out.replace(p.serial, (m) => (this.replaced.serial++, this.values.serial.get(m)!));
    if (this.options.hostnames && p.hostname) out = out.replace(p.hostname, (m) => (this.replaced.hostname++, this.values.hostname.get(m.toLowerCase())!));
    return out;
  }

  summary(): RedactionSummary {
    return {
      serials: !!this.options.serials,
      macs: !!this.options.macs,
      hostnames: !!this.options.hostnames,
      distinct: { ...this.distinctCount },
      replacements: { ...this.replaced },
    };
  }
}

/** Parses "serials,macs,hostnames" (or "all"); names anything unknown plainly. */
export function parseRedactionList(text: string): RedactionOptions {
  const out: RedactionOptions = {};
  for (const raw of text.split(',')) {
    const k = raw.trim().toLowerCase();
    if (k === '') continue;
    if (k === 'all') Object.assign(out, { serials: true, macs: true, hostnames: true });
    else if (k === 'serials' || k === 'serial') out.serials = true;
    else if (k === 'macs' || k === 'mac') out.macs = true;
    else if (k === 'hostnames' || k === 'hostname' || k === 'hosts') out.hostnames = true;
    else throw new HostError('bad-request', `"${raw.trim().slice(0, 40)}" is not something fwbench can redact; use serials, macs, hostnames or all.`);
  }
  return out;
}
