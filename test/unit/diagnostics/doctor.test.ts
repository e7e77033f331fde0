import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { runDoctorChecks, doctorBlocks, type DoctorFacts, type DoctorFinding } from '../../../electron/host/diagnostics/doctor-checks';
import { gatherDoctorFacts, parseGroupFile, primaryGid } from '../../../electron/host/diagnostics/doctor-facts';
import { reportDoctor } from '../../../electron/cli/commands/doctor';

/** A ready bench: nothing should block or warn except what a test changes. */
function facts(over: Partial<DoctorFacts> = {}): DoctorFacts {
  return {
    user: 'alice',
    uid: 1000,
    processGroups: ['alice', 'dialout', 'plugdev', 'fwbench'],
    accountGroups: ['alice', 'dialout', 'plugdev', 'fwbench'],
    systemGroups: ['root', 'alice', 'dialout', 'plugdev', 'fwbench'],
    udevRules: ['/lib/udev/rules.d/70-fwbench.rules'],
    udevRulesIgnoreModemManager: true,
    rulesSource: '/opt/fwbench/resources/udev/70-fwbench.rules',
    modemManagerRunning: false,
    lockdown: 'none',
    capSysRawio: true,
    fwctlClass: true,
    fwctlNodes: [{ path: '/dev/fwctl/fwctl0', access: true, group: 'fwbench' }],
    serialPorts: [{ path: '/dev/ttyUSB0', access: true, group: 'dialout' }],
    usbBus: true,
    ...over,
  };
}

const byCheck = (fs: DoctorFinding[], check: string) => fs.find((f) => f.check === check)!;

describe('doctor checks on made-up facts', () => {
  it('a ready bench has nothing to fix', () => {
    const f = runDoctorChecks(facts());
    expect(f.filter((x) => x.level !== 'ok')).toEqual([]);
    expect(doctorBlocks(f)).toBe(false);
  });

  it('missing dialout blocks when a serial port cannot be opened, with the usermod fix', () => {
    const f = runDoctorChecks(facts({ processGroups: ['alice', 'plugdev', 'fwbench'], accountGroups: ['alice', 'plugdev', 'fwbench'], serialPorts: [{ path: '/dev/ttyUSB0', access: false, group: 'dialout' }] }));
    const g = byCheck(f, 'group-dialout');
    expect(g.level).toBe('block');
    expect(g.detail).toContain('/dev/ttyUSB0');
    expect(g.fix).toMatch(/^sudo usermod -aG dialout alice/);
    expect(doctorBlocks(f)).toBe(true);
  });

  it('missing dialout with no port plugged in only warns', () => {
    const g = byCheck(runDoctorChecks(facts({ processGroups: ['alice'], accountGroups: ['alice'], serialPorts: [] })), 'group-dialout');
    expect(g.level).toBe('warn');
  });

  it('a group added but not yet active says to log in again', () => {
    const g = byCheck(runDoctorChecks(facts({ processGroups: ['alice', 'dialout', 'plugdev'] })), 'group-fwbench');
    expect(g.title).toMatch(/does not have it yet/);
    expect(g.fix).toMatch(/log out and back in|newgrp fwbench/);
  });

  it('a missing fwbench group gives the groupadd command', () => {
    const g = byCheck(runDoctorChecks(facts({ systemGroups: ['alice', 'dialout', 'plugdev'], processGroups: ['alice', 'dialout', 'plugdev'] })), 'group-fwbench');
    expect(g.fix).toMatch(/^sudo groupadd --system fwbench && sudo usermod -aG fwbench alice/);
  });

  it('root is noted, not judged', () => {
    const f = runDoctorChecks(facts({ uid: 0, processGroups: ['root'] }));
    expect(f.filter((x) => x.check.startsWith('group'))).toEqual([expect.objectContaining({ check: 'groups', level: 'info' })]);
  });

  it('udev rules not installed: the exact install command; blocking when fwctl is locked away', () => {
    const warn = byCheck(runDoctorChecks(facts({ udevRules: [], udevRulesIgnoreModemManager: false })), 'udev-rules');
    expect(warn.level).toBe('warn');
    expect(warn.fix).toBe('sudo install -m 0644 /opt/fwbench/resources/udev/70-fwbench.rules /etc/udev/rules.d/70-fwbench.rules && sudo udevadm control --reload-rules && sudo udevadm trigger');
    const block = runDoctorChecks(facts({ udevRules: [], fwctlNodes: [{ path: '/dev/fwctl/fwctl0', access: false, group: 'root' }] }));
    expect(byCheck(block, 'udev-rules').level).toBe('block');
    expect(byCheck(block, 'fwctl')).toMatchObject({ level: 'block', title: 'Cannot open /dev/fwctl/fwctl0.' });
    expect(byCheck(block, 'fwctl').fix).toContain('udevadm control --reload-rules');
  });

  it('ModemManager: stop it, unless the rules tell it to keep off', () => {
    const mm = byCheck(runDoctorChecks(facts({ modemManagerRunning: true, udevRulesIgnoreModemManager: false })), 'modemmanager');
    expect(mm.level).toBe('warn');
    expect(mm.fix).toMatch(/^sudo systemctl stop ModemManager && sudo systemctl disable ModemManager/);
    expect(mm.fix).toContain('ID_MM_DEVICE_IGNORE');
    expect(byCheck(runDoctorChecks(facts({ modemManagerRunning: true })), 'modemmanager').level).toBe('info');
  });

  it('lockdown blocks debug-write-full; CAP_SYS_RAWIO missing says the same scope', () => {
    const f = runDoctorChecks(facts({ lockdown: 'integrity', capSysRawio: false }));
    expect(byCheck(f, 'lockdown')).toMatchObject({ level: 'warn', title: expect.stringMatching(/lockdown is on \(integrity\): the debug-write-full scope is blocked/) });
    expect(byCheck(f, 'cap-sys-rawio')).toMatchObject({ level: 'warn', title: expect.stringMatching(/CAP_SYS_RAWIO/) });
    expect(byCheck(runDoctorChecks(facts({ lockdown: 'unknown' })), 'lockdown').level).toBe('info');
    // Neither stops ordinary work.
    expect(doctorBlocks(f)).toBe(false);
  });

  it('no fwctl class and no USB bus are explained with what to do', () => {
    const f = runDoctorChecks(facts({ fwctlClass: false, fwctlNodes: [], usbBus: false }));
    expect(byCheck(f, 'fwctl')).toMatchObject({ level: 'info', fix: expect.stringMatching(/modprobe fwctl/) });
    expect(byCheck(f, 'usb')).toMatchObject({ level: 'warn', fix: expect.stringMatching(/usb-host|--device \/dev\/bus\/usb/) });
  });
});

