// A scripted stand-in for U-Boot on an in-process pipe, for adapter tests that
// need failures real U-Boot will not produce on demand (a corrupted download,
// a failing erase). It echoes like U-Boot, understands the adapter's
// `cmd; echo ::rc=$?::` suffix and single-quoted hush words, and receives
// `loady` with the project's YMODEM receiver.
import type { ByteStream } from '../../../electron/host/transports/byte-stream';
import { ymodemReceive } from '../../../electron/host/protocols/xmodem';
import { crc32 } from '../../../electron/host/protocols/uboot';

export interface FakeUBootOptions {
  /** Flip one byte of every download (a bad link the YMODEM CRC did not catch). */
  corruptLoad?: boolean;
  /** Answer for `erase` (default: success). */
  eraseFails?: boolean;
  /** saveenv prints an error instead of OK. */
  saveFails?: boolean;
  /** setenv stores the value with this change (a U-Boot that mangles it). */
  mangle?: (v: string) => string;
  /** Built with the environment nowhere: no saveenv command (qemu-riscv64, qemu-x86_64). */
  noSaveenv?: boolean;
  /** What `bdinfo` prints (default: no bdinfo command). */
  bdinfo?: string;
  /** Where the boot log says the environment came from. */
  envFrom?: string;
}

export class FakeUBoot {
  readonly commands: string[] = [];
  readonly env = new Map<string, string>([
    ['bootdelay', '2'],
    ['loadaddr', '0x40200000'],
  ]);
  private mem = new Map<number, Uint8Array>();
  private line = '';
  private busy = false;
  private counting = false;

  constructor(
    private readonly end: ByteStream,
    private readonly opts: FakeUBootOptions = {},
  ) {
    end.onData((c) => this.onBytes(c));
  }

  say(s: string): void {
    void this.end.write(new TextEncoder().encode(s.replace(/\n/g, '\r\n')));
  }

  boot(): void {
    this.counting = true;
    this.say(`\nU-Boot 2023.01 (Jan 01 2024 - 00:00:00 +0000)\n\nDRAM:  512 MiB\n${this.opts.envFrom ? `Loading Environment from ${this.opts.envFrom}... OK\n` : ''}Hit any key to stop autoboot:  2 `);
  }

  private onBytes(chunk: Uint8Array): void {
    if (this.busy) return;
    for (const ch of new TextDecoder('latin1').decode(chunk)) {
      if (this.counting) {
        // Any key stops the countdown and is consumed.
        this.counting = false;
        this.say('\b\b\b 0 \n=> ');
      } else if (ch === '\x03') {
        this.line = '';
        this.say('<INTERRUPT>\n=> ');
      } else if (ch === '\r') {
        const l = this.line;
        this.line = '';
        this.say('\n');
        void this.exec(l);
      } else {
        this.line += ch;
        this.say(ch);
      }
    }
  }

  private async exec(l: string): Promise<void> {
    const m = /^(.*); echo ::rc=\$\?::$/.exec(l);
    const cmd = m ? m[1] : l;
    this.commands.push(cmd);
    if (/^loady\b/.test(cmd)) return this.loady(words(cmd)[1]);
    const { out, rc } = this.run(cmd);
    this.say(out + (m ? `::rc=${rc}::\n` : '') + '=> ');
  }

