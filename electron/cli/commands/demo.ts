// `fwbench demo image`: writes an application image the simulated demo board
// accepts (MCUboot header, SHA-256 TLV), so the shipped bring-up recipe and the
// flash commands have something to send without a toolchain or imgtool.
// `fwbench demo board`: runs the demo board on a pty, its SMP server shaped like
// a given real build, so the serial and SMP commands can be tried (and their
// degradation seen) without hardware.
import { writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { HostError } from '../../host/errors/host-error';
import { demoAppImage, checkImage } from '../../host/demo/board/firmware-slots';
import { intFlag, stringFlag, stringsFlag } from '../args';
import { startDemoBoardOnPty } from '../../host/demo/demo-board-pty';
import { ALL_GROUPS, SMP_DEVICE_PROFILES, type SmpDeviceProfile, type SmpProfileName } from '../../host/demo/smp-server';
import { GROUP } from '../../host/demo/smp-server/rc';
import { EXIT } from '../exit-codes';
import type { CliCommand } from '../command';

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'the simulated demo board: an application image to flash, or the board on a pty with a chosen SMP build',
  usage: [
    'fwbench demo image --version X.Y.Z+B --out FILE [--size KiB] [--json]',
    '',
    'Writes an MCUboot application image for the demo board (demo:DEMO-1001, ...): a header',
    'with version X.Y.Z+B and a SHA-256 TLV, which the board checks before it boots the image.',
    'The same version always gives the same bytes. --size is the body size (default 16 KiB).',
    'examples/recipes/demo-bringup.json flashes the one made by:',
    '  fwbench demo image --version 2.1.0+7 --out examples/recipes/app-2.1.0.bin',
    '',
    'fwbench demo board [--link PATH] [--smp-profile NAME] [--groups os,img,stat,settings,fs,shell,enum]',
    '                   [--buf-size N] [--buf-count N] [--rx-pool-frames N] [--latency-ms N]',
    '                   [--boot-mode swap|direct-xip|ram-load] [--serial S]',
    '',
    'Runs the demo board on a pty pair until interrupted and prints the /dev/pts port to open',
    '(fwbench smp --port PATH ..., or "Add a serial port" in the app). Its SMP server is shaped',
    'like a real MCUmgr build: --smp-profile picks a model, the other flags change one property.',
    'A group left out answers rc 8 (ENOTSUP); --rx-pool-frames N drops requests longer than N',
    'serial frames sent back to back. These are models of real devices, not proof of them.',
    'Profiles:',
    ...Object.values(SMP_DEVICE_PROFILES).map((p) => `  ${p.name.padEnd(11)} ${p.summary}`),
  ].join('\n'),
  valued: ['version', 'out', 'size', 'link', 'smp-profile', 'groups', 'buf-size', 'buf-count', 'rx-pool-frames', 'latency-ms', 'boot-mode', 'serial'],
  async run(args) {
    if (args._[1] === 'board') return runBoard(args);
    if (args._[1] !== 'image') throw new HostError('bad-request', 'Usage: fwbench demo image --version X.Y.Z+B --out FILE, or fwbench demo board (see `fwbench help demo`).');
    const version = stringFlag(args, 'version');
    const out = stringFlag(args, 'out');
    if (!version || !/^\d+\.\d+\.\d+(\+\d+)?$/.test(version)) throw new HostError('bad-request', '--version takes the image version as X.Y.Z+B, for example 2.1.0+7.');
    if (!out) throw new HostError('bad-request', 'Name the file to write with --out FILE.');
    const kib = intFlag(args, 'size', 16, 1, 4000);
    const image = demoAppImage(version, kib * 1024);
    const check = checkImage(image);
    if (!check.ok) throw new HostError('verification-failed', `The image built is not one the demo board accepts: ${check.reason}.`);
    writeFileSync(out, image);
    const sha256 = createHash('sha256').update(image).digest('hex');
    if (args.flags.has('json')) console.log(JSON.stringify({ file: out, version: check.version, size: image.length, sha256 }, null, 2));
    else console.log(`${out}: demo board image ${check.version}, ${image.length} bytes, sha256 ${sha256}`);
    return EXIT.ok;
  },
};

