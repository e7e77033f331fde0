// A session with real U-Boot, recorded to a transcript through the host's
// per-session recording, replays `config.read` to the same entries — with no
// QEMU behind the replay.
import { join } from 'node:path';
import { UBootVm } from '../support/uboot-vm';
import { testHost } from '../support/test-host';
import type { Host } from '../../electron/host/host';
import type { ClientInfo } from '../../electron/host/router';
import { SerialPortStream } from '../../electron/host/transports/serial-port';
import { UBootDeviceAdapter } from '../../electron/host/adapters/uboot-device-adapter';
import { ConsoleCapture } from '../../electron/host/console/console-capture';
import { tapLink } from '../../electron/host/transcripts';

let vm: UBootVm;
let host: Host;
let c: ClientInfo;

beforeAll(async () => {
  vm = new UBootVm();
  await (await vm.start()).close();
  host = await testHost({ demoBoards: 0 });
  c = host.newClient('test');
});
afterAll(async () => {
  await host?.close();
  await vm?.dispose();
});

type Entries = { entries: { key: string; value: string }[] };

it('replays config.read from a transcript recorded against real U-Boot', async () => {
  // The serial entry the discovery sources build, with its link passed through tapLink as the demo board's is.
  host.registry.put(
    host.recordable({
      device: { id: `serial:${vm.consolePath}`, kind: 'serial', label: 'U-Boot (QEMU)', path: vm.consolePath, simulated: false, protocol: 'uboot', present: true, details: { path: vm.consolePath } },
      reconnectable: false,
      factory: {
        open: async (sink, sessionId) =>
          UBootDeviceAdapter.open(tapLink(await SerialPortStream.open(vm.consolePath, { baudRate: 115200 })), new ConsoleCapture(sessionId, () => {}), sink, join(host.paths.state, 'backups', 'uboot')),
      },
    }),
  );
  const opening = host.request('session.open', { deviceId: `serial:${vm.consolePath}` }, c);
  await new Promise((r) => setTimeout(r, 200));
  await vm.resume();
  const live = await opening;
  expect(live.identity.board).toBe('qemu-arm');
  const recorded = (await host.request('command.run', { sessionId: live.id, commandId: 'config.read', scope: 'configuration', params: {} }, c)).result as Entries;
  await host.request('session.close', { sessionId: live.id }, c);
  await vm.dispose();

  const [transcript] = await host.request('transcripts.list', {}, c);
  expect(transcript).toMatchObject({ kind: 'serial', protocol: 'uboot', deviceLabel: 'U-Boot (QEMU)' });
  const dev = await host.request('transcript.open-replay', { name: transcript.name }, c);
  expect(dev).toMatchObject({ simulated: true, label: 'Replay of U-Boot (QEMU) (read-only)' });
  const replay = await host.request('session.open', { deviceId: dev.id }, c);
  expect(replay.identity).toMatchObject({ board: 'qemu-arm', firmware: live.identity.firmware });
  const replayed = (await host.request('command.run', { sessionId: replay.id, commandId: 'config.read', scope: 'configuration', params: {} }, c)).result as Entries;
  expect(replayed).toEqual(recorded);
  expect(replayed.entries.find((e) => e.key === 'board_name')?.value).toBe('qemu-arm');
  await host.request('session.close', { sessionId: replay.id }, c);
});
