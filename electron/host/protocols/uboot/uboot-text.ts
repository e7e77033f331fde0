// Parsers for what U-Boot prints: version, bdinfo, printenv, and the lines of
// loady/crc32/cmp. Pure functions over text (LF line ends, as ConsoleRunner
// returns it), each failing with a clear protocol-error on output it does not
// recognise rather than guessing.
import { HostError } from '../../errors/host-error';

export interface UBootVersion {
  /** e.g. '2023.01+dfsg-2+deb12u3' */
  version: string;
  /** Year.month part, e.g. '2023.01' */
  release: string;
  /** Build stamp in parentheses, e.g. 'Jun 22 2026 - 08:38:07 +0000' */
  buildDate?: string;
  /** Compiler and linker lines that follow. */
  toolchain: string[];
}

const BANNER = /U-Boot (((?:19|20)\d{2}\.\d{2})\S*)(?: \(([^)]*)\))?/;

/** Finds a U-Boot banner (`U-Boot 2023.01... (date)`) anywhere in `text`. */
export function findBanner(text: string): { version: string; release: string; buildDate?: string } | undefined {
  const m = BANNER.exec(text);
  if (!m) return undefined;
  return { version: m[1], release: m[2], ...(m[3] !== undefined ? { buildDate: m[3] } : {}) };
}

/** Parses the output of `version`. */
export function parseVersion(output: string): UBootVersion {
  const banner = findBanner(output);
  if (!banner) throw new HostError('protocol-error', 'The board did not report a U-Boot version.', JSON.stringify(output.slice(0, 200)));
  const lines = output.split('\n').map((l) => l.trim());
  const at = lines.findIndex((l) => BANNER.test(l));
  const toolchain = lines.slice(at + 1).filter((l) => l !== '');
  return { ...banner, toolchain };
}

export interface BoardInfo {
  /** Every `key = value` line in order; sub-lines (`-> start`, indented lmb lines) get `parent.key`. */
  fields: Map<string, string>;
  /** DRAM banks, when bdinfo lists them. */
  dramBanks: { start: string; size: string }[];
  /** Lines that carry no key (kept so nothing printed is hidden). */
  other: string[];
}

/** Parses the output of `bdinfo` (formats differ per arch and version; anything key-like is kept). */
export function parseBdinfo(output: string): BoardInfo {
  const fields = new Map<string, string>();
  const other: string[] = [];
  const dramBanks: { start: string; size: string }[] = [];
  let parent = '';
  const put = (key: string, value: string) => {
    let k = key;
    for (let n = 1; fields.has(k); n++) k = `${key}[${n}]`;
    fields.set(k, value);
    return k;
  };
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (!line) continue;
    const sub = /^\s*->\s*(.+?)\s*=\s*(.*)$/.exec(line);
    if (sub && parent) {
      put(`${parent}.${sub[1]}`, sub[2]);
      if (/^DRAM bank/.test(parent)) {
        const last = dramBanks[dramBanks.length - 1];
        if (last && (sub[1] === 'start' || sub[1] === 'size')) last[sub[1]] = sub[2];
      }
      continue;
    }
    const indented = /^\s/.test(line);
    const kv = /^\s*([^=:\s][^=:]*?)\s*(=|:)\s?(.*)$/.exec(line);
    if (kv && !(indented && kv[2] === ':')) {
      const key = indented && parent ? `${parent}.${kv[1]}` : kv[1];
      const stored = put(key, kv[3].trim());
      if (!indented) {
        parent = stored;
        if (/^DRAM bank/.test(kv[1])) dramBanks.push({ start: '', size: '' });
      }
      continue;
    }
    const token = /^\s+(\S+)\s+(.*)$/.exec(line);
    if (indented && parent && token) {
      put(`${parent}.${token[1]}`, token[2].trim());
      continue;
    }
    other.push(line.trim());
  }
  if (fields.size === 0) throw new HostError('protocol-error', 'bdinfo printed nothing that looks like board information.', JSON.stringify(output.slice(0, 200)));
  return { fields, dramBanks, other };
}

export interface UBootEnv {
  /** Variables in the order printenv lists them (sorted by U-Boot). */
  vars: Map<string, string>;
  /** From `Environment size: used/total bytes`. */
  used: number;
  total: number;
}

// Names as U-Boot prints them: anything but '=' and whitespace; the common
// ones are [A-Za-z0-9_.#:-].
const VAR_START = /^([^=\s]+)=/;
const SIZE_LINE = /^Environment size: (\d+)\/(\d+) bytes$/;

/**
 * Parses the output of a bare `printenv`. The full listing is U-Boot's text
 * export: a backslash in a value is printed as `\\`, and a newline in a value
 * as `\` at the end of the line, the value going on on the next line. (By
 * contrast `printenv NAME` prints the raw value.) The final size line proves the
 * list is complete.
 */
