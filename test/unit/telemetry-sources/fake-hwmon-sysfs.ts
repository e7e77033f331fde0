// A temp directory laid out like /sys for hwmon: real chips under
// /sys/devices, /sys/class/hwmon/hwmonN as symlinks to them, each chip's
// `device` link to its parent, and an fwctl node whose parent PCI function
// also carries an hwmon chip.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export interface FakeChip {
  /** Parent device path under devices/, e.g. pci0000:00/0000:00:18.3 */
  parent: string;
  name: string;
  /** Attribute files: temp1_input → "45250", temp1_label → "Tctl". */
  files: Record<string, string>;
}

export interface FakeSysfs {
  root: string;
  /** Absolute path of a chip's attribute file. */
  file(hwmonIndex: number, attr: string): string;
}

/** The standard test box: CPU, NVMe on a PCI function, an mlx5 card that is also an fwctl parent, and a Super I/O chip. */
export const STANDARD_CHIPS: FakeChip[] = [
  { parent: 'pci0000:00/0000:00:18.3', name: 'k10temp', files: { temp1_input: '45250', temp1_label: 'Tctl', temp3_input: '-5000', temp3_label: 'Tccd1' } },
  { parent: 'pci0000:00/0000:00:01.1/0000:01:00.0', name: 'nvme', files: { temp1_input: '38850', temp1_label: 'Composite' } },
  { parent: 'pci0000:00/0000:00:03.1/0000:3b:00.0', name: 'mlx5', files: { temp1_input: '61000', temp1_label: 'asic' } },
  { parent: 'platform/nct6775.656', name: 'nct6798', files: { in0_input: '1032', in0_label: 'Vcore', in1_input: '12096', in1_label: '+12V', curr1_input: '1500', power1_input: '65000000', power1_label: 'CPU', fan1_input: '1200' } },
];

export function buildFakeSysfs(chips: FakeChip[] = STANDARD_CHIPS, fwctlParent: string | null = 'pci0000:00/0000:00:03.1/0000:3b:00.0'): FakeSysfs {
  const root = mkdtempSync(join(tmpdir(), 'fwbench-sysfs-'));
  const classDir = join(root, 'class', 'hwmon');
  mkdirSync(classDir, { recursive: true });
  const chipDirs: string[] = [];
  chips.forEach((c, i) => {
    const parentDir = join(root, 'devices', c.parent);
    const dir = join(parentDir, 'hwmon', `hwmon${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'name'), `${c.name}\n`);
    for (const [f, v] of Object.entries(c.files)) writeFileSync(join(dir, f), `${v}\n`);
    symlinkSync(relative(dir, parentDir), join(dir, 'device'));
    symlinkSync(relative(classDir, dir), join(classDir, `hwmon${i}`));
    chipDirs.push(dir);
  });
  if (fwctlParent) {
    const pci = join(root, 'devices', fwctlParent);
    writeFileSync(join(pci, 'vendor'), '0x15b3\n');
    writeFileSync(join(pci, 'device'), '0x101d\n');
    const node = join(root, 'devices', fwctlParent, 'fwctl', 'fwctl0');
    mkdirSync(node, { recursive: true });
    symlinkSync(relative(node, pci), join(node, 'device'));
    const fwctlClass = join(root, 'class', 'fwctl');
    mkdirSync(fwctlClass, { recursive: true });
    symlinkSync(relative(fwctlClass, node), join(fwctlClass, 'fwctl0'));
  }
  return { root, file: (i, attr) => join(chipDirs[i], attr) };
}