const GROUP_NAMES: Record<string, number> = { os: GROUP.OS, img: GROUP.IMAGE, stat: GROUP.STAT, settings: GROUP.SETTINGS, fs: GROUP.FS, shell: GROUP.SHELL, enum: GROUP.ENUM };
const BOOT_MODES = ['swap', 'direct-xip', 'ram-load'] as const;

/** The SMP build the flags describe: a profile, then each flag overriding one property. */
export function smpBuildFromFlags(args: Parameters<CliCommand['run']>[0]): Pick<SmpDeviceProfile, 'state' | 'server'> & { name: string } {
  const name = stringFlag(args, 'smp-profile') ?? 'full';
  if (!(name in SMP_DEVICE_PROFILES)) throw new HostError('bad-request', `No SMP profile "${name}". Profiles: ${Object.keys(SMP_DEVICE_PROFILES).join(', ')}.`);
  const base = SMP_DEVICE_PROFILES[name as SmpProfileName] as SmpDeviceProfile;
  const state = { ...base.state };
  const server = { ...base.server };
  const groups = stringsFlag(args, 'groups');
  if (groups.length) {
    const unknown = groups.filter((g) => !(g in GROUP_NAMES));
    if (unknown.length) throw new HostError('bad-request', `Unknown SMP group ${unknown.join(', ')}. Groups: ${Object.keys(GROUP_NAMES).join(', ')}.`);
    server.groups = groups.map((g) => GROUP_NAMES[g]);
  }
  if (stringFlag(args, 'buf-size') !== undefined) state.bufSize = intFlag(args, 'buf-size', 0, 128, 65535);
  if (stringFlag(args, 'buf-count') !== undefined) state.bufCount = intFlag(args, 'buf-count', 0, 1, 64);
  if (stringFlag(args, 'rx-pool-frames') !== undefined) server.rxPoolFrames = intFlag(args, 'rx-pool-frames', 0, 1, 64);
  if (stringFlag(args, 'latency-ms') !== undefined) server.latencyMs = intFlag(args, 'latency-ms', 0, 0, 10_000);
  const boot = stringFlag(args, 'boot-mode');
  if (boot !== undefined) {
    if (!(BOOT_MODES as readonly string[]).includes(boot)) throw new HostError('bad-request', `--boot-mode takes ${BOOT_MODES.join(', ')}.`);
    state.bootMode = boot as (typeof BOOT_MODES)[number];
  }
  return { name, state, server };
}

async function runBoard(args: Parameters<CliCommand['run']>[0]): Promise<number> {
  const smp = smpBuildFromFlags(args);
  const serial = stringFlag(args, 'serial') ?? 'DEMO-2001';
  const pty = await startDemoBoardOnPty({ serial, bootMs: 200, smp, link: stringFlag(args, 'link') });
  const groups = Object.entries(GROUP_NAMES).filter(([, id]) => (smp.server.groups ?? ALL_GROUPS).includes(id)).map(([n]) => n);
  const info = { port: pty.devPath, link: pty.hostPath, serial, smp: { profile: smp.name, groups, bufSize: smp.state.bufSize, bufCount: smp.state.bufCount, rxPoolFrames: smp.server.rxPoolFrames ?? null, latencyMs: smp.server.latencyMs ?? 0, bootMode: smp.state.bootMode } };
  if (args.flags.has('json')) console.log(JSON.stringify(info));
  else {
    console.log(`demo board ${serial} on ${pty.devPath} (link ${pty.hostPath})`);
    console.log(`SMP build "${smp.name}": groups ${groups.join(', ')}; buf_size ${smp.state.bufSize} x ${smp.state.bufCount}${smp.server.rxPoolFrames ? `; RX pool ${smp.server.rxPoolFrames} frames` : ''}${smp.server.latencyMs ? `; ${smp.server.latencyMs} ms latency` : ''}; ${smp.state.bootMode}`);
    console.log(`try: fwbench smp --port ${pty.devPath} params    (Ctrl-C stops the board)`);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await pty.stop();
  return EXIT.ok;
}