export function parsePrintenv(output: string): UBootEnv {
  const lines = output.split('\n');
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const sizeLine = lines.pop();
  const size = sizeLine === undefined ? null : SIZE_LINE.exec(sizeLine.trim());
  if (!size)
    throw new HostError('protocol-error', 'The environment listing is incomplete (no "Environment size" line at its end).', JSON.stringify((sizeLine ?? '').slice(0, 120)));
  // printenv puts one blank line before the size line.
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const vars = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const m = VAR_START.exec(lines[i]);
    if (!m) throw new HostError('protocol-error', 'The environment listing has a line that is not name=value.', `line ${i + 1}: ${JSON.stringify(lines[i].slice(0, 120))}`);
    let value = '';
    let rest = lines[i].slice(m[0].length);
    for (;;) {
      const { text, continues } = unescapeExported(rest);
      value += text;
      if (!continues) break;
      if (++i >= lines.length) throw new HostError('protocol-error', `The value of "${m[1]}" is cut off (it continues past the end of the listing).`);
      value += '\n';
      rest = lines[i];
    }
    if (vars.has(m[1])) throw new HostError('protocol-error', `The environment listing names "${m[1]}" twice.`);
    vars.set(m[1], value);
  }
  return checkSize(vars, Number(size[1]), Number(size[2]), sizeLine!);
}

function checkSize(vars: Map<string, string>, used: number, total: number, line: string): UBootEnv {
  if (used > total) throw new HostError('protocol-error', 'The environment size line makes no sense (used more than total).', line);
  return { vars, used, total };
}

/** One line of exported text: `\\x` is x; a lone backslash at the end means the value continues on the next line. */
function unescapeExported(line: string): { text: string; continues: boolean } {
  let text = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== '\\') {
      text += line[i];
      continue;
    }
    if (i === line.length - 1) return { text, continues: true };
    text += line[++i];
  }
  return { text, continues: false };
}

/** Parses `printenv NAME`: the value, or undefined when U-Boot says it is not defined. */
export function parsePrintenvOne(name: string, output: string): string | undefined {
  if (/^## Error: ".*" not defined/m.test(output)) return undefined;
  const prefix = `${name}=`;
  if (!output.startsWith(prefix)) throw new HostError('protocol-error', `U-Boot's answer for "${name}" is not a name=value line.`, JSON.stringify(output.slice(0, 120)));
  return output.slice(prefix.length);
}

/** `## Ready for binary (ymodem) download to 0x40200000 at 115200 bps...` */
export function parseReadyLine(text: string): { loadAddr: number; baudRate: number } | undefined {
  const m = /## Ready for binary \((\w+)\) download to 0x([0-9a-fA-F]+) at (\d+) bps/.exec(text);
  return m ? { loadAddr: parseInt(m[2], 16), baudRate: Number(m[3]) } : undefined;
}

/** The summary loady/loadx print: `## Total Size = 0x00100000 = 1048576 Bytes` and `## Start Addr = 0x40200000`. */
export function parseLoadSummary(text: string): { size: number; startAddr: number } {
  const size = /## Total Size\s*=\s*0x([0-9a-fA-F]+)\s*=\s*(\d+) Bytes/.exec(text);
  if (!size) throw new HostError('protocol-error', 'U-Boot did not report the size it received.', JSON.stringify(text.slice(-200)));
  const hex = parseInt(size[1], 16);
  const dec = Number(size[2]);
  if (hex !== dec) throw new HostError('protocol-error', 'U-Boot reported two different sizes for the download.', size[0]);
  const addr = /## Start Addr\s*=\s*0x([0-9a-fA-F]+)/.exec(text);
  if (!addr) throw new HostError('protocol-error', 'U-Boot did not report where it stored the download.', JSON.stringify(text.slice(-200)));
  return { size: dec, startAddr: parseInt(addr[1], 16) };
}

/** `crc32 for 40200000 ... 402fffff ==> a738ea1c` (newer U-Boot may print CRC32 in capitals). */
export function parseCrc32Line(text: string): { start: number; end: number; crc: number } {
  const m = /crc32 for ([0-9a-fA-F]+) \.\.\. ([0-9a-fA-F]+) ==> ([0-9a-fA-F]{8})\b/i.exec(text);
  if (!m) throw new HostError('protocol-error', 'U-Boot did not print a CRC-32 result.', JSON.stringify(text.slice(0, 200)));
  return { start: parseInt(m[1], 16), end: parseInt(m[2], 16), crc: parseInt(m[3], 16) >>> 0 };
}

/** `cmp.b` output: how many bytes matched, and the first difference if any. */
export function parseCmpResult(text: string): { same: number; firstDifference?: string } {
  const m = /Total of (\d+) (?:byte|halfword|word|double word)\(s\) were the same/.exec(text);
  if (!m) throw new HostError('protocol-error', 'U-Boot did not report a compare result.', JSON.stringify(text.slice(0, 200)));
  const diff = /^(?:byte|halfword|word|double word) at 0x.*$/m.exec(text);
  return { same: Number(m[1]), ...(diff ? { firstDifference: diff[0] } : {}) };
}
