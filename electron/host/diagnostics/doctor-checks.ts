// `fwbench doctor`: onboarding checks for a lab PC. Each check is a pure
// function of facts gathered elsewhere (doctor-facts.ts), so every branch is
// testable with made-up facts. Every finding that needs action carries the
// exact command that fixes it.

export type FindingLevel = 'ok' | 'info' | 'warn' | 'block';

export interface DoctorFinding {
  check: string;
  level: FindingLevel;
  title: string;
  detail?: string;
  fix?: string;
}

export interface DeviceNode {
  path: string;
  /** The running process may open it for reading and writing. */
  access: boolean;
  /** Name (or number) of the owning group. */
  group: string;
}

export interface DoctorFacts {
  user: string;
  uid: number;
  /** Groups the running process holds now. */
  processGroups: string[];
  /** Groups the account is a member of in the group database (active after the next login). */
  accountGroups: string[];
  /** Groups that exist on this system. */
  systemGroups: string[];
  /** fwbench udev rule files found in /etc/udev/rules.d, /lib/udev/rules.d or /usr/lib/udev/rules.d. */
  udevRules: string[];
  /** One of those files sets ID_MM_DEVICE_IGNORE (ModemManager leaves the adapters alone). */
  udevRulesIgnoreModemManager: boolean;
  /** Where this fwbench ships its rules file, for the install command. */
  rulesSource: string;
  modemManagerRunning: boolean;
  /** /sys/kernel/security/lockdown's mode: none, integrity, confidentiality or unknown. */
  lockdown: string;
  capSysRawio: boolean;
  /** /sys/class/fwctl exists (kernel 6.15+ with CONFIG_FWCTL and the module loaded). */
  fwctlClass: boolean;
  fwctlNodes: DeviceNode[];
  serialPorts: DeviceNode[];
  usbBus: boolean;
}

const RELOGIN = 'then log out and back in (or run `newgrp GROUP` in this shell)';

function groupFix(group: string, user: string): string {
  return `sudo usermod -aG ${group} ${user}   # ${RELOGIN.replace('GROUP', group)}`;
}

export function checkGroups(f: DoctorFacts): DoctorFinding[] {
  if (f.uid === 0) return [{ check: 'groups', level: 'info', title: 'Running as root: device access is not limited by groups.', detail: 'Run fwbench as your own user day to day: as root every device node is open to it, so these checks say nothing about what an operator account can reach.' }];
  const wanted = [
    { group: 'dialout', what: 'serial ports (/dev/ttyUSB*, /dev/ttyACM*)' },
    { group: 'plugdev', what: 'USB devices (DFU, debug probes) on Debian and Ubuntu' },
    { group: 'fwbench', what: "fwctl devices, USB serial adapters and DFU devices under fwbench's udev rules" },
  ];
  const nodes: DeviceNode[] = [...f.serialPorts, ...f.fwctlNodes];
  const out: DoctorFinding[] = [];
  for (const w of wanted) {
    const check = `group-${w.group}`;
    // A node this process cannot open that belongs to the group: joining it is the fix.
    const blocked = nodes.filter((n) => !n.access && n.group === w.group);
    if (!f.systemGroups.includes(w.group)) {
      if (w.group === 'fwbench')
        out.push({ check, level: blocked.length ? 'block' : 'warn', title: 'The fwbench group does not exist.', detail: `fwbench's udev rules give this group ${w.what}. The .deb creates it; a source checkout does not.`, fix: `sudo groupadd --system fwbench && sudo usermod -aG fwbench ${f.user}   # ${RELOGIN.replace('GROUP', 'fwbench')}` });
      else out.push({ check, level: 'info', title: `There is no ${w.group} group on this system; skipped.` });
      continue;
    }
    if (f.processGroups.includes(w.group)) {
      out.push({ check, level: 'ok', title: `${f.user} is in the ${w.group} group (${w.what}).` });
      continue;
    }
    if (f.accountGroups.includes(w.group)) {
      out.push({ check, level: blocked.length ? 'block' : 'warn', title: `${f.user} was added to ${w.group}, but this login does not have it yet.`, detail: blocked.length ? `Cannot open: ${blocked.map((n) => n.path).join(', ')}` : undefined, fix: `log out and back in (or run \`newgrp ${w.group}\` in this shell)` });
      continue;
    }
    out.push({
      check,
      level: blocked.length ? 'block' : 'warn',
      title: `${f.user} is not in the ${w.group} group, which gives ${w.what}.`,
      detail: blocked.length ? `Cannot open: ${blocked.map((n) => n.path).join(', ')}` : undefined,
      fix: groupFix(w.group, f.user),
    });
  }
  return out;
}

function installRulesFix(f: DoctorFacts): string {
  return `sudo install -m 0644 ${f.rulesSource} /etc/udev/rules.d/70-fwbench.rules && sudo udevadm control --reload-rules && sudo udevadm trigger`;
}

export function checkUdevRules(f: DoctorFacts): DoctorFinding {
  if (f.udevRules.length) return { check: 'udev-rules', level: 'ok', title: `fwbench's udev rules are installed (${f.udevRules.join(', ')}).` };
  const needed = f.fwctlNodes.some((n) => !n.access);
  return {
    check: 'udev-rules',
    level: needed ? 'block' : 'warn',
    title: "fwbench's udev rules are not installed.",
    detail: 'Without them /dev/fwctl/* and DFU devices stay root-only, and ModemManager may grab USB serial adapters.',
    fix: installRulesFix(f),
  };
}

