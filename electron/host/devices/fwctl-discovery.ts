// fwctl devices: /sys/class/fwctl/fwctlN, whose device link is the parent
// function (a PCI device for CXL, mlx5, pds and bnxt).
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface FwctlDeviceFacts {
  name: string;
  devPath: string;
  parent?: string;
  pciAddress?: string;
  vendorId?: string;
  deviceId?: string;
  driver?: string;
  /** Related kernel objects under the same parent: net, infiniband, CXL memdevs. */
  netdevs: string[];
  ibdevs: string[];
  cxlMemdevs: string[];
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function children(dir: string, sub: string): string[] {
  try {
    return readdirSync(join(dir, sub));
  } catch {
    return [];
  }
}

export function listFwctlDevices(sysRoot = '/sys', devRoot = '/dev'): FwctlDeviceFacts[] {
  const cls = join(sysRoot, 'class', 'fwctl');
  if (!existsSync(cls)) return [];
  return readdirSync(cls)
    .filter((n) => /^fwctl\d+$/.test(n))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
    .map((name) => {
      const facts: FwctlDeviceFacts = { name, devPath: join(devRoot, 'fwctl', name), netdevs: [], ibdevs: [], cxlMemdevs: [] };
      let parent: string | undefined;
      try {
        parent = realpathSync(join(cls, name, 'device'));
      } catch {
        return facts;
      }
      facts.parent = parent;
      // The CXL memdev is the fwctl parent; its PCI function is one level up.
      let pci = parent;
      if (basename(parent).startsWith('mem')) {
        facts.cxlMemdevs.push(basename(parent));
        pci = realpathSync(join(parent, '..'));
      }
      if (/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/.test(basename(pci))) {
        facts.pciAddress = basename(pci);
        facts.vendorId = read(join(pci, 'vendor'))?.replace(/^0x/, '');
        facts.deviceId = read(join(pci, 'device'))?.replace(/^0x/, '');
        try {
          facts.driver = basename(realpathSync(join(pci, 'driver')));
        } catch {
          /* no driver bound */
        }
        facts.netdevs = children(pci, 'net');
        facts.ibdevs = children(pci, 'infiniband');
        for (const c of readdirSync(pci)) if (/^mem\d+$/.test(c) && !facts.cxlMemdevs.includes(c)) facts.cxlMemdevs.push(c);
      }
      return facts;
    });
}
