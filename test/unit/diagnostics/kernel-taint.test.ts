import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTaint, readKernelTaint } from '../../../electron/host/diagnostics/kernel-taint';

describe('kernel taint', () => {
  it('decodes every set bit to the kernel letter', () => {
    // O (12) + E (13) + J (19, fwctl)
    const t = decodeTaint(String((1 << 12) | (1 << 13) | (1 << 19)) + '\n');
    expect(t.value).toBe(12288 + 524288);
    expect(t.letters).toBe('OEJ');
    expect(t.fwctl).toBe(true);
    expect(t.flags.map((f) => f.bit)).toEqual([12, 13, 19]);
  });

  it('reports an untainted kernel, unknown bits, and unreadable text', () => {
    expect(decodeTaint('0')).toMatchObject({ value: 0, letters: '', fwctl: false });
    expect(decodeTaint(String(1 << 21)).flags).toEqual([{ bit: 21, letter: '?', meaning: expect.stringContaining('bit 21') }]);
    expect(decodeTaint('garbage')).toMatchObject({ value: null, letters: '' });
    expect(decodeTaint(null).value).toBeNull();
  });

  it('reads /proc/sys/kernel/tainted under a given root', () => {
    const proc = mkdtempSync(join(tmpdir(), 'fwbench-proc-'));
    mkdirSync(join(proc, 'sys', 'kernel'), { recursive: true });
    writeFileSync(join(proc, 'sys', 'kernel', 'tainted'), '512\n');
    expect(readKernelTaint(proc)).toMatchObject({ value: 512, letters: 'W' });
    expect(readKernelTaint(join(proc, 'missing')).value).toBeNull();
  });
});