export function checkModemManager(f: DoctorFacts): DoctorFinding {
  if (!f.modemManagerRunning) return { check: 'modemmanager', level: 'ok', title: 'ModemManager is not running.' };
  if (f.udevRulesIgnoreModemManager) return { check: 'modemmanager', level: 'info', title: "ModemManager is running; fwbench's udev rules tell it to leave bench adapters alone (ID_MM_DEVICE_IGNORE)." };
  return {
    check: 'modemmanager',
    level: 'warn',
    title: 'ModemManager is running and may grab CDC-ACM and USB serial ports.',
    detail: 'It probes new ttyACM*/ttyUSB* ports with AT commands for several seconds after plug-in, which corrupts consoles and bootloader transfers.',
    fix: `sudo systemctl stop ModemManager && sudo systemctl disable ModemManager   # or install fwbench's udev rules (ID_MM_DEVICE_IGNORE): ${installRulesFix(f)}`,
  };
}

export function checkLockdown(f: DoctorFacts): DoctorFinding {
  if (f.lockdown === 'integrity' || f.lockdown === 'confidentiality')
    return {
      check: 'lockdown',
      level: 'warn',
      title: `Kernel lockdown is on (${f.lockdown}): the debug-write-full scope is blocked.`,
      detail: 'Everything up to debug-write still works.',
      fix: 'Use debug-write where it is enough; for debug-write-full boot this bench with lockdown=none on the kernel command line (Secure Boot may force lockdown on: disable it in firmware setup).',
    };
  if (f.lockdown === 'none') return { check: 'lockdown', level: 'ok', title: 'Kernel lockdown is off.' };
  return { check: 'lockdown', level: 'info', title: 'This kernel has no lockdown LSM (nothing to check).' };
}

export function checkCapSysRawio(f: DoctorFacts): DoctorFinding {
  if (f.capSysRawio) return { check: 'cap-sys-rawio', level: 'ok', title: 'fwbench holds CAP_SYS_RAWIO (debug-write-full is possible).' };
  return {
    check: 'cap-sys-rawio',
    level: 'warn',
    title: 'fwbench lacks CAP_SYS_RAWIO: the debug-write-full scope cannot be granted.',
    detail: 'The kernel demands it for FWCTL_RPC_DEBUG_WRITE_FULL. Other scopes do not need it.',
    fix: 'Run the session that needs it with the capability, e.g. `sudo -E fwbench ...`; grant it to the binary only on dedicated benches: `sudo setcap cap_sys_rawio+ep /opt/fwbench/fwbench`.',
  };
}

export function checkFwctl(f: DoctorFacts): DoctorFinding {
  if (!f.fwctlClass)
    return {
      check: 'fwctl',
      level: 'info',
      title: 'No fwctl devices: /sys/class/fwctl does not exist.',
      detail: 'fwctl needs Linux 6.15 or later with CONFIG_FWCTL, and a driver for the device (mlx5_fwctl, pds_fwctl, cxl).',
      fix: 'sudo modprobe fwctl && sudo modprobe mlx5_fwctl   # or pds_fwctl / cxl_pci for your device',
    };
  if (f.fwctlNodes.length === 0) return { check: 'fwctl', level: 'info', title: 'The fwctl class exists but no device has registered with it.' };
  const denied = f.fwctlNodes.filter((n) => !n.access);
  if (denied.length === 0) return { check: 'fwctl', level: 'ok', title: `fwctl devices are accessible: ${f.fwctlNodes.map((n) => n.path).join(', ')}.` };
  return {
    check: 'fwctl',
    level: 'block',
    title: `Cannot open ${denied.map((n) => n.path).join(', ')}.`,
    detail: `Owned by group ${denied[0].group}; fwbench's udev rules hand /dev/fwctl/* to the fwbench group.`,
    fix: f.udevRules.length ? groupFix('fwbench', f.user) : `${installRulesFix(f)} && ${groupFix('fwbench', f.user)}`,
  };
}

export function checkUsbBus(f: DoctorFacts): DoctorFinding {
  if (f.usbBus) return { check: 'usb', level: 'ok', title: 'A USB bus is present.' };
  return {
    check: 'usb',
    level: 'warn',
    title: 'This machine has no USB bus (a VM or container?): USB serial adapters and DFU devices cannot appear.',
    fix: 'Pass the USB controller or the device through: QEMU `-device qemu-xhci -device usb-host,vendorid=0x0483,productid=0xdf11`, or `docker run --device /dev/bus/usb ...`.',
  };
}

export function runDoctorChecks(f: DoctorFacts): DoctorFinding[] {
  return [...checkGroups(f), checkUdevRules(f), checkModemManager(f), checkLockdown(f), checkCapSysRawio(f), checkFwctl(f), checkUsbBus(f)];
}

/** Whether anything stops the operator from working (exit 1 from `fwbench doctor`). */
export function doctorBlocks(findings: readonly DoctorFinding[]): boolean {
  return findings.some((x) => x.level === 'block');
}