describe('gathering facts from a made-up system tree', () => {
  it('reads groups, udev rules, ModemManager, lockdown, fwctl, ports and USB', () => {
    const root = mkdtempSync(join(tmpdir(), 'fwbench-doctor-'));
    const etc = join(root, 'etc');
    const proc = join(root, 'proc');
    const sys = join(root, 'sys');
    const dev = join(root, 'dev');
    const rules = join(root, 'rules.d');
    for (const d of [etc, join(proc, '1'), join(proc, '4242'), join(proc, 'self'), join(sys, 'kernel', 'security'), join(sys, 'class', 'fwctl'), join(sys, 'bus', 'usb', 'devices', 'usb1'), join(dev, 'fwctl'), rules]) mkdirSync(d, { recursive: true });
    writeFileSync(join(etc, 'group'), 'root:x:0:\ndialout:x:20:bob,alice\nplugdev:x:46:bob\nfwbench:x:990:\nalice:x:1000:\n# comment\nbroken line\n');
    writeFileSync(join(etc, 'passwd'), 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/bash\n');
    writeFileSync(join(proc, '1', 'comm'), 'systemd\n');
    writeFileSync(join(proc, '4242', 'comm'), 'ModemManager\n');
    writeFileSync(join(proc, 'self', 'status'), 'Name:\tx\nCapEff:\t0000000000020000\n');
    writeFileSync(join(sys, 'kernel', 'security', 'lockdown'), 'none [integrity] confidentiality\n');
    writeFileSync(join(rules, '70-fwbench.rules'), 'SUBSYSTEM=="tty", ENV{ID_MM_DEVICE_IGNORE}="1"\n');
    writeFileSync(join(rules, '99-other.rules'), '');
    writeFileSync(join(dev, 'fwctl', 'fwctl0'), '');
    writeFileSync(join(dev, 'ttyUSB0'), '');
    writeFileSync(join(dev, 'ttyS0'), '');
    chmodSync(join(dev, 'fwctl', 'fwctl0'), 0o600);
    const f = gatherDoctorFacts({ etc, proc, sys, dev, udevRuleDirs: [rules, join(root, 'missing')], user: 'alice', uid: 1000, gids: [1000], rulesSource: '/src/70-fwbench.rules' });
    expect(f.processGroups).toEqual(['alice']);
    expect(f.accountGroups.sort()).toEqual(['alice', 'dialout']);
    expect(f.systemGroups).toEqual(['root', 'dialout', 'plugdev', 'fwbench', 'alice']);
    expect(f.udevRules).toEqual([join(rules, '70-fwbench.rules')]);
    expect(f.udevRulesIgnoreModemManager).toBe(true);
    expect(f.modemManagerRunning).toBe(true);
    expect(f.lockdown).toBe('integrity');
    expect(f.capSysRawio).toBe(true);
    expect(f.fwctlClass).toBe(true);
    expect(f.fwctlNodes.map((n) => n.path)).toEqual([join(dev, 'fwctl', 'fwctl0')]);
    expect(f.serialPorts.map((n) => n.path)).toEqual([join(dev, 'ttyUSB0')]);
    expect(f.usbBus).toBe(true);
    expect(f.rulesSource).toBe('/src/70-fwbench.rules');
  });

  it('parses group and passwd lines', () => {
    expect(parseGroupFile('a:x:5:u1, u2\nbad\nb:x:notanumber:\n')).toEqual([{ name: 'a', gid: 5, members: ['u1', 'u2'] }]);
    expect(primaryGid('alice:x:1000:1001::/h:/bin/sh\n', 'alice')).toBe(1001);
    expect(primaryGid('', 'alice')).toBeNull();
  });
});

describe('fwbench doctor exit codes', () => {
  it('0 when nothing blocks (warnings allowed), 1 when something does', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(reportDoctor(facts({ lockdown: 'integrity' }), false)).toBe(0);
      expect(reportDoctor(facts({ fwctlNodes: [{ path: '/dev/fwctl/fwctl0', access: false, group: 'root' }] }), true)).toBe(1);
      const json = JSON.parse(String(log.mock.calls.at(-1)![0]));
      expect(json.ok).toBe(false);
      expect(json.findings.some((f: DoctorFinding) => f.level === 'block' && f.check === 'fwctl')).toBe(true);
      const text = log.mock.calls.map((c) => String(c[0])).join('\n');
      expect(text).toMatch(/fwbench doctor: 0 blocking, 1 warning\(s\)/);
    } finally {
      log.mockRestore();
    }
  });
});
