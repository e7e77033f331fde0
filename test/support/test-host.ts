import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Host, type HostOptions } from '../../electron/host/host';

/** A host with its own XDG dirs, no real-device discovery, and the demo board on the transport asked for. */
export async function testHost(opts: HostOptions = {}): Promise<Host> {
  const home = mkdtempSync(join(tmpdir(), 'fwbench-host-'));
  return Host.create({
    paths: { config: join(home, 'config'), state: join(home, 'state'), cache: join(home, 'cache') },
    discovery: false,
    demoTransport: 'in-process',
    ...opts,
  });
}