  private run(cmd: string): { out: string; rc: number } {
    const w = words(cmd);
    const hex = (s: string) => parseInt(s, 16);
    switch (w[0]) {
      case 'version':
        return { out: 'U-Boot 2023.01 (Jan 01 2024 - 00:00:00 +0000)\n\ngcc 12\n', rc: 0 };
      case 'setenv':
        if (w.length === 2) this.env.delete(w[1]);
        else this.env.set(w[1], (this.opts.mangle ?? ((v) => v))(w.slice(2).join(' ')));
        return { out: '', rc: 0 };
      case 'printenv': {
        if (w[1]) return this.env.has(w[1]) ? { out: `${w[1]}=${this.env.get(w[1])}\n`, rc: 0 } : { out: `## Error: "${w[1]}" not defined\n`, rc: 1 };
        const list = [...this.env].sort().map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}\n`).join('');
        return { out: `${list}\nEnvironment size: 100/8188 bytes\n`, rc: 0 };
      }
      case 'help':
        if (w[1] === 'saveenv' && this.opts.noSaveenv) return { out: `Unknown command '${w[1]}' - try 'help' without arguments for list of all known commands\n`, rc: 1 };
        return { out: `${w[1]} - usage\n`, rc: 0 };
      case 'bdinfo':
        return this.opts.bdinfo ? { out: this.opts.bdinfo, rc: 0 } : { out: `Unknown command 'bdinfo' - try 'help'\n`, rc: 1 };
      case 'saveenv':
        if (this.opts.noSaveenv) return { out: `Unknown command 'saveenv' - try 'help'\n`, rc: 1 };
        return this.opts.saveFails ? { out: 'Saving Environment to Flash... Error: start and/or end address not on sector boundary\nFAILED\n', rc: 1 } : { out: 'Saving Environment to Flash... done\nOK\n', rc: 0 };
      case 'crc32': {
        const data = this.read(hex(w[1]), hex(w[2]));
        const end = (hex(w[1]) + hex(w[2]) - 1).toString(16).padStart(8, '0');
        return { out: `crc32 for ${w[1].padStart(8, '0')} ... ${end} ==> ${crc32(data).toString(16).padStart(8, '0')}\n`, rc: 0 };
      }
      case 'protect':
        return { out: 'Un-Protected 3 sectors\n', rc: 0 };
      case 'erase':
        return this.opts.eraseFails ? { out: 'Error: start and/or end address not on sector boundary\n', rc: 1 } : { out: '\n... done\nErased 3 sectors\n', rc: 0 };
      case 'cp.b':
        this.mem.set(hex(w[2]), this.read(hex(w[1]), hex(w[3])).slice());
        return { out: 'Copy to Flash... done\n', rc: 0 };
      case 'cmp.b': {
        const a = this.read(hex(w[1]), hex(w[3]));
        const b = this.read(hex(w[2]), hex(w[3]));
        let same = 0;
        while (same < a.length && a[same] === b[same]) same++;
        return { out: `Total of ${same} byte(s) were the same\n`, rc: same === a.length ? 0 : 1 };
      }
      default:
        return { out: `Unknown command '${w[0]}' - try 'help'\n`, rc: 1 };
    }
  }

  private read(addr: number, len: number): Uint8Array {
    return (this.mem.get(addr) ?? new Uint8Array(len)).subarray(0, len);
  }

  private async loady(arg?: string): Promise<void> {
    this.busy = true;
    const at = parseInt(arg ?? this.env.get('loadaddr') ?? '40200000', 16);
    const addr = `0x${at.toString(16).padStart(8, '0')}`;
    this.say(`## Ready for binary (ymodem) download to ${addr} at 115200 bps...\n`);
    try {
      const [file] = await ymodemReceive(this.end, { startTimeoutMs: 5000 });
      const data = file.data.slice();
      if (this.opts.corruptLoad) data[data.length >> 1] ^= 0xff;
      this.mem.set(at, data);
      this.busy = false;
      const n = data.length;
      this.say(`## Total Size      = 0x${n.toString(16).padStart(8, '0')} = ${n} Bytes\n## Start Addr      = ${addr}\n=> `);
    } catch {
      this.busy = false;
      this.say('## Binary (ymodem) download aborted\n=> ');
    }
  }
}

/** Splits a command line into hush words: single quotes literal except backslash escapes (as U-Boot does). */
function words(cmd: string): string[] {
  const out: string[] = [];
  let cur: string | null = null;
  let quoted = false;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (c === '\\') {
      cur = (cur ?? '') + (cmd[++i] ?? '');
    } else if (c === "'") {
      quoted = !quoted;
      cur = cur ?? '';
    } else if (c === ' ' && !quoted) {
      if (cur !== null) out.push(cur);
      cur = null;
    } else cur = (cur ?? '') + c;
  }
  if (cur !== null) out.push(cur);
  return out;
}
